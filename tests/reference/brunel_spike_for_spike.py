#!/usr/bin/python3
# A straightforward numpy implementation of a small Brunel (2000) delta-synapse network, run on
# the same connectivity, external spike trains and initial potentials as Myelin: the spike
# trains must agree spike for spike (ALGORITHMS.md 1.6.1 acceptance test). Exit 0 pass, 1 fail.
"""Usage: brunel_spike_for_spike.py --myelin build/myelin --workdir DIR

Weights are multiples of 1/8 so every sum of inputs is exact in float and double, and the
membrane arithmetic is the same sequence of IEEE operations in both programs; any difference
in spike times is therefore a difference in the model (order of input, refractoriness,
threshold, delays), not rounding.
"""
import argparse
import math
import os
import subprocess
import sys

try:
    import h5py
    import numpy as np
except ImportError:
    print('SKIP: numpy or h5py is not available to', sys.executable)
    sys.exit(77)

DT = 0.1                 # ms
STEPS = 3000             # 300 ms
N_E, N_I = 400, 100
C_E, C_I = 40, 10        # fixed in-degree, no self-connections
J, G = 0.125, 5.0        # mV; inhibitory -G*J = -0.625 mV
J_EXT, RATE_EXT = 0.5, 2500.0   # external Poisson train per neuron: mV, Hz
DELAY = 15               # steps (1.5 ms)
TAU_M, THETA, V_RESET, REFRAC = 20.0, 20.0, 10.0, 20   # ms, mV, mV, steps (2 ms)


def network(rng):
    n = N_E + N_I
    pre, post = [], []
    for i in range(n):
        for pool_start, pool_size, k in ((0, N_E, C_E), (N_E, N_I, C_I)):
            candidates = [j for j in range(pool_start, pool_start + pool_size) if j != i]
            for j in rng.choice(candidates, size=k, replace=False):
                pre.append(int(j))
                post.append(i)
    # External spikes: per neuron a Poisson number per step (several in one step allowed).
    ext = rng.poisson(RATE_EXT * DT / 1000.0, size=(STEPS, n))
    ext[0] = 0  # a source's spike must be at least one step after 0
    v0 = rng.uniform(0.0, THETA, size=n)
    return np.array(pre), np.array(post), ext, v0


def reference(pre, post, ext, v0):
    """Clock-driven, exactly as ALGORITHMS.md 1.3: input arriving in step k is added to v in
    step k unless refractory; spike when v >= theta; emitted in step k, arriving in step k + D."""
    n = N_E + N_I
    p22 = math.exp(-DT / TAU_M)
    weight = np.where(pre < N_E, J, -G * J)
    ring = np.zeros((DELAY + 1, n))
    v = v0.copy()
    refractory = np.zeros(n, dtype=int)
    spikes = []
    for k in range(STEPS):
        # External spike at step s (time (s+1)*dt) arrives with the 1-step delay in step s + 1.
        jump = ring[k % (DELAY + 1)] + (J_EXT * ext[k - 1] if k > 0 else 0.0)
        ring[k % (DELAY + 1)] = 0.0
        clamped = refractory > 0
        v = np.where(clamped, v, p22 * v + jump)
        refractory = np.where(clamped, refractory - 1, refractory)
        fired = np.nonzero(v >= THETA)[0]
        v[fired] = V_RESET
        refractory[fired] = REFRAC
        for i in fired:
            spikes.append((k, int(i)))
        if len(fired):
            targets = np.isin(pre, fired)
            np.add.at(ring[(k + DELAY) % (DELAY + 1)], post[targets], weight[targets])
    return spikes


def myelin_run(binary, workdir, pre, post, ext, v0):
    os.makedirs(workdir, exist_ok=True)
    n = N_E + N_I
    with open(os.path.join(workdir, 'recurrent.txt'), 'w') as f:
        f.write('# columns = ["i", "j", "weight", "delay"]\n')
        for a, b in zip(pre, post):
            f.write(f'{a} {b} {J if a < N_E else -G * J} {DELAY * DT}\n')
    with open(os.path.join(workdir, 'external.txt'), 'w') as f:
        steps, neurons = np.nonzero(ext)
        for s, i in zip(steps, neurons):
            for _ in range(ext[s, i]):
                f.write(f'{i} {(s + 1) * DT!r}\n')   # emitted in step s, stamped (s+1)*dt
    with open(os.path.join(workdir, 'v0.txt'), 'w') as f:
        f.write('\n'.join(repr(float(x)) for x in v0) + '\n')
    # One population holds E and I (indices 0..399 excitatory): the from_list weights carry the
    # sign, so everything arrives on one delta channel, as in the reference.
    config = f"""
[simulation]
dt = {DT}
duration = {STEPS * DT}
threads = 2
[[population]]
name = "net"
size = {n}
model = "IF_curr_delta"
params = {{ tau_m = {TAU_M}, v_rest = 0.0, v_reset = {V_RESET}, v_thresh = {THETA}, tau_refrac = {REFRAC * DT} }}
init = {{ v = {{ file = "v0.txt" }} }}
[[population]]
name = "ext"
size = {n}
model = "SpikeSourceArray"
params = {{ spike_times_file = "external.txt" }}
[[projection]]
name = "exc"
pre = "net"
post = "net"
connect = {{ rule = "from_list", file = "recurrent_exc.txt" }}
[[projection]]
name = "inh"
pre = "net"
post = "net"
receptor = "inhibitory"
connect = {{ rule = "from_list", file = "recurrent_inh.txt" }}
[[projection]]
name = "external"
pre = "ext"
post = "net"
connect = {{ rule = "one_to_one" }}
weight = {J_EXT}
delay = {DT}
[[record]]
population = "net"
"""
    # Excitatory and inhibitory connections in separate lists (the receptor decides the sign rule).
    lines = open(os.path.join(workdir, 'recurrent.txt')).read().splitlines()[1:]
    with open(os.path.join(workdir, 'recurrent_exc.txt'), 'w') as fe, \
         open(os.path.join(workdir, 'recurrent_inh.txt'), 'w') as fi:
        for line in lines:
            (fe if int(line.split()[0]) < N_E else fi).write(line + '\n')
    path = os.path.join(workdir, 'brunel_reference.toml')
    with open(path, 'w') as f:
        f.write(config)
    out = os.path.join(workdir, 'brunel_reference.h5')
    subprocess.run([binary, 'run', path, '-o', out, '-q'], check=True)
    with h5py.File(out, 'r') as f:
        return list(zip(f['/populations/net/spikes/step'][:].tolist(), f['/populations/net/spikes/neuron'][:].tolist()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--myelin', required=True)
    ap.add_argument('--workdir', required=True)
    args = ap.parse_args()
    pre, post, ext, v0 = network(np.random.default_rng(2000))
    expected = reference(pre, post, ext, v0)
    got = myelin_run(args.myelin, args.workdir, pre, post, ext, v0)
    print(f'reference: {len(expected)} spikes, Myelin: {len(got)} spikes over {STEPS * DT} ms')
    if len(expected) < 1000:
        print('FAIL: the network is too quiet for a meaningful comparison')
        return 1
    if got != expected:
        first = next((k for k, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
        print(f'FAIL: spike {first} differs: Myelin {got[first:first + 3]} reference {expected[first:first + 3]}')
        return 1
    print('spike for spike identical')
    return 0


if __name__ == '__main__':
    sys.exit(main())
