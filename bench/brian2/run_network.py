#!/usr/bin/python3
# Brian2 (C++ standalone, 1 thread, dt = 0.1 ms) versions of Myelin's benchmark networks
# (cuba, coba, cuba_stdp, brunel); prints/writes a JSON report of timings, spikes, rates, peak RSS.
"""Brian2 peer benchmarks for Myelin.

Usage (Debian's python3-brian lives in /usr/bin/python3):

    /usr/bin/python3 bench/brian2/run_network.py cuba [--duration 10000] [--seed 1]
        [--workdir DIR] [--json out.json]
    /usr/bin/python3 bench/brian2/run_network.py brunel --n 100000 --duration 1000

Each network/size gets its own Brian2 project directory (default
``bench/brian2/build/<network>[_n<N>][_prob]``) so that a rerun is warm: Brian2 only
rewrites generated files whose content changed and ``make`` then recompiles
only those (typically main.cpp, which carries the seed and the duration).

C++ compile flags are left at Brian2's defaults
(``prefs.codegen.cpp.extra_compile_args_gcc`` = -w -O3 -ffast-math
-fno-finite-math-only -march=native -std=c++11); OpenMP stays off
(``devices.cpp_standalone.openmp_threads`` = 0), i.e. one thread.

Model conventions shared with Myelin (see bench/brian2/README.md for details):
 * schedule per step: state update -> threshold -> synaptic propagation -> reset;
 * a spike emitted in step k with ``delay = d*dt`` (d >= 1) is applied to the
   synaptic variable in step k+d (after that step's state update), so the
   membrane sees it from step k+d+1 on;
 * ``(unless refractory)`` clamps v while refractory; the brunel network
   additionally discards (recurrent and external) input that arrives while the
   target is refractory.
"""

import argparse
import json
import os
import sys
import time
import warnings

NETWORKS = ('cuba', 'coba', 'cuba_stdp', 'brunel')
DEFAULT_DURATION_MS = {'cuba': 10000.0, 'coba': 1000.0, 'cuba_stdp': 10000.0,
                       'brunel': 1000.0}
HERE = os.path.dirname(os.path.abspath(__file__))

# Wrapper used as Brian2's run command: it runs ./main and writes the peak
# resident set size of that one process (os.wait4 rusage of the child, i.e.
# the generated simulation binary alone: not the compiler, not this Python
# process) to results/peak_rss_bytes.txt.  Linux reports ru_maxrss in KiB.
_RSS_WRAPPER = r'''
import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:])
_, status, ru = os.wait4(p.pid, 0)
with open(os.path.join("results", "peak_rss_bytes.txt"), "w") as f:
    f.write(str(ru.ru_maxrss * 1024))
sys.exit(os.waitstatus_to_exitcode(status))
'''


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('network', choices=NETWORKS)
    ap.add_argument('--duration', type=float, default=None,
                    help='simulated time in ms (default: per network)')
    ap.add_argument('--n', type=int, default=10000,
                    help='brunel only: total number of neurons (default 10000)')
    ap.add_argument('--brunel-rule', choices=('indegree', 'prob'), default='indegree',
                    help='brunel only: fixed in-degree 800/200 as experiments/brunel.toml '
                         '(default) or Bernoulli p = 800/N_E, 200/N_I')
    ap.add_argument('--brunel-delay', type=float, default=1.5,
                    help='brunel only: synaptic delay in ms (default 1.5)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--workdir', default=None,
                    help='Brian2 project directory (default bench/brian2/build/NAME[_nN][_prob])')
    ap.add_argument('--json', default=None, help='also write the report here')
    ap.add_argument('--no-spike-record', action='store_true',
                    help='count spikes only (SpikeMonitor(record=False))')
    ap.add_argument('--float32', action='store_true',
                    help='prefs.core.default_float_dtype = float32 (like Myelin\'s precision = "single")')
    args = ap.parse_args(argv)
    if args.duration is None:
        args.duration = DEFAULT_DURATION_MS[args.network]
    if args.duration <= 0:
        ap.error('--duration must be positive')
    if args.network == 'brunel' and args.n < 1250:
        ap.error('--n must be >= 1250 (the in-degrees are 800 and 200)')
    if args.brunel_delay < 0.1 or abs(args.brunel_delay * 10 - round(args.brunel_delay * 10)) > 1e-9:
        ap.error('--brunel-delay must be a multiple of dt = 0.1 ms, at least 0.1 ms')
    if args.workdir is None:
        tag = args.network
        if args.network == 'brunel':
            tag += f'_n{args.n}' + ('_prob' if args.brunel_rule == 'prob' else '')
        if args.float32:
            tag += '_float32'
        args.workdir = os.path.join(HERE, 'build', tag)
    return args


