#!/usr/bin/python3
# Peer test: Myelin vs Brian2 (numpy runtime) mean firing rates on a small CUBA network given
# IDENTICAL connectivity, input spike trains and initial v. Exit 0 = pass, 1 = fail, 77 = skip.
"""Compare Myelin's per-population mean rates with Brian2's.

    /usr/bin/python3 tests/peer/compare_rates.py --myelin build/myelin --workdir /tmp/peer
    /usr/bin/python3 tests/peer/compare_rates.py --brian-only      # Brian2 half alone

For each seed, numpy generates one network instance (connection lists, input
spike trains, initial membrane potentials); both simulators run exactly that
instance.  Only per-population mean rates are compared: exact spike times
diverge because the two codes round differently (and may count refractory or
input steps one step apart), and the network amplifies small differences.
The tolerance comes from the rate spread of decorrelated Brian2 replicas of
each instance (see compare()).  About 35 s on a quiet 2-core machine.
Exit status 77 means brian2/h5py/numpy could not be imported (CTest:
SKIP_RETURN_CODE 77).
"""

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
import warnings

try:
    import numpy as np
except ImportError:  # pragma: no cover
    print('SKIP: numpy is not available to', sys.executable)
    sys.exit(77)

# ---------------------------------------------------------------- the model
DT = 0.1                      # ms
NE, NI, NIN = 1600, 400, 50   # excitatory, inhibitory, input sources
# PyNN IF_curr_exp parameters (ms, mV, nA, nF): the Vogels-Abbott CUBA neuron.
# v_rest lies above threshold, so the network is never silent; recurrent
# inhibition sets the rate (~7.5 Hz), and the input spikes add fluctuations.
PARAMS = dict(cm=0.2, tau_m=20.0, v_rest=-49.0, v_reset=-60.0, v_thresh=-50.0,
              tau_refrac=5.0, tau_syn_E=5.0, tau_syn_I=10.0, i_offset=0.0)
P_REC = 0.02                  # recurrent connection probability (no autapses)
P_IN = 0.1                    # input -> neuron connection probability
RATE_IN = 20.0                # Hz per input source
# Weights in nA (inhibitory negative, PyNN convention).  Mean in-degrees are
# 32 E + 8 I + 5 input, half of CUBA's 64 E + 16 I; E and input weights are
# 1x and 2x CUBA's 0.0162 nA (1.62 mV jump), I weights 2x CUBA's -0.09 nA.
# (Population size hardly changes the numpy runtime, which is dominated by
# per-step overhead, but it makes the mean rates less noisy.)
W_EXC, W_INH, W_IN = 0.0162, 2 * -0.09, 2 * 0.0162
DELAY_EXC, DELAY_INH, DELAY_IN = 1.0, 0.5, 0.1   # ms (multiples of dt)
PERTURB_MV = 0.1              # sd of the v0 perturbation of Brian2's replica runs

# Projections: name -> (pre, post, receptor, weight nA, delay ms, p, no autapses)
PROJECTIONS = {
    'ee':  ('exc', 'exc', 'excitatory', W_EXC, DELAY_EXC, P_REC, True),
    'ei':  ('exc', 'inh', 'excitatory', W_EXC, DELAY_EXC, P_REC, False),
    'ie':  ('inh', 'exc', 'inhibitory', W_INH, DELAY_INH, P_REC, False),
    'ii':  ('inh', 'inh', 'inhibitory', W_INH, DELAY_INH, P_REC, True),
    'xe':  ('input', 'exc', 'excitatory', W_IN, DELAY_IN, P_IN, False),
    'xi':  ('input', 'inh', 'excitatory', W_IN, DELAY_IN, P_IN, False),
}
SIZES = {'exc': NE, 'inh': NI, 'input': NIN}
POPS = ('exc', 'inh')         # compared populations

# Two-sided 99.5 % quantiles of Student's t (scipy.stats.t.ppf(0.9975, df)).
T_9975 = {1: 127.321, 2: 14.089, 3: 7.453, 4: 5.598, 5: 4.773, 6: 4.317, 7: 4.029,
          8: 3.833, 9: 3.69, 10: 3.581, 11: 3.497, 12: 3.428, 13: 3.372, 14: 3.326,
          15: 3.286, 16: 3.252, 17: 3.222, 18: 3.197, 19: 3.174, 20: 3.153}
