#!/bin/sh
# myelin train: a small Tempotron task trains to 100%, prints per-cycle progress and writes a
# report (same weights for 1 and 2 threads); a bad config exits 2 naming file:line and writes
# nothing; --capacity prints its table.
set -u
myelin="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$work/good.toml" <<'TOML'
[train]
algorithm = "tempotron"
seed = 2
cycles = 300
[task]
afferents = 100
patterns = 50
duration = 200.0
TOML

"$myelin" train "$work/good.toml" -o "$work/one.h5" --threads 1 > "$work/out" 2> "$work/err" || fail "train exited $?: $(cat "$work/err")"
grep -q "^cycle      1  accuracy" "$work/out" || fail "no per-cycle progress: $(cat "$work/out")"
grep -q "patterns/s" "$work/out" || fail "no patterns/s: $(cat "$work/out")"
grep -q "^training accuracy 100.000% after" "$work/out" || fail "not learned: $(tail -3 "$work/out")"
[ -s "$work/one.h5" ] || fail "no report"
ls "$work" | grep -q 'tmp-' && fail "a temporary file was left"
"$myelin" train "$work/good.toml" -o "$work/two.h5" --threads 2 -q > "$work/out2" || fail "2 threads exited $?"
[ -s "$work/out2" ] && fail "-q printed: $(cat "$work/out2")"
if command -v h5dump > /dev/null; then
  h5dump -d /weights "$work/one.h5" | tail -n +2 > "$work/w1"
  h5dump -d /weights "$work/two.h5" | tail -n +2 > "$work/w2"
  cmp -s "$work/w1" "$work/w2" || fail "weights differ between 1 and 2 threads"
fi

# The trained neuron as an engine checkpoint (the decisions themselves are compared with the
# trainer's in tests/experiments/test_tempotron_engine.cpp): it runs, and fires in the trials of
# about half of the patterns (the labels are +1 with probability 1/2).
"$myelin" train "$work/good.toml" --no-output --checkpoint "$work/t.ckpt.h5" > "$work/out3" || fail "train --checkpoint exited $?"
grep -q "engine checkpoint .*plays pattern p at 1 + p\*350 ms" "$work/out3" || fail "checkpoint line: $(cat "$work/out3")"
"$myelin" run "$work/t.ckpt.h5" -o "$work/run.h5" -q || fail "myelin run of the checkpoint exited $?"
if /usr/bin/python3 -c "import h5py" 2>/dev/null; then
  /usr/bin/python3 - "$work/run.h5" <<'PY' || fail "the engine's decisions are not those of a trained neuron"
import sys, h5py, numpy as np
steps = h5py.File(sys.argv[1], "r")["/populations/tempotron/spikes/step"][()]
t = steps * 0.1 - 1.0
fired = {int(x // 350) for x in t if x % 350 <= 200.1}
assert 15 <= len(fired) <= 35, len(fired)
print(f"engine: fired in {len(fired)} of 50 trials")
PY
fi
"$myelin" train "$work/good.toml" --capacity --checkpoint "$work/c.h5" > /dev/null 2> "$work/cap.err"
[ $? -eq 2 ] && grep -q "not with --capacity" "$work/cap.err" || fail "--capacity --checkpoint: $(cat "$work/cap.err")"

sed 's/algorithm = "tempotron"/algorithm = "tempotrom"/' "$work/good.toml" > "$work/bad.toml"
"$myelin" train "$work/bad.toml" -o "$work/bad.h5" > /dev/null 2> "$work/bad.err"
code=$?
[ "$code" -eq 2 ] || fail "bad config exited $code, expected 2"
grep -q "bad.toml:2:13: .*did you mean \"tempotron\"" "$work/bad.err" || fail "message: $(cat "$work/bad.err")"
[ "$(wc -l < "$work/bad.err")" -eq 1 ] || fail "expected one error line: $(cat "$work/bad.err")"
[ -e "$work/bad.h5" ] && fail "a report was written for a bad config"

"$myelin" train "$work/good.toml" --capacity --seeds 2 --alphas 0.2,0.4 > "$work/cap" || fail "--capacity exited $?"
grep -q "^  0.40     40        2/2 " "$work/cap" || fail "capacity table: $(cat "$work/cap")"
echo "train_cli: ok"