# --------------------------------------------------------------------------
# Network definitions.  Each builder returns (objects, pops, synapses) where
# pops maps population name -> (SpikeMonitor, size) and synapses is the list
# of Synapses objects whose sizes add up to the reported synapse count.
# --------------------------------------------------------------------------

def _spike_monitor(b2, group, record):
    return b2.SpikeMonitor(group, record=record)


def build_cuba(b2, record, stdp=False):
    """Vogels & Abbott (2005) CUBA, Brian's voltage form (4000 = 3200 E + 800 I)."""
    ms, mV = b2.ms, b2.mV
    NE, NI = 3200, 800
    ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms,
              El=-49 * mV, Vt=-50 * mV, Vr=-60 * mV,
              we=1.62 * mV, wi=-9.0 * mV)
    eqs = '''
    dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
    dge/dt = -ge / taue : volt
    dgi/dt = -gi / taui : volt
    '''
    P = b2.NeuronGroup(NE + NI, eqs, threshold='v > Vt', reset='v = Vr',
                       refractory=5 * ms, method='exact', namespace=ns, name='P')
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * mV
    P.gi = 0 * mV
    Pe, Pi = P[:NE], P[NE:]
    delay = 0.1 * ms
    syn = []
    if stdp:
        # Pair-based additive STDP, all-to-all pairing via event-driven traces
        # (Brian2's standard STDP example form), on E->E only.
        wmax = 2 * 1.62 * mV
        sns = dict(ns, taupre=20 * ms, taupost=20 * ms, wmax=wmax,
                   Apre=0.01 * wmax, Apost=-1.05 * 0.01 * wmax)
        Cee = b2.Synapses(Pe, Pe, model='''
            w : volt
            dapre/dt  = -apre / taupre   : volt (event-driven)
            dapost/dt = -apost / taupost : volt (event-driven)
            ''',
            on_pre='''
            ge_post += w
            apre += Apre
            w = clip(w + apost, 0*mV, wmax)
            ''',
            on_post='''
            apost += Apost
            w = clip(w + apre, 0*mV, wmax)
            ''',
            delay=delay, namespace=sns, name='Cee')
        Cee.connect(condition='i != j', p=0.02)
        Cee.w = 1.62 * mV
        Cei = b2.Synapses(Pe, Pi, on_pre='ge_post += we', delay=delay,
                          namespace=ns, name='Cei')
        Cei.connect(p=0.02)
        syn += [Cee, Cei]
    else:
        # Pe starts at index 0 of P, so the subgroup-relative i equals the
        # absolute index and 'i != j' excludes exactly the autapses.
        Ce = b2.Synapses(Pe, P, on_pre='ge_post += we', delay=delay,
                         namespace=ns, name='Ce')
        Ce.connect(condition='i != j', p=0.02)
        syn.append(Ce)
    Ci = b2.Synapses(Pi, P, on_pre='gi_post += wi', delay=delay,
                     namespace=dict(ns, NE=NE), name='Ci')
    Ci.connect(condition='i + NE != j', p=0.02)
    syn.append(Ci)
    pops = {'exc': (_spike_monitor(b2, Pe, record), NE),
            'inh': (_spike_monitor(b2, Pi, record), NI)}
    return [P] + syn + [m for m, _ in pops.values()], pops, syn