REL_FLOOR = 0.01              # tolerance never below 1 % of the Brian2 rate


class Instance:
    """One random network instance, shared by both simulators."""

    def __init__(self, seed, duration_ms):
        rng = np.random.default_rng(seed)
        self.seed = seed
        self.duration_ms = duration_ms
        self.nsteps = int(round(duration_ms / DT))
        self.pairs = {}
        for name, (pre, post, _, _, _, p, no_self) in PROJECTIONS.items():
            mask = rng.random((SIZES[pre], SIZES[post])) < p
            if no_self:
                np.fill_diagonal(mask, False)
            i, j = np.nonzero(mask)
            self.pairs[name] = (i.astype(np.int64), j.astype(np.int64))
        # Input spikes: Bernoulli(rate*dt) per source and step, steps >= 10
        # (t >= 1 ms), at most one spike per source and step.
        fire = rng.random((NIN, self.nsteps)) < RATE_IN * DT * 1e-3
        fire[:, :10] = False
        src, step = np.nonzero(fire)
        order = np.lexsort((src, step))
        self.in_src, self.in_step = src[order], step[order]
        # Initial v uniform in [v_reset, v_thresh), rounded to 1e-6 mV so the
        # decimal text given to Myelin is exact enough to be "identical".
        self.v0 = {pop: np.round(rng.uniform(PARAMS['v_reset'], PARAMS['v_thresh'],
                                             SIZES[pop]), 6) for pop in POPS}


# ---------------------------------------------------------------- Brian2 half
def run_brian2(inst, v0=None):
    """Runs the instance in Brian2's numpy runtime (initial v: v0 or inst.v0);
    returns {pop: rate_Hz}."""
    import brian2 as b2
    ms, mV = b2.ms, b2.mV
    b2.prefs.codegen.target = 'numpy'
    b2.defaultclock.dt = DT * ms
    # Brian's CUBA voltage form: ge, gi in mV; a current jump of w nA is a
    # jump of w * tau_m / cm mV (nA * ms / nF = mV).  Identical dynamics to
    # IF_curr_exp: dv/dt = (v_rest - v)/tau_m + (i_e + i_i)/cm, di/dt = -i/tau_syn.
    scale = PARAMS['tau_m'] / PARAMS['cm']
    ns = dict(taum=PARAMS['tau_m'] * ms, taue=PARAMS['tau_syn_E'] * ms,
              taui=PARAMS['tau_syn_I'] * ms, El=PARAMS['v_rest'] * mV,
              Vt=PARAMS['v_thresh'] * mV, Vr=PARAMS['v_reset'] * mV)
    eqs = '''
    dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
    dge/dt = -ge / taue : volt
    dgi/dt = -gi / taui : volt
    '''
    P = b2.NeuronGroup(NE + NI, eqs, threshold='v > Vt', reset='v = Vr',
                       refractory=PARAMS['tau_refrac'] * ms, method='exact',
                       namespace=ns)
    v0 = inst.v0 if v0 is None else v0
    P.v = np.concatenate([v0['exc'], v0['inh']]) * mV
    P.ge = 0 * mV
    P.gi = 0 * mV
    G = b2.SpikeGeneratorGroup(NIN, inst.in_src, inst.in_step * DT * ms)
    sources = {'exc': P[:NE], 'inh': P[NE:], 'input': G}
    offset = {'exc': 0, 'inh': NE}
    objs = [P, G]
    # One Synapses object per projection (keeps receptor/weight/delay per projection).
    for name, (pre, post, receptor, w, d, _, _) in PROJECTIONS.items():
        i, j = inst.pairs[name]
        var = 'ge' if receptor == 'excitatory' else 'gi'
        S = b2.Synapses(sources[pre], P, on_pre=f'{var}_post += wjump', delay=d * ms,
                        namespace={'wjump': w * scale * mV}, name=f'syn_{name}')
        S.connect(i=i, j=j + offset[post])
        objs.append(S)
    mon = b2.SpikeMonitor(P, record=False)
    objs.append(mon)
    net = b2.Network(objs)
    net.run(inst.duration_ms * ms)
    counts = np.asarray(mon.count[:])
    dur_s = inst.duration_ms * 1e-3
    return {'exc': counts[:NE].sum() / (NE * dur_s),
            'inh': counts[NE:].sum() / (NI * dur_s)}


