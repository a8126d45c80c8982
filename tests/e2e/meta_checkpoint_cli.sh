#!/bin/sh
# myelin train --checkpoint with algorithm "meta" (docs/learning.md "Meta neurons in the engine"):
# the trained layer as an engine checkpoint that `myelin info` lists, `myelin run` plays (the
# test samples one per trial) and experiments/meta_engine_accuracy.py classifies well above
# chance; `myelin export` refuses it naming the model; --checkpoint with --compare exits 2.
set -u
myelin="$1"
source_dir="${2:-$(dirname "$0")/../..}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cp "$source_dir/tests/fixtures/meta_rates_small.toml" "$work/good.toml"
sed -i 's/^cycles = 12/cycles = 8/' "$work/good.toml"

"$myelin" train "$work/good.toml" --no-output --checkpoint "$work/net.ckpt.h5" > "$work/out" 2> "$work/err" ||
  fail "train --checkpoint exited $?: $(cat "$work/err")"
grep -q "^engine checkpoint .*plays the 180 test samples" "$work/out" || fail "no checkpoint line: $(cat "$work/out")"
"$myelin" info "$work/net.ckpt.h5" > "$work/info" 2>&1 || fail "info on the checkpoint: $(cat "$work/info")"
grep -q "meta *MetaNeuron *3" "$work/info" && grep -q "inputs *SpikeSourceArray *20" "$work/info" ||
  fail "info does not list the engine network: $(cat "$work/info")"
"$myelin" run "$work/net.ckpt.h5" -o "$work/run.h5" > /dev/null 2> "$work/run.err" || fail "run exited $?: $(cat "$work/run.err")"
if /usr/bin/python3 -c "import h5py, numpy, tomllib" 2> /dev/null; then
  /usr/bin/python3 "$source_dir/experiments/meta_engine_accuracy.py" "$work/run.h5" > "$work/accuracy" ||
    fail "meta_engine_accuracy.py: $(cat "$work/accuracy")"
  engine=$(sed -n 's/^engine test accuracy: SNN-LZC \([0-9]*\)\..*/\1/p' "$work/accuracy")
  [ -n "$engine" ] && [ "$engine" -ge 70 ] || fail "the engine's SNN-LZC accuracy is not well above chance: $(cat "$work/accuracy")"
fi
"$myelin" export "$work/net.ckpt.h5" --to nir -o "$work/net.nir" > /dev/null 2> "$work/export.err"
code=$?
[ "$code" -eq 1 ] || fail "export of the engine network exited $code, expected 1 (refused)"
grep -q "MetaNeuron has no NIR equivalent" "$work/export.err" || fail "export refusal does not name the model: $(cat "$work/export.err")"
"$myelin" train "$work/good.toml" --compare --seeds 2 --checkpoint "$work/c.ckpt.h5" > /dev/null 2> "$work/compare.err"
code=$?
[ "$code" -eq 2 ] || fail "--checkpoint with --compare exited $code, expected 2"
[ -e "$work/c.ckpt.h5" ] && fail "--compare wrote a checkpoint"
echo "meta_checkpoint_cli: ok"
