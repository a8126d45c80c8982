#!/usr/bin/env python3
# Runs Myelin and Brian2 (C++ standalone, bench/brian2/run_network.py) on the same benchmark
# networks and prints a table of build/sim times, speed-up, spikes/rates, peak RSS, bytes/synapse.
"""Myelin vs Brian2 benchmark driver.

Examples (from the repository root):

    python3 bench/compare_brian2.py
    python3 bench/compare_brian2.py --networks cuba,brunel --repeat 3 --brunel-n 100000

The Myelin side runs
    MYELIN run experiments/NAME.toml --threads T --seed S -o TMP.h5 --report-json TMP.json [--set ...]
(NAME: cuba, coba, stdp, brunel) and reads the report JSON; the Brian2 side runs
    /usr/bin/python3 bench/brian2/run_network.py NETWORK --duration D --seed S --json TMP.json
with D taken from Myelin's report (or --duration), so both simulate the same time.
With --repeat R the two run in turns, R times each; the table gives the ratio of the medians
(B/M) and of the fastest runs (B/M min).
Brian2's sim_s excludes code generation and compilation (its compiled project is
kept in bench/brian2/build/, so only the first run of a network compiles from scratch).
The two simulators draw different random instances (connectivity, v0, Poisson input), so
their rates agree only statistically: for cuba the instance-to-instance sd of the mean
rate is about 0.25 Hz (exc) and 0.065 Hz (inh) in either simulator (16 seeds each).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BRIAN_SCRIPT = os.path.join(ROOT, 'bench', 'brian2', 'run_network.py')
NETWORKS = ('cuba', 'coba', 'cuba_stdp', 'brunel')
MYELIN_CONFIG = {'cuba': 'cuba', 'coba': 'coba', 'cuba_stdp': 'stdp', 'brunel': 'brunel'}
MYELIN_KEYS = ('neurons', 'synapses', 'synaptic_events', 'build_s', 'sim_s', 'duration_ms', 'steps',
               'spikes', 'rate_hz', 'peak_rss_bytes', 'synapse_bytes')
BRIAN_KEYS = ('neurons', 'synapses', 'sim_s', 'compile_s', 'duration_ms',
              'spikes', 'rate_hz', 'peak_rss_bytes')


class DriverError(RuntimeError):
    pass


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description='Compare Myelin and Brian2 on the benchmark networks.')
    ap.add_argument('--myelin', default=os.path.join(ROOT, 'build', 'myelin'),
                    help='path of the myelin executable (default build/myelin)')
    ap.add_argument('--networks', default=','.join(NETWORKS),
                    help='comma/space separated subset of ' + ','.join(NETWORKS))
    ap.add_argument('--threads', type=int, default=1, help='Myelin threads (Brian2 always uses 1)')
    ap.add_argument('--repeat', type=int, default=1,
                    help='run each simulator R times per network and take the median sim_s')
    ap.add_argument('--brunel-n', type=int, default=10000, help='total size of the brunel network')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--duration', type=float, default=None,
                    help='override the simulated time (ms) of every network, for both '
                         'simulators (Myelin: --set simulation.duration=MS)')
    ap.add_argument('--set', action='append', default=[], metavar='KEY=VALUE',
                    help='extra --set passed to every Myelin run')
    ap.add_argument('--precision', choices=('double', 'single'), default='double',
                    help='single: Myelin --set simulation.precision=single, Brian2 float32 state')
    ap.add_argument('--brian-python', default='/usr/bin/python3',
                    help='python interpreter that has brian2 (default /usr/bin/python3)')
    ap.add_argument('--json-out', default=None, help='write all raw reports here')
    ap.add_argument('--keep-tmp', action='store_true', help='keep the temporary directory')
    args = ap.parse_args(argv)
    nets = [n for n in args.networks.replace(',', ' ').split() if n]
    bad = [n for n in nets if n not in NETWORKS]
    if bad or not nets:
        ap.error(f'unknown network(s) {bad}; choose from {", ".join(NETWORKS)}')
    args.networks = nets
    if args.repeat < 1 or args.threads < 1 or args.brunel_n < 1250:
        ap.error('--repeat and --threads must be >= 1, --brunel-n >= 1250')
    return args


def _run(cmd, what):
    print('+ ' + ' '.join(cmd), file=sys.stderr, flush=True)
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        tail = '\n'.join(p.stdout.splitlines()[-30:])
        raise DriverError(f'{what} failed with exit code {p.returncode}:\n{tail}')
    return p.stdout


def _load_report(path, keys, what):
    if not os.path.isfile(path):
        raise DriverError(f'{what}: report {path} was not written')
    try:
        with open(path) as f:
            rep = json.load(f)
    except json.JSONDecodeError as e:
        raise DriverError(f'{what}: report {path} is not valid JSON: {e}')
    missing = [k for k in keys if k not in rep]
    if missing:
        raise DriverError(f'{what}: report {path} lacks key(s) {", ".join(missing)}')
    for k in ('spikes', 'rate_hz'):
        if not isinstance(rep[k], dict):
            raise DriverError(f'{what}: report key {k!r} must be an object {{population: value}}')
    return rep


def run_myelin(args, net, tmp, rep_idx):
    cfg = os.path.join('experiments', MYELIN_CONFIG[net] + '.toml')
    if not os.path.isfile(os.path.join(ROOT, cfg)):
        raise DriverError(f'Myelin config {cfg} not found (looked in {ROOT})')
    base = os.path.join(tmp, f'myelin_{net}_{rep_idx}')
    cmd = [args.myelin, 'run', cfg, '--threads', str(args.threads), '--seed', str(args.seed),
           '-o', base + '.h5', '--report-json', base + '.json']
    sets = list(args.set)
    if args.precision == 'single':
        sets.append('simulation.precision=single')
    if net == 'brunel':
        ne = int(round(0.8 * args.brunel_n))
        sets += [f'population.exc.size={ne}', f'population.inh.size={args.brunel_n - ne}']
    if args.duration is not None:
        sets.append(f'simulation.duration={args.duration}')
    for s in sets:
        cmd += ['--set', s]
    _run(cmd, f'Myelin ({net})')
    rep = _load_report(base + '.json', MYELIN_KEYS, f'Myelin ({net})')
    try:
        os.remove(base + '.h5')       # spike files can be large (brunel 10^5)
    except OSError:
        pass
    return rep


def run_brian(args, net, duration_ms, tmp, rep_idx):
    out = os.path.join(tmp, f'brian2_{net}_{rep_idx}.json')
    cmd = [args.brian_python, BRIAN_SCRIPT, net, '--duration', repr(float(duration_ms)),
           '--seed', str(args.seed), '--json', out]
    if net == 'brunel':
        cmd += ['--n', str(args.brunel_n)]
    if args.precision == 'single':
        cmd.append('--float32')
    _run(cmd, f'Brian2 ({net})')
    return _load_report(out, BRIAN_KEYS, f'Brian2 ({net})')


def _fmt_bytes(b):
    if b is None:
        return '-'
    for unit in ('B', 'KiB', 'MiB', 'GiB'):
        if abs(b) < 1024 or unit == 'GiB':
            return f'{b:.0f}{unit}' if unit == 'B' else f'{b:.1f}{unit}'
        b /= 1024.0


def _fmt_pops(values, fmt):
    return ' '.join(f'{p}:{fmt(values[p])}' for p in sorted(values)) if values else '-'


def print_table(rows):
    header = ['network', 'neurons', 'synapses', 'M build_s', 'M sim_s', 'B sim_s', 'B/M', 'B/M min',
              'M RTF', 'M events/s', 'M rate Hz', 'B rate Hz', 'M spikes', 'B spikes', 'M RSS', 'B RSS', 'M B/syn']
    table = [header]
    rate, count = (lambda x: f'{x:.2f}'), str
    for r in rows:
        m, b = r['myelin'], r['brian2']
        bps = m['synapse_bytes'] / m['synapses'] if m['synapses'] else float('nan')
        table.append([
            r['network'], str(m['neurons']), f"{m['synapses']}|{b['synapses']}",
            f"{r['myelin_build_s']:.3f}", f"{r['myelin_sim_s']:.3f}", f"{r['brian2_sim_s']:.3f}",
            f"{r['speedup']:.2f}" if r['speedup'] is not None else '-',
            f"{r['speedup_min']:.2f}" if r['speedup_min'] is not None else '-',
            f"{r['myelin_sim_s'] / (m['duration_ms'] / 1000.0):.3g}",
            f"{m['synaptic_events'] / r['myelin_sim_s']:.3g}" if r['myelin_sim_s'] > 0 else '-',
            _fmt_pops(m['rate_hz'], rate), _fmt_pops(b['rate_hz'], rate),
            _fmt_pops(m['spikes'], count), _fmt_pops(b['spikes'], count),
            _fmt_bytes(m['peak_rss_bytes']), _fmt_bytes(b['peak_rss_bytes']), f'{bps:.1f}'])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for k, row in enumerate(table):
        print('  '.join(c.rjust(w) if k else c.ljust(w) for c, w in zip(row, widths)))
    print('\nM = Myelin, B = Brian2 (C++ standalone, 1 thread, compile excluded); '
          'B/M = Brian2 sim_s / Myelin sim_s (speed-up of Myelin, medians; B/M min: of the fastest runs; '
          'the two simulators run in turns); M RTF = Myelin sim_s per simulated '
          'second (real-time factor); M events/s = synaptic events per second of Myelin sim_s; synapses shown M|B; '
          'RSS = peak resident set size of the simulating process; '
          'M B/syn = Myelin synapse_bytes / synapses. coba "kick" = the 20 Poisson sources.')


def main(argv=None):
    args = parse_args(argv)
    myelin = os.path.abspath(args.myelin)
    if not os.path.isfile(myelin) or not os.access(myelin, os.X_OK):
        print(f'error: Myelin executable not found or not executable: {myelin}\n'
              f'       build it first (cmake --build build) or pass --myelin PATH',
              file=sys.stderr)
        return 2
    args.myelin = myelin
    if not os.path.isfile(BRIAN_SCRIPT):
        print(f'error: {BRIAN_SCRIPT} is missing', file=sys.stderr)
        return 2
    if shutil.which(args.brian_python) is None:
        print(f'error: Brian2 interpreter {args.brian_python} not found', file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix='myelin_vs_brian2_')
    rows, failed = [], []
    try:
        for net in args.networks:
            try:
                # In turns (M, B, M, B, ...): this machine's speed drifts by tens of percent over
                # minutes, and running all of one simulator's repeats first would count that
                # drift as a difference between the simulators.
                mreps, breps = [], []
                for i in range(args.repeat):
                    mreps.append(run_myelin(args, net, tmp, i))
                    duration = args.duration if args.duration is not None else mreps[0]['duration_ms']
                    breps.append(run_brian(args, net, duration, tmp, i))
            except DriverError as e:
                print(f'error: {e}', file=sys.stderr)
                failed.append(net)
                continue
            if abs(mreps[0]['duration_ms'] - breps[0]['duration_ms']) > 1e-6:
                print(f'warning: {net}: durations differ (Myelin {mreps[0]["duration_ms"]} ms, '
                      f'Brian2 {breps[0]["duration_ms"]} ms)', file=sys.stderr)
            m_sim = statistics.median(r['sim_s'] for r in mreps)
            b_sim = statistics.median(r['sim_s'] for r in breps)
            rows.append({
                'network': net,
                'myelin_build_s': statistics.median(r['build_s'] for r in mreps),
                'myelin_sim_s': m_sim,
                'brian2_sim_s': b_sim,
                'brian2_compile_s_first': breps[0]['compile_s'],
                'speedup': b_sim / m_sim if m_sim > 0 else None,
                # The fastest run of each: the one least slowed by other load on the machine.
                'speedup_min': min(r['sim_s'] for r in breps) / min(r['sim_s'] for r in mreps)
                if min(r['sim_s'] for r in mreps) > 0 else None,
                'myelin': mreps[0], 'brian2': breps[0],
                'myelin_all': mreps, 'brian2_all': breps,
            })
    finally:
        if args.keep_tmp:
            print(f'temporary files kept in {tmp}', file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    if rows:
        print(f'\nMyelin threads: {args.threads}, repeats: {args.repeat} (median sim_s), '
              f'seed: {args.seed}' + (f', brunel N = {args.brunel_n}' if 'brunel' in args.networks else ''))
        print_table(rows)
    if args.json_out:
        with open(args.json_out, 'w') as f:
            json.dump({'threads': args.threads, 'repeat': args.repeat, 'seed': args.seed,
                       'brunel_n': args.brunel_n, 'results': rows, 'failed': failed}, f, indent=2)
    if failed:
        print(f'\nfailed: {", ".join(failed)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