# ---------------------------------------------------------------- Myelin half
class MyelinError(RuntimeError):
    pass


def _write_list(path, rows, header):
    with open(path, 'w') as f:
        f.write(f'# {header}\n')
        for row in rows:
            f.write(' '.join(row) + '\n')


def write_myelin_inputs(inst, d):
    """Writes lists, spike trains, initial v and cfg.toml into d; returns cfg path."""
    os.makedirs(d, exist_ok=True)
    files = {}
    for name, (i, j) in inst.pairs.items():
        files[name] = os.path.join(d, f'{name}.txt')
        _write_list(files[name], ((str(a), str(b)) for a, b in zip(i.tolist(), j.tolist())),
                    f'{name}: pre post (0-based), seed {inst.seed}')
    # lines "neuron_index time_ms" (no comment line: the format does not promise one)
    spk = os.path.join(d, 'input_spikes.txt')
    with open(spk, 'w') as f:
        f.writelines(f'{s} {k * DT:.1f}\n' for s, k in
                     zip(inst.in_src.tolist(), inst.in_step.tolist()))
    v0 = {}
    for pop in POPS:
        v0[pop] = os.path.join(d, f'v0_{pop}.txt')
        with open(v0[pop], 'w') as f:
            f.write('\n'.join(f'{x:.6f}' for x in inst.v0[pop]) + '\n')
    out = os.path.join(d, 'out.h5')
    params = ', '.join(f'{k} = {v!r}' for k, v in PARAMS.items())
    lines = ['# Myelin side of tests/peer/compare_rates.py (generated)',
             '[simulation]', f'dt = {DT}', f'duration = {inst.duration_ms!r}',
             f'seed = {inst.seed}', '']
    for pop in POPS:
        lines += ['[[population]]', f'name = "{pop}"', f'size = {SIZES[pop]}',
                  'model = "IF_curr_exp"', f'params = {{ {params} }}',
                  f'init = {{ v = {{ file = "{v0[pop]}" }} }}', '']
    lines += ['[[population]]', 'name = "input"', f'size = {NIN}',
              'model = "SpikeSourceArray"', f'params = {{ spike_times_file = "{spk}" }}', '']
    for name, (pre, post, receptor, w, dl, _, _) in PROJECTIONS.items():
        lines += ['[[projection]]', f'name = "{name}"', f'pre = "{pre}"', f'post = "{post}"',
                  f'receptor = "{receptor}"',
                  f'connect = {{ rule = "from_list", file = "{files[name]}" }}',
                  f'weight = {w!r}', f'delay = {dl!r}', '']
    for pop in POPS:
        lines += ['[[record]]', f'population = "{pop}"', 'spikes = true', '']
    lines += ['[output]', f'file = "{out}"', '']
    cfg = os.path.join(d, 'cfg.toml')
    with open(cfg, 'w') as f:
        f.write('\n'.join(lines))
    return cfg, out


def read_myelin_rates(path, inst):
    import h5py
    if not os.path.isfile(path):
        raise MyelinError(f'Myelin wrote no output file {path}')
    rates = {}
    with h5py.File(path, 'r') as h:
        if 'meta' in h:
            meta = h['meta'].attrs
            for key, want in (('dt_ms', DT), ('duration_ms', inst.duration_ms)):
                if key in meta and abs(float(meta[key]) - want) > 1e-9:
                    raise MyelinError(f'{path}: /meta {key} = {meta[key]}, expected {want}')
        for pop in POPS:
            g = f'populations/{pop}'
            if g not in h or 'spikes' not in h[g] or 'neuron' not in h[g]['spikes']:
                raise MyelinError(f'{path}: missing /{g}/spikes/neuron')
            size = int(h[g].attrs.get('size', SIZES[pop]))
            if size != SIZES[pop]:
                raise MyelinError(f'{path}: /{g} size {size}, expected {SIZES[pop]}')
            neuron = np.asarray(h[g]['spikes']['neuron'][:])
            if neuron.size and (neuron.min() < 0 or neuron.max() >= size):
                raise MyelinError(f'{path}: /{g}/spikes/neuron out of range')
            if 'step' in h[g]['spikes']:
                step = np.asarray(h[g]['spikes']['step'][:])
                if step.shape != neuron.shape:
                    raise MyelinError(f'{path}: /{g}/spikes step/neuron lengths differ')
                if step.size and (step.min() < 0 or step.max() >= inst.nsteps):
                    raise MyelinError(f'{path}: /{g}/spikes/step outside [0, {inst.nsteps})')
            rates[pop] = neuron.size / (size * inst.duration_ms * 1e-3)
    return rates


