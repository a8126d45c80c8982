#!/bin/sh
# myelin run --checkpoint-at / resuming from a checkpoint, through the command line: the resumed
# recording holds exactly the spikes of the uninterrupted run after the checkpoint, and damaged
# or misused checkpoints exit 2 without writing anything.
set -u
myelin="$1"
config="$2"  # experiments/stdp.toml: STDP, so weights and traces must survive too
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$work" || exit 1
small="--set population.exc.size=400 --set population.inh.size=100 --set projection.ee.connect.p=0.1
  --set projection.ei.connect.p=0.1 --set projection.ie.connect.p=0.1 --set projection.ii.connect.p=0.1"

# shellcheck disable=SC2086
"$myelin" run "$config" $small --duration 400ms -o full.h5 -q --threads 1 || fail "full run"
# shellcheck disable=SC2086
"$myelin" run "$config" $small --duration 400ms -o first.h5 -q --threads 2 \
  --checkpoint-at 150ms --checkpoint run.ckpt.h5 || fail "run with a checkpoint"
[ -s run.ckpt.h5 ] || fail "no checkpoint written"
"$myelin" run run.ckpt.h5 -q --threads 1 || fail "resume"  # to 400 ms, where the first run ended
[ -s run-resumed.h5 ] || fail "the resumed run wrote no run-resumed.h5"
/usr/bin/python3 - <<'PY' || fail "resumed spikes differ from the uninterrupted run"
import h5py, numpy as np
full, first, rest = (h5py.File(n, "r") for n in ("full.h5", "first.h5", "run-resumed.h5"))
assert rest["/meta"].attrs["start_ms"] == 150.0, dict(rest["/meta"].attrs)
for pop in ("exc", "inh"):
    step = full[f"/populations/{pop}/spikes/step"][:]
    neuron = full[f"/populations/{pop}/spikes/neuron"][:]
    late = step >= 1500
    assert late.sum() > 50, (pop, late.sum())
    assert np.array_equal(step[late], rest[f"/populations/{pop}/spikes/step"][:]), pop
    assert np.array_equal(neuron[late], rest[f"/populations/{pop}/spikes/neuron"][:]), pop
    assert np.array_equal(step, first[f"/populations/{pop}/spikes/step"][:]), pop
assert np.array_equal(full["/projections/ee/weights"][-1], rest["/projections/ee/weights"][-1])
PY

# Every kind of model resumes exactly: odeint (AdEx, Izhikevich), random draws per step
# (MetaNeuron), start-of-step snapshots (UltraDLIF).
experiments=$(dirname "$config")
for name in adex meta_neuron ultralif; do
  "$myelin" run "$experiments/$name.toml" --duration 200ms -o "$name-full.h5" -q --threads 1 || fail "$name: full run"
  "$myelin" run "$experiments/$name.toml" --duration 200ms -o "$name-first.h5" -q --threads 2 \
    --checkpoint-at 100ms --checkpoint "$name.ckpt.h5" || fail "$name: run with a checkpoint"
  "$myelin" run "$name.ckpt.h5" -o "$name-rest.h5" -q --threads 1 || fail "$name: resume"
  /usr/bin/python3 - "$name" <<'PY' || fail "$name: resumed spikes differ"
import sys, h5py, numpy as np
name = sys.argv[1]
full, rest = h5py.File(f"{name}-full.h5", "r"), h5py.File(f"{name}-rest.h5", "r")
first = int(round(100.0 / full["/meta"].attrs["dt_ms"]))
spiking = 0
for pop, group in full["/populations"].items():
    if "spikes" not in group:
        continue
    step, neuron = group["spikes/step"][:], group["spikes/neuron"][:]
    late = step >= first
    spiking += late.sum()
    assert np.array_equal(step[late], rest[f"/populations/{pop}/spikes/step"][:]), pop
    assert np.array_equal(neuron[late], rest[f"/populations/{pop}/spikes/neuron"][:]), pop
assert spiking > 50, spiking
PY
done

# A checkpoint exports like a config, with its learned weights.
"$myelin" export run.ckpt.h5 --to spinnaker -o spinnaker_dir -q || fail "export a checkpoint to spinnaker"
"$myelin" export run.ckpt.h5 --to nir -o run.nir -q 2> /dev/null || fail "export a checkpoint to nir"
/usr/bin/python3 - <<'PY' || fail "the exported weights are not the checkpoint's"
import h5py, numpy as np
c = h5py.File("run.ckpt.h5", "r")["/projections/ee/connections"]
table = np.loadtxt("spinnaker_dir/conn_ee.txt", ndmin=2)
assert np.array_equal(table[:, 0], c["pre"][:]) and np.array_equal(table[:, 1], c["post"][:])
assert np.allclose(table[:, 2], c["weight"][:], rtol=1e-7, atol=0), "weights differ"
initial = c["weight"][:]
assert initial.std() > 0, "STDP should have spread the weights by 150 ms"
PY

# Damaged, foreign or misused: exit 2, one message, nothing written.
head -c 20000 run.ckpt.h5 > short.ckpt.h5
"$myelin" run short.ckpt.h5 -o never.h5 -q 2> err; code=$?
[ "$code" -eq 2 ] || fail "truncated checkpoint: exit $code, expected 2"
grep -q "short.ckpt.h5: cannot read the checkpoint: the file is damaged or incomplete" err || fail "truncated: $(cat err)"
"$myelin" run full.h5 -o never.h5 -q 2> err; code=$?
[ "$code" -eq 2 ] || fail "a recording given as a checkpoint: exit $code, expected 2"
grep -q "not a Myelin checkpoint" err || fail "recording as checkpoint: $(cat err)"
"$myelin" run run.ckpt.h5 --set population.exc.size=300 -o never.h5 -q 2> err; code=$?
[ "$code" -eq 2 ] || fail "resized population: exit $code, expected 2"
grep -q "does not fit its config" err || fail "resized: $(cat err)"
"$myelin" run run.ckpt.h5 -o run.ckpt.h5 -q 2> err; code=$?
[ "$code" -eq 2 ] || fail "overwriting the checkpoint: exit $code"
# shellcheck disable=SC2086
"$myelin" run "$config" $small --duration 100ms --checkpoint-at 200ms --checkpoint late.ckpt.h5 -o never.h5 -q 2> err
[ $? -eq 2 ] || fail "--checkpoint-at past the end should exit 2"
grep -q "outside the run" err || fail "late checkpoint: $(cat err)"
[ -e never.h5 ] && fail "a recording was written for bad input"
[ -e late.ckpt.h5 ] && fail "a checkpoint was written for bad input"
ls | grep -q 'tmp-' && fail "a temporary file was left behind"
echo "checkpoint cli checks passed"
