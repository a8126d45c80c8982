#!/usr/bin/python3
"""Training throughput of Myelin's BPTT trainer against the same network in PyTorch on the CPU.

The 784-64-10 network of the Fashion-MNIST experiments (experiments/ultra_fashion*.toml;
ALGORITHMS.md 5.3-5.4): rate-coded input (a Bernoulli spike with probability 0.5*x per step),
Linear(784, 64), the neuron layer, Linear(64, 10) on the mean over T steps of the soft spikes,
cross-entropy, Adam 1e-3, batch 128. The PyTorch model is the plain BPTT loop a PyTorch user
writes (autograd through a Python loop over T), with the same equations:

  UltraPLIF: V = eps*logaddexp((V + clamp(log_tau, -2.3, -0.01))/eps, I/eps),
             s = sigmoid((V - 1)/eps), V = V*(1 - s); eps = clamp(exp(log_eps), 0.1, 20), learned
  LIF:       V = 0.9 V + I, s = [V >= 1] with the fast-sigmoid surrogate 1/(1 + 5|V - 1|)^2,
             V = V*(1 - s)

Both get the same images (the first --samples of the training set), the same batch size and
2 threads (Myelin: --threads 2; PyTorch: torch.set_num_threads(2)), in one invocation. Each
framework trains --epochs epochs and the last one is timed (the first warms caches and
allocators); Myelin's epoch time also includes evaluating 100 test images (its report's
per-epoch wall time), which costs well under 1% of it.

Needs Debian's PyTorch, which is not part of setup.sh (it is big): apt-get install -y python3-torch

    /usr/bin/python3 bench/bptt_vs_torch.py                    # T = 1 and 10, UltraPLIF
    /usr/bin/python3 bench/bptt_vs_torch.py --neuron LIF --steps 1
"""
import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FASHION = "/usr/share/datasets/fashion-mnist"


def load_fashion(samples):
    with gzip.open(os.path.join(FASHION, "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:samples]
    with gzip.open(os.path.join(FASHION, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:samples]
    return images.astype(np.float32) / 255.0, labels.astype(np.int64)


def myelin_samples_per_second(myelin, neuron, steps, samples, epochs, threads, workdir):
    config = os.path.join(workdir, "bench_%s_t%d.toml" % (neuron, steps))
    report = os.path.join(workdir, "bench_%s_t%d.h5" % (neuron, steps))
    with open(config, "w") as f:
        f.write('[train]\nalgorithm = "bptt"\nseed = 42\nthreads = %d\n\n[bptt]\nneuron = "%s"\nhidden = 64\n'
                'steps = %d\nencoding = "rate"\nrate_gain = 0.5\nbatch = 128\nlr = 1e-3\nepochs = %d\n'
                'dataset = "fashion-mnist"\ntrain_samples = %d\ntest_samples = 100\n'
                % (threads, neuron, steps, epochs, samples))
    subprocess.run([myelin, "train", config, "-q", "-o", report], check=True)
    import h5py
    with h5py.File(report, "r") as f:
        seconds = float(f["/epochs/seconds"][-1])
    return samples / seconds


def torch_samples_per_second(neuron, steps, x, y, epochs, threads):
    import torch
    import torch.nn as nn
    torch.set_num_threads(threads)
    torch.manual_seed(42)

    class FastSigmoidSpike(torch.autograd.Function):
        @staticmethod
        def forward(ctx, v_minus_theta):
            ctx.save_for_backward(v_minus_theta)
            return (v_minus_theta >= 0).float()

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad / (1.0 + 5.0 * x.abs()) ** 2

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(784, 64), nn.Linear(64, 10)
            self.log_tau = nn.Parameter(torch.full((64,), float(np.log(0.9))))
            self.log_eps = nn.Parameter(torch.zeros(()))

        def forward(self, inputs):  # inputs: [T, batch, 784]
            v = torch.zeros(inputs.shape[1], 64)
            total = 0.0
            eps = self.log_eps.exp().clamp(0.1, 20.0)
            log_tau = self.log_tau.clamp(-2.3, -0.01)
            for t in range(inputs.shape[0]):
                current = self.fc1(inputs[t])
                if neuron == "UltraPLIF":
                    v = eps * torch.logaddexp((v + log_tau) / eps, current / eps)
                    s = torch.sigmoid((v - 1.0) / eps)
                else:
                    v = 0.9 * v + current
                    s = FastSigmoidSpike.apply(v - 1.0)
                v = v * (1.0 - s)
                total = total + s
            return self.fc2(total / inputs.shape[0])

    net = Net()
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    images, labels = torch.from_numpy(x), torch.from_numpy(y)
    seconds = 0.0
    for epoch in range(epochs):
        order = torch.randperm(len(labels))
        started = time.perf_counter()
        for first in range(0, len(labels), 128):
            batch = order[first:first + 128]
            xb = images[batch]
            spikes = (torch.rand(steps, len(batch), 784) < 0.5 * xb).float()
            optimiser.zero_grad()
            loss = loss_fn(net(spikes), labels[batch])
            loss.backward()
            optimiser.step()
        seconds = time.perf_counter() - started
    return len(labels) / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--myelin", default=os.path.join(ROOT, "build", "myelin"))
    parser.add_argument("--neuron", default="UltraPLIF", choices=["UltraPLIF", "LIF"])
    parser.add_argument("--steps", default="1,10", help="values of T, comma-separated")
    parser.add_argument("--samples", type=int, default=20000, help="training images per epoch")
    parser.add_argument("--epochs", type=int, default=2, help="epochs per framework; the last is timed")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        sys.exit("PyTorch is missing: apt-get install -y python3-torch (Debian's), then run with /usr/bin/python3")
    x, y = load_fashion(args.samples)
    print("%s 784-64-10, batch 128, Adam 1e-3, %d training images, %d threads, last of %d epochs timed; "
          "PyTorch %s; load average %.1f" % (args.neuron, len(y), args.threads, args.epochs, torch.__version__,
                                             os.getloadavg()[0]))
    # PyTorch's OpenMP threads spin at their barriers: on a busy machine one thread can beat
    # two, so it is measured on one thread as well and the better of the two is the baseline.
    print("%4s %17s %19s %18s %8s %13s" % ("T", "Myelin samples/s", "PyTorch %d threads" % args.threads,
                                          "PyTorch 1 thread", "ratio", "ratio (best)"))
    with tempfile.TemporaryDirectory() as workdir:
        for steps in [int(s) for s in args.steps.split(",")]:
            mine = myelin_samples_per_second(args.myelin, args.neuron, steps, len(y), args.epochs, args.threads, workdir)
            theirs = torch_samples_per_second(args.neuron, steps, x, y, args.epochs, args.threads)
            single = torch_samples_per_second(args.neuron, steps, x, y, args.epochs, 1) if args.threads > 1 else theirs
            print("%4d %17.0f %19.0f %18.0f %8.2f %13.2f" % (steps, mine, theirs, single, mine / theirs,
                                                           mine / max(theirs, single)), flush=True)
    print("ratio = Myelin (%d threads) / PyTorch (%d threads); ratio (best) = Myelin / the faster PyTorch run; "
          "> 1: Myelin is faster. Load average now %.1f" % (args.threads, args.threads, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
