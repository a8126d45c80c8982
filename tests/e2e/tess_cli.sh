#!/bin/sh
# myelin train with algorithm = "tess" on a small Fashion-MNIST subset: TESS and its BPTT
# reference side by side with progress lines, a report whose trained weights are the same on 1
# and 2 threads (read with h5py where installed), -q silent, and a bad [tess] key that exits 2
# naming file:line and writes nothing; --checkpoint writes the TESS-trained network, which `myelin
# run` simulates to the trainer's test accuracy and `myelin export` refuses by model name. Exit 77
# (skipped) without the dataset.
set -u
myelin="$1"
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || [ -n "${MYELIN_FASHION_MNIST_DIR:-}" ] || { echo "dataset-fashion-mnist not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$work/good.toml" <<'TOML'
[train]
algorithm = "tess"
seed = 5
[tess]
hidden = [32, 16]
steps = 3
batch = 64
epochs = 2
learners = ["tess", "bptt"]
train_samples = 640
test_samples = 200
TOML

"$myelin" train "$work/good.toml" -o "$work/one.h5" --threads 1 > "$work/out" 2> "$work/err" || fail "train exited $?: $(cat "$work/err")"
grep -Eq "^tess epoch   1/2 +[0-9]+%  loss" "$work/out" || fail "no progress within the epoch: $(cat "$work/out")"
grep -q "^tess epoch   2/2 done  loss .* test .* samples/s .* ETA" "$work/out" || fail "no TESS epoch line: $(cat "$work/out")"
grep -q "^bptt epoch   2/2 done  loss .* test .* samples/s .* ETA" "$work/out" || fail "no BPTT epoch line: $(cat "$work/out")"
grep -q "^TESS - BPTT (best test accuracy): [-+][0-9.]* points (local mode" "$work/out" || fail "no comparison: $(tail -5 "$work/out")"
[ -s "$work/one.h5" ] || fail "no report"
ls "$work" | grep -q 'tmp-' && fail "a temporary file was left"
"$myelin" train "$work/good.toml" -o "$work/two.h5" --threads 2 -q > "$work/out2" || fail "2 threads exited $?"
[ -s "$work/out2" ] && fail "-q printed: $(cat "$work/out2")"
if /usr/bin/python3 -c "import h5py" 2> /dev/null; then
  /usr/bin/python3 - "$work/one.h5" "$work/two.h5" <<'PY' || fail "reports differ between 1 and 2 threads"
import sys, h5py
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
for name in ["tess/network/w1", "tess/network/head_w", "bptt/network/w2", "tess/epochs/test_accuracy", "bptt/epochs/test_accuracy"]:
    assert (a[name][()] == b[name][()]).all(), name
assert a["tess/epochs/test_accuracy"].shape == (2,)
PY
fi

# The TESS-trained network in the engine: the same test accuracy as the trainer's final network.
"$myelin" train "$work/good.toml" --no-output --checkpoint "$work/net.ckpt.h5" > "$work/out3" 2> "$work/err3" ||
  fail "train --checkpoint exited $?: $(cat "$work/err3")"
trainer=$(sed -n 's/^engine checkpoint .*the tess-trained network .*(test accuracy \([0-9.]*\)%).*/\1/p' "$work/out3")
[ -n "$trainer" ] || fail "no checkpoint line: $(tail -3 "$work/out3")"
"$myelin" info "$work/net.ckpt.h5" > "$work/info" 2>&1 || fail "info on the checkpoint: $(cat "$work/info")"
grep -q "hidden2 *TessLIF *16" "$work/info" && grep -q "Integrator" "$work/info" ||
  fail "info does not list the engine network: $(cat "$work/info")"
"$myelin" run "$work/net.ckpt.h5" -o "$work/run.h5" > /dev/null 2> "$work/run.err" || fail "run exited $?: $(cat "$work/run.err")"
if /usr/bin/python3 -c "import h5py, numpy, tomllib" 2> /dev/null; then
  engine=$(/usr/bin/python3 "$source_dir/experiments/bptt_engine_accuracy.py" "$work/run.h5" | sed -n 's/^engine test accuracy \([0-9.]*\)%.*/\1/p')
  [ "$engine" = "$trainer" ] || fail "the engine's test accuracy ($engine%) is not the trainer's ($trainer%)"
fi
"$myelin" export "$work/net.ckpt.h5" --to nir -o "$work/net.nir" > /dev/null 2> "$work/export.err"
code=$?
[ "$code" -eq 1 ] || fail "export of the engine network exited $code, expected 1 (refused)"
grep -q "has no NIR equivalent" "$work/export.err" || fail "export refusal does not name the model: $(cat "$work/export.err")"
[ -e "$work/net.nir" ] && fail "a refused export wrote a file"

sed 's/^batch = 64/bach = 64/' "$work/good.toml" > "$work/bad.toml"
"$myelin" train "$work/bad.toml" -o "$work/bad.h5" > /dev/null 2> "$work/bad.err"
code=$?
[ "$code" -eq 2 ] || fail "bad config exited $code, expected 2"
grep -q "bad.toml:7:1: .*did you mean \"batch\"" "$work/bad.err" || fail "message: $(cat "$work/bad.err")"
[ -e "$work/bad.h5" ] && fail "a bad config wrote a report"
echo "tess_cli: ok"