def build_coba(b2, record):
    """PyNN VAbenchmarks COBA (IF_cond_exp), 3200 E + 800 I, 50 ms Poisson kick."""
    ms, mV, nS, nF = b2.ms, b2.mV, b2.nS, b2.nF
    NE, NI = 3200, 800
    ns = dict(Cm=0.2 * nF, gL=10 * nS, EL=-60 * mV, Ee=0 * mV, Ei=-80 * mV,
              Vt=-50 * mV, Vr=-60 * mV, taue=5 * ms, taui=10 * ms,
              we=4 * nS, wi=51 * nS, wext=100 * nS)
    eqs = '''
    dv/dt  = (gL*(EL - v) + ge*(Ee - v) + gi*(Ei - v)) / Cm : volt (unless refractory)
    dge/dt = -ge / taue : siemens
    dgi/dt = -gi / taui : siemens
    '''
    # exponential_euler: v is advanced exactly for the step with ge, gi frozen
    # at their start-of-step values; ge, gi decay exactly (all from old values).
    P = b2.NeuronGroup(NE + NI, eqs, threshold='v > Vt', reset='v = Vr',
                       refractory=5 * ms, method='exponential_euler',
                       namespace=ns, name='P')
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * nS
    P.gi = 0 * nS
    Pe, Pi = P[:NE], P[NE:]
    delay = 0.1 * ms
    Ce = b2.Synapses(Pe, P, on_pre='ge_post += we', delay=delay,
                     namespace=ns, name='Ce')
    Ce.connect(condition='i != j', p=0.02)
    Ci = b2.Synapses(Pi, P, on_pre='gi_post += wi', delay=delay,
                     namespace=dict(ns, NE=NE), name='Ci')
    Ci.connect(condition='i + NE != j', p=0.02)
    # 20 Poisson sources at 100 Hz during [0, 50) ms (steps 0..499), p = 0.01
    stim = b2.PoissonGroup(20, rates='100*Hz * int(t < 50*ms)', name='kick')
    Cx = b2.Synapses(stim, P, on_pre='ge_post += wext', delay=delay,
                     namespace=ns, name='Cx')
    Cx.connect(p=0.01)
    syn = [Ce, Ci, Cx]
    pops = {'exc': (_spike_monitor(b2, Pe, record), NE),
            'inh': (_spike_monitor(b2, Pi, record), NI),
            'kick': (_spike_monitor(b2, stim, record), 20)}
    return [P, stim] + syn + [m for m, _ in pops.values()], pops, syn


def build_brunel(b2, record, n, rule='indegree', delay_ms=1.5):
    """Brunel (2000) model A, delta synapses, g = 5, eta = 2 (N = n)."""
    ms, mV = b2.ms, b2.mV
    NE = int(round(0.8 * n))      # the rest, n - NE, are inhibitory
    CE, CI = 800, 200       # in-degrees (fixed, as experiments/brunel.toml), or mean in-degrees
    tau, theta, J, g, eta = 20 * ms, 20 * mV, 0.1 * mV, 5.0, 2.0
    nu_thr = theta / (J * CE * tau)          # 12.5 Hz
    nu_ext = eta * nu_thr                    # 25 Hz per external source
    ns = dict(tau=tau, theta=theta, Vr=10 * mV, J=J, gJ=g * J)
    P = b2.NeuronGroup(n, 'dv/dt = -v / tau : volt (unless refractory)',
                       threshold='v > theta', reset='v = Vr',
                       refractory=2 * ms, method='exact', namespace=ns, name='P')
    P.v = 'rand() * theta'
    pops = {'exc': P[:NE], 'inh': P[NE:]}
    # Input arriving while the target is refractory is discarded (as in NEST
    # and Myelin).  Brian already makes every write to an '(unless refractory)'
    # variable conditional on not_refractory; the explicit factor documents it.
    # not_refractory is False from the spike step itself (the threshold clears
    # it before the synapses slot) through the last clamped step.
    syn = []
    for src in ('exc', 'inh'):
        for tgt in ('exc', 'inh'):
            w = 'J' if src == 'exc' else '-gJ'
            S = b2.Synapses(pops[src], pops[tgt],
                            on_pre=f'v_post += {w} * int(not_refractory_post)',
                            delay=delay_ms * ms, namespace=ns, name=f'C{src[0]}{tgt[0]}')
            k = CE if src == 'exc' else CI
            if rule == 'indegree':
                # Each target draws exactly k distinct sources (Myelin's fixed_number_pre);
                # for E->E and I->I from the N_pre - 1 others: draw from [0, N_pre-1) and
                # shift draws >= j up by one (i, j are subgroup-relative here).
                if src == tgt:
                    S.connect(i=f'_s + int(_s >= j) for _s in sample(N_pre - 1, size={k})')
                else:
                    S.connect(i=f'_s for _s in sample(N_pre, size={k})')
            else:
                # Bernoulli with p = k / N_pre (mean in-degree k), no autapses
                p = min(1.0, k / len(pops[src]))
                if src == tgt:
                    S.connect(condition='i != j', p=p)
                else:
                    S.connect(p=p)
            syn.append(S)
    # PoissonInput accepts a string weight evaluated in the target group
    # (brian2/input/poissoninput.py: code = 'v += binomial()*(weight)' run in
    # the 'synapses' slot), so refractory targets drop their external input too.
    # Each step a neuron gets Binomial(800, nu_ext*dt) events of size J.
    ext = b2.PoissonInput(P, 'v', N=CE, rate=nu_ext,
                          weight='J * int(not_refractory)')
    mons = {name: (_spike_monitor(b2, grp, record), len(grp)) for name, grp in pops.items()}
    return [P, ext] + syn + [m for m, _ in mons.values()], mons, syn


