#!/usr/bin/python3
# End-to-end test of `myelin export --to spinnaker`: the exported PyNN script runs on pyNN.brian2
# and agrees with Myelin's own run. Exit 0 = pass, 1 = fail, 77 = skip (PyNN/Brian2 missing).
"""Export networks, run the scripts on pyNN.brian2, compare with Myelin.

    /usr/bin/python3 tests/export/check_spinnaker_export.py --myelin build/myelin --workdir /tmp/x

1. CUBA (experiments/cuba.toml, shortened to DURATION_CUBA, scaled to 200 neurons at CUBA's in-degree): mean rate per
   population.  Both simulators start from the same connectivity, weights and initial v, but
   the network is chaotic and the two codes differ in the last bits (and by a step in some
   conventions), so the brian2 run is statistically another realisation.  The tolerance is
   therefore taken from realisations: Myelin's rate over SEEDS seeds gives the spread sigma of
   one run's rate; the difference of two independent runs has sd sqrt(2)*sigma, and we allow
   4 of those (plus 2% of the rate, for sigma's own estimation error with few seeds).
2. A feed-forward STDP network (identical SpikeSourceArray inputs into LIF neurons, additive
   STDP) in two variants, one where potentiation dominates and one where depression does: the
   mean weight must move in the same direction in both simulators, and by a similar amount
   (ratio within [1/2, 2]; a wrong A_plus/A_minus conversion, e.g. PyNN's fractions of w_max,
   is off by 1/w_max = 50x).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time

try:
    import numpy as np
    import h5py
    import pyNN.brian2  # noqa: F401  (the check needs it; exit 77 when absent)
except ImportError as error:  # pragma: no cover
    print("SKIP:", error)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
DURATION_CUBA = 1000.0  # ms
# pyNN.brian2 creates each post neuron's synapses with its own generated code object (about
# 0.05 s each, docs/export.md), so the full 4000-neuron CUBA takes many minutes there. The test
# scales CUBA to 200 neurons and raises p so that every neuron keeps CUBA's in-degree (64
# excitatory, 16 inhibitory inputs): the same balance, the same rates regime.
CUBA_SCALE = ["population.exc.size=160", "population.inh.size=40", "projection.ee.connect.p=0.4",
              "projection.ei.connect.p=0.4", "projection.ie.connect.p=0.4", "projection.ii.connect.p=0.4"]
SEEDS = [1, 2, 3, 4, 5]

STDP_CONFIG = """# Feed-forward additive STDP: {n_in} spike arrays at {rate} Hz into {n_out} LIF neurons.
[simulation]
dt = 1.0
duration = {duration}
seed = 5
threads = 1

[[population]]
name = "input"
size = {n_in}
model = "SpikeSourceArray"
params = {{ spike_times_file = "{spikes}" }}

[[population]]
name = "out"
size = {n_out}
model = "IF_curr_exp"
params = {{ cm = 1.0, tau_m = 20.0, v_rest = -65.0, v_reset = -65.0, v_thresh = -50.0, tau_refrac = 2.0, tau_syn_E = 5.0 }}

[[projection]]
name = "ff"
pre = "input"
post = "out"
connect = {{ rule = "all_to_all" }}
weight = {w0}
delay = 1.0
plasticity = {{ rule = "stdp", weight_dependence = "additive", tau_plus = 20.0, tau_minus = 20.0, A_plus = {a_plus}, A_minus = {a_minus}, w_min = 0.0, w_max = {w_max} }}

[[record]]
population = "out"
spikes = true

