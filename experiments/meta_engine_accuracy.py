#!/usr/bin/python3
"""Test accuracy of a trained meta-neuron layer as the engine ran it (SNN-LZC and spike count).

`myelin train CONFIG --checkpoint net.h5` (algorithm = "meta") writes the trained layer with the
test samples; `myelin run net.h5 -o run.h5` plays them, one per trial of S steps (docs/learning.md,
"Meta neurons in the engine"). This reads population "meta"'s spikes from run.h5, cuts them into
the samples' output trains, and classifies each sample as the trainer does: SNN-LZC, the nearest
centroid of the trains' normalised LZ76 complexities (ALGORITHMS.md 6.3, 6.6), with the centroids,
spreads and labels the checkpoint stores as `# readout.KEY = VALUE` lines of its config; and the
spike count (the most active neuron). --predictions prints the SNN-LZC class of every sample.

    /usr/bin/python3 experiments/meta_engine_accuracy.py run.h5
"""
import argparse
import math
import sys
import tomllib

import h5py
import numpy as np


def lz76(s):
    """LZ76 phrase count c(n), Kaspar & Schuster's loop (ALGORITHMS.md 6.3)."""
    n = len(s)
    if n <= 1:
        return n
    c, l, i, k, k_max = 1, 1, 0, 1, 1
    while True:
        if s[i + k - 1] == s[l + k - 1]:
            k += 1
            if l + k > n:
                return c + 1
        else:
            k_max = max(k, k_max)
            i += 1
            if i == l:
                c += 1
                l += k_max
                if l + 1 > n:
                    return c
                i, k, k_max = 0, 1, 1
            else:
                k = 1


def normalised(train):
    n = len(train)
    return 0.0 if n <= 1 else lz76(train) * math.log2(n) / n


def readout_of(config_text):
    lines = [line[len("# readout."):] for line in config_text.splitlines() if line.startswith("# readout.")]
    if not lines:
        sys.exit("the recording's config has no `# readout.` lines: not a meta-neuron engine checkpoint's run")
    return tomllib.loads("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("recording", help="the recording of `myelin run` on the checkpoint")
    parser.add_argument("--predictions", action="store_true", help="print the SNN-LZC class of every sample")
    args = parser.parse_args()
    with h5py.File(args.recording, "r") as f:
        readout = readout_of(f["/meta"].attrs["config"])
        spikes = f["/populations/meta/spikes"]
        neuron, step = spikes["neuron"][:], spikes["step"][:]
    steps, labels = readout["steps"], np.array(readout["labels"])
    centroids, scale = np.array(readout["centroids"]), np.array(readout["inverse_spread"])
    count, neurons = len(labels), centroids.shape[1]
    # Sample n reaches the layer in steps [1 + n*S, 1 + (n+1)*S) (one step of synaptic delay).
    trains = np.zeros((count, neurons, steps), np.uint8)
    keep = (step >= 1) & (step < 1 + count * steps)
    sample, offset = np.divmod(step[keep] - 1, steps)
    trains[sample, neuron[keep], offset] = 1
    features = np.array([[normalised(list(trains[n, k])) for k in range(neurons)] for n in range(count)])
    distance = (((features[:, None, :] - centroids[None, :, :]) * scale) ** 2).sum(axis=2)
    lzc = distance.argmin(axis=1)  # lowest class on ties, as the trainer
    by_count = trains.sum(axis=2).argmax(axis=1)
    if args.predictions:
        print(" ".join(str(c) for c in lzc))
        return
    print("engine test accuracy: SNN-LZC %.2f%% (%d of %d samples), spike count %.2f%%"
          % (100.0 * np.mean(lzc == labels), int(np.sum(lzc == labels)), count, 100.0 * np.mean(by_count == labels)))


if __name__ == "__main__":
    main()