# --------------------------------------------------------------------------

def main(argv=None):
    args = parse_args(argv)
    # numpy >= 1.24 makes Debian's pythran (imported by brian2) emit FutureWarnings
    warnings.filterwarnings('ignore', category=FutureWarning)
    import brian2 as b2
    from brian2 import prefs, set_device, device, defaultclock

    workdir = os.path.abspath(args.workdir)
    os.makedirs(workdir, exist_ok=True)
    set_device('cpp_standalone', directory=workdir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = 0   # no OpenMP: one thread
    prefs.devices.cpp_standalone.run_cmd_unix = [sys.executable, '-c',
                                                 _RSS_WRAPPER, './main']
    defaultclock.dt = 0.1 * b2.ms
    if args.float32:
        prefs.core.default_float_dtype = b2.float32
    b2.seed(args.seed)

    record = not args.no_spike_record
    if args.network == 'cuba':
        objs, pops, syn = build_cuba(b2, record)
    elif args.network == 'cuba_stdp':
        objs, pops, syn = build_cuba(b2, record, stdp=True)
    elif args.network == 'coba':
        objs, pops, syn = build_coba(b2, record)
    else:
        objs, pops, syn = build_brunel(b2, record, args.n, args.brunel_rule, args.brunel_delay)

    net = b2.Network(objs)
    # compile_s: code generation (happens in net.run for standalone) + writing
    # the project + make.  sim_s: Brian's own timer around the main loop
    # (std::clock in network.cpp, i.e. CPU time of the single thread; written
    # to results/last_run_info.txt, read back as device._last_run_time).
    t0 = time.perf_counter()
    net.run(args.duration * b2.ms, report=None)
    device.build(directory=workdir, compile=True, run=False, with_output=False)
    compile_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    device.run(workdir, with_output=False, run_args=[])
    binary_wall_s = time.perf_counter() - t1

    with open(os.path.join(workdir, 'results', 'peak_rss_bytes.txt')) as f:
        peak_rss = int(f.read())
    sim_s = float(device._last_run_time)
    neurons = sum(size for name, (_, size) in pops.items() if name != 'kick')
    dur_s = args.duration / 1000.0
    spikes, rates, late = {}, {}, {}
    for name, (mon, size) in pops.items():
        c = int(mon.num_spikes)
        spikes[name] = c
        rates[name] = c / (size * dur_s)
        if record:
            # rate over the second half of the run: shows whether activity
            # self-sustains (coba: the Poisson kick stops at 50 ms)
            n_late = int((mon.t_[:] >= dur_s / 2).sum())
            late[name] = n_late / (size * dur_s / 2)
    report = {
        'simulator': 'brian2',
        'brian2_version': b2.__version__,
        'network': args.network,
        'neurons': neurons,
        'synapses': int(sum(len(s) for s in syn)),
        'duration_ms': args.duration,
        'dt_ms': 0.1,
        'seed': args.seed,
        'threads': 1,
        'sim_s': sim_s,
        'compile_s': compile_s,
        # wall time of the binary: setup (connect, init) + sim loop + writing results
        'binary_wall_s': binary_wall_s,
        'spikes': spikes,
        'rate_hz': rates,
        'rate_hz_second_half': late,
        # peak RSS of the generated simulation binary alone (os.wait4 rusage)
        'peak_rss_bytes': peak_rss,
        'workdir': workdir,
    }
    if args.network == 'brunel':
        report.update(n=args.n, connect=args.brunel_rule, delay_ms=args.brunel_delay)
    if args.network == 'cuba_stdp':
        w = syn[0].w[:] / b2.mV
        report['stdp_w_mean_mV'] = float(w.mean())
        report['stdp_w_at_bounds'] = [int((w <= 0).sum()), int((w >= 3.24 - 1e-9).sum())]
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        with open(args.json, 'w') as f:
            f.write(text + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