def run_myelin(myelin, inst, d):
    cfg, out = write_myelin_inputs(inst, d)
    if os.path.exists(out):
        os.remove(out)
    cmd = [myelin, 'run', cfg, '-o', out]
    try:
        p = subprocess.run(cmd, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise MyelinError(f'`{" ".join(cmd)}` timed out after 300 s')
    except OSError as e:
        raise MyelinError(f'cannot run {myelin}: {e}')
    if p.returncode != 0:
        tail = '\n'.join(p.stdout.splitlines()[-40:])
        raise MyelinError(f'`{" ".join(cmd)}` exited with {p.returncode}:\n{tail}')
    return read_myelin_rates(out, inst)


# ---------------------------------------------------------------- statistics
def compare(brian, replica, myelin):
    """Per population: pass iff |mean_s (M_s - B_s)| <= tol.

    Tolerance rationale.  For seed s both simulators run the same network
    instance (connectivity, input spikes, v0), so the natural comparison is
    paired: d_s = M_s - B_s.  The model is deterministic; M_s and B_s differ
    only because rounding differences (and legitimately different but
    equivalent step conventions) are amplified by the network's dynamics
    until the two spike trains decorrelate.  The largest rate difference
    this can produce is that between two decorrelated trajectories of the
    same instance.  Its size is measured directly: Brian2 runs each instance
    a second time (replica R_s) with v0 perturbed by N(0, PERTURB_MV^2),
    which decorrelates the spike trains.  With the within-instance variance
    sigma_w^2 estimated as mean_s (R_s - B_s)^2 / 2 (S degrees of freedom),
    the same-model hypothesis gives E[d] = 0 and Var(mean d) <= 2 sigma_w^2 / S,
    so  t = mean(d) / sqrt(2 sigma_w^2 / S)  is at most Student-t with S
    degrees of freedom.  The threshold is its two-sided 99.5 % quantile
    (S = 4: 5.60, i.e. tol = 3.96 sigma_w; a same-model pair fails < 0.5 %
    of the time per population).  Network-to-network variation, which is
    several times larger (seed-to-seed sd printed for reference), cancels
    in the pairing, so rate errors of a few per cent are caught.  A floor
    of 1 % of the rate stops the test demanding more than a rate test can
    mean should sigma_w come out tiny by chance; conventions that may
    legitimately differ (e.g. whether the refractory clamp lasts
    tau_refrac/dt steps or one step less, or SpikeSourceArray spikes being
    emitted one step earlier) move the rate by well under 1 %.
    """
    S = len(brian)
    tq = T_9975.get(S, 3.0)
    ok = True
    print(f'\n{"pop":>4} {"Brian2":>8} {"Myelin":>8} {"mean d":>8} {"sigma_w":>8} '
          f'{"tol":>7} {"sd seeds":>8}  result   (rates in Hz, means over {S} seeds)')
    for pop in POPS:
        b = np.array([r[pop] for r in brian])
        rep = np.array([r[pop] for r in replica])
        m = np.array([r[pop] for r in myelin])
        d = m - b
        sigma_w = math.sqrt(np.mean((rep - b) ** 2) / 2)
        tol = max(tq * math.sqrt(2.0 / S) * sigma_w, REL_FLOOR * b.mean())
        good = bool(abs(d.mean()) <= tol) and m.mean() > 0
        ok &= good
        print(f'{pop:>4} {b.mean():8.3f} {m.mean():8.3f} {d.mean():8.3f} {sigma_w:8.3f} '
              f'{tol:7.3f} {b.std(ddof=1):8.3f}  {"ok" if good else "FAIL"}')
        print(f'     per seed M - B: {np.array2string(d, precision=3)}   '
              f'replica - B: {np.array2string(rep - b, precision=3)}')
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--myelin', help='path of the myelin executable')
    ap.add_argument('--workdir', help='directory for generated files (default: a temporary one)')
    ap.add_argument('--seeds', type=int, default=4, help='number of network instances (>= 2)')
    ap.add_argument('--first-seed', type=int, default=1)
    ap.add_argument('--duration', type=float, default=1000.0, help='ms per run')
    ap.add_argument('--brian-only', action='store_true',
                    help='run only the Brian2 half (no Myelin binary needed)')
    args = ap.parse_args(argv)
    if args.seeds < 2:
        ap.error('--seeds must be >= 2')
    if not args.brian_only and not args.myelin:
        ap.error('--myelin PATH is required (or --brian-only)')

    warnings.filterwarnings('ignore', category=FutureWarning)   # Debian pythran + numpy 1.24
    try:
        import importlib
        importlib.import_module('brian2')
        importlib.import_module('h5py')
    except ImportError as e:
        print(f'SKIP: {e} (run with /usr/bin/python3, which has python3-brian and h5py)')
        return 77

    myelin = None
    if not args.brian_only:
        myelin = os.path.abspath(args.myelin)
        if not (os.path.isfile(myelin) and os.access(myelin, os.X_OK)):
            print(f'FAIL: Myelin executable not found or not executable: {myelin}')
            return 1
    workdir = args.workdir or tempfile.mkdtemp(prefix='myelin_peer_')
    os.makedirs(workdir, exist_ok=True)
    print(f'peer test: {NE} exc + {NI} inh IF_curr_exp, {NIN} input sources at {RATE_IN} Hz, '
          f'p_rec = {P_REC}, {args.seeds} seeds x {args.duration} ms, dt = {DT} ms; '
          f'workdir {workdir}')

    brian, replica, myel = [], [], []
    t_start = time.perf_counter()
    for k in range(args.seeds):
        seed = args.first_seed + k
        inst = Instance(seed, args.duration)
        nsyn = sum(len(i) for i, _ in inst.pairs.values())
        t0 = time.perf_counter()
        rb = run_brian2(inst)
        prng = np.random.default_rng([seed, 12345])
        rr = run_brian2(inst, {pop: v + PERTURB_MV * prng.standard_normal(v.size)
                               for pop, v in inst.v0.items()})
        tb = time.perf_counter() - t0
        brian.append(rb)
        replica.append(rr)
        line = (f'seed {seed}: {nsyn} synapses, {inst.in_src.size} input spikes | Brian2 '
                f'exc {rb["exc"]:.3f} inh {rb["inh"]:.3f} Hz (replica {rr["exc"]:.3f} '
                f'{rr["inh"]:.3f}; {tb:.1f} s)')
        if myelin:
            t0 = time.perf_counter()
            try:
                rm = run_myelin(myelin, inst, os.path.join(workdir, f'seed{seed}'))
            except MyelinError as e:
                print(line)
                print(f'FAIL: Myelin run for seed {seed}: {e}')
                return 1
            tm = time.perf_counter() - t0
            myel.append(rm)
            line += f' | Myelin exc {rm["exc"]:.3f} inh {rm["inh"]:.3f} Hz ({tm:.1f} s)'
        print(line, flush=True)

    if not myelin:
        for pop in POPS:
            b = np.array([r[pop] for r in brian])
            rep = np.array([r[pop] for r in replica])
            print(f'Brian2 {pop}: mean {b.mean():.3f} Hz, seed-to-seed sd {b.std(ddof=1):.3f}, '
                  f'within-instance sigma_w {math.sqrt(np.mean((rep - b) ** 2) / 2):.3f} Hz')
        print(f'Brian2 half only ({time.perf_counter() - t_start:.1f} s); nothing compared')
        return 0
    ok = compare(brian, replica, myel)
    print(f'\n{"PASS" if ok else "FAIL"} ({time.perf_counter() - t_start:.1f} s)')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