[[record]]
projection = "ff"
"""


def run(cmd, **kw):
    started = time.time()
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        print("FAILED:", " ".join(cmd), "\n", result.stdout[-3000:], result.stderr[-3000:])
        sys.exit(1)
    return result, time.time() - started


def myelin_rates(myelin, config, workdir, sets, tag):
    report = os.path.join(workdir, tag + ".json")
    run([myelin, "run", config, "--no-output", "-q", "--report-json", report] + sum((["--set", s] for s in sets), []))
    with open(report) as f:
        return json.load(f)["rate_hz"]


def export_and_run_brian2(myelin, config, workdir, sets, tag):
    out = os.path.join(workdir, tag)
    run([myelin, "export", config, "--to", "spinnaker", "-o", out, "-q"] + sum((["--set", s] for s in sets), []))
    _, seconds = run(["/usr/bin/python3", os.path.join(out, "run.py"), "--backend", "brian2",
                      "--output", os.path.join(out, "results")])
    with open(os.path.join(out, "results", "rates.json")) as f:
        return json.load(f), seconds


def check_cuba(myelin, workdir):
    config = os.path.join(SOURCE, "experiments", "cuba.toml")
    sets = ["simulation.duration=%g" % DURATION_CUBA] + CUBA_SCALE
    realisations = [myelin_rates(myelin, config, workdir, sets + ["simulation.seed=%d" % s], "cuba_seed%d" % s)
                    for s in SEEDS]
    reference = myelin_rates(myelin, config, workdir, sets, "cuba_myelin")
    brian2, seconds = export_and_run_brian2(myelin, config, workdir, sets, "cuba_export")
    ok = True
    for population in ("exc", "inh"):
        rates = np.array([r[population] for r in realisations])
        sigma = rates.std(ddof=1)
        tolerance = 4.0 * math.sqrt(2.0) * sigma + 0.02 * reference[population]
        difference = brian2["rate_hz"][population] - reference[population]
        good = abs(difference) <= tolerance
        ok &= good
        print("CUBA %-3s Myelin %.3f Hz, pyNN.brian2 %.3f Hz, difference %+.3f, tolerance %.3f (sigma %.3f over %d seeds) %s"
              % (population, reference[population], brian2["rate_hz"][population], difference, tolerance, sigma,
                 len(SEEDS), "ok" if good else "FAIL"))
    print("  (pyNN.brian2 run took %.1f s)" % seconds)
    return ok


def myelin_weight_change(myelin, config, workdir, tag):
    h5 = os.path.join(workdir, tag + ".h5")
    run([myelin, "run", config, "-q", "-o", h5])
    with h5py.File(h5, "r") as f:
        w = f["/projections/ff/weights"][:]
    return float(np.mean(w[0])), float(np.mean(w[-1]))


def check_stdp(myelin, workdir):
    rng = np.random.default_rng(11)
    n_in, n_out, rate, duration = 100, 10, 15.0, 2000.0
    spikes = os.path.join(workdir, "stdp_input.txt")
    with open(spikes, "w") as f:
        for i in range(n_in):
            ticks = np.unique(rng.integers(1, int(duration), size=rng.poisson(rate * duration / 1000.0)))
            for t in ticks:
                f.write("%d %.1f\n" % (i, t))
    w_max = 0.2  # nA: w0 = w_max/2 gives ~15 mV of mean drive, at threshold
    ok = True
    for name, a_minus_ratio in (("potentiation", 0.5), ("depression", 2.0)):
        config = os.path.join(workdir, "stdp_%s.toml" % name)
        a_plus = 0.005 * w_max
        with open(config, "w") as f:
            f.write(STDP_CONFIG.format(n_in=n_in, n_out=n_out, rate=rate, duration=duration, spikes=spikes,
                                       w0=0.5 * w_max, a_plus=a_plus, a_minus=a_minus_ratio * a_plus, w_max=w_max))
        before, after = myelin_weight_change(myelin, config, workdir, "stdp_%s" % name)
        brian2, seconds = export_and_run_brian2(myelin, config, workdir, [], "stdp_%s_export" % name)
        b_before, b_after = brian2["initial_mean_weight"]["ff"], brian2["mean_weight"]["ff"]
        change, b_change = after - before, b_after - b_before
        same = change != 0 and math.copysign(1, change) == math.copysign(1, b_change)
        ratio = b_change / change if change != 0 else float("inf")
        good = same and 0.5 <= ratio <= 2.0 and abs(b_before - before) < 1e-6 * before  # float32 in Myelin
        ok &= good
        print("STDP %-12s mean weight Myelin %.5f -> %.5f (%+.5f), pyNN.brian2 %.5f -> %.5f (%+.5f), ratio %.2f, "
              "pyNN.brian2 output rate %.2f Hz (%.1f s) %s"
              % (name, before, after, change, b_before, b_after, b_change, ratio, brian2["rate_hz"]["out"], seconds,
                 "ok" if good else "FAIL"))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--myelin", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    ok = check_stdp(args.myelin, args.workdir)
    ok = check_cuba(args.myelin, args.workdir) and ok
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
