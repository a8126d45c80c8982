#!/usr/bin/python3
"""Test accuracy of a BPTT- or TESS-trained network as the engine ran it.

`myelin train CONFIG --checkpoint net.h5` writes the trained network; `myelin run net.h5 -o
run.h5` simulates the test images, one per trial of T steps (docs/learning.md, "Running a
trained network in the engine"). This reads the readout (population "output", state v) of
run.h5 at the end of every trial, takes the arg max as the predicted class and compares it with
the Fashion-MNIST test labels (or prints the predictions, --predictions).

    /usr/bin/python3 experiments/bptt_engine_accuracy.py run.h5
"""
import argparse
import gzip
import os
import sys
import tomllib

import h5py
import numpy as np


def logits_of(path):
    with h5py.File(path, "r") as f:
        config = tomllib.loads(f["/meta"].attrs["config"])
        dt = config["simulation"]["dt"]
        source = next(p for p in config["population"] if p["name"] == "input")
        steps = round(source["params"]["period"] / dt)
        start = round(source["params"]["start"] / dt)
        count = source["encoder"]["count"]
        # The readout is reset at the start of its trial, `depth` steps (one per projection)
        # after the image: 2 for BPTT (input -> hidden -> output), L + 1 for TESS's L layers.
        output = next(p for p in config["population"] if p["name"] == "output")
        depth = round(output["reset"]["start"] / dt) - start
        state = f["/populations/output/state"]
        times = np.rint(state["times_ms"][:] / dt).astype(np.int64)
        v = state["v"][:]
    # Sample n's readout is complete after step start + n*T + T + depth - 1:
    # step_done = start + depth + (n+1)*T.
    wanted = start + depth + steps * (np.arange(count) + 1)
    index = {t: i for i, t in enumerate(times)}
    missing = [int(t) for t in wanted if t not in index]
    if missing:
        sys.exit("%s: no readout sample at t = %d ms (was the run cut short?)" % (path, missing[0] * dt))
    return v[[index[t] for t in wanted]], source["encoder"]["dataset"]


def fashion_test_labels(count):
    folder = os.environ.get("MYELIN_FASHION_MNIST_DIR") or "/usr/share/datasets/fashion-mnist"
    with gzip.open(os.path.join(folder, "t10k-labels-idx1-ubyte.gz")) as f:
        return np.frombuffer(f.read(), np.uint8, offset=8)[:count]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("recording", help="the recording of `myelin run` on the checkpoint")
    parser.add_argument("--predictions", action="store_true", help="print the predicted class of every image")
    args = parser.parse_args()
    logits, dataset = logits_of(args.recording)
    predicted = logits.argmax(axis=1)
    if args.predictions or dataset != "fashion-mnist":
        print(" ".join(str(c) for c in predicted))
        return
    labels = fashion_test_labels(len(predicted))
    print("engine test accuracy %.2f%% (%d of %d images)"
          % (100.0 * np.mean(predicted == labels), int(np.sum(predicted == labels)), len(labels)))


if __name__ == "__main__":
    main()
