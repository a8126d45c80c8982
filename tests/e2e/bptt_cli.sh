#!/bin/sh
# myelin train with algorithm = "bptt" on a small Fashion-MNIST subset: progress lines per epoch
# and within it, a report whose trained weights are the same on 1 and 2 threads, and a bad
# [bptt] key that exits 2 naming file:line and writes nothing; --checkpoint writes the trained
# network, which `myelin info` describes, `myelin run` simulates with the trainer's test
# accuracy, and `myelin export` refuses by name. Exit 77 (skipped) without the dataset.
set -u
myelin="$1"
source_dir="${2:-$(dirname "$0")/../..}"
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || [ -n "${MYELIN_FASHION_MNIST_DIR:-}" ] || { echo "dataset-fashion-mnist not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$work/good.toml" <<'TOML'
[train]
algorithm = "bptt"
seed = 5
[bptt]
neuron = "UltraPLIF"
hidden = 16
steps = 2
batch = 64
epochs = 2
train_samples = 640
test_samples = 200
TOML

"$myelin" train "$work/good.toml" -o "$work/one.h5" --threads 1 > "$work/out" 2> "$work/err" || fail "train exited $?: $(cat "$work/err")"
grep -Eq "^epoch   1/2 +[0-9]+%  loss" "$work/out" || fail "no progress within the epoch: $(cat "$work/out")"
grep -q "^epoch   2/2 done  loss .* test .* samples/s .* ETA" "$work/out" || fail "no epoch line: $(cat "$work/out")"
grep -q "^best test accuracy" "$work/out" || fail "no summary: $(tail -3 "$work/out")"
[ -s "$work/one.h5" ] || fail "no report"
ls "$work" | grep -q 'tmp-' && fail "a temporary file was left"
"$myelin" train "$work/good.toml" -o "$work/two.h5" --threads 2 -q > "$work/out2" || fail "2 threads exited $?"
[ -s "$work/out2" ] && fail "-q printed: $(cat "$work/out2")"
if command -v h5dump > /dev/null; then
  for set in /network/w1 /network/tau /epochs/test_accuracy; do
    h5dump -d $set "$work/one.h5" | tail -n +2 > "$work/a"
    h5dump -d $set "$work/two.h5" | tail -n +2 > "$work/b"
    cmp -s "$work/a" "$work/b" || fail "$set differs between 1 and 2 threads"
  done
fi

# The trained network in the engine: the same test accuracy as the trainer's final network.
"$myelin" train "$work/good.toml" --no-output --checkpoint "$work/net.ckpt.h5" > "$work/out3" 2> "$work/err3" ||
  fail "train --checkpoint exited $?: $(cat "$work/err3")"
trainer=$(sed -n 's/^engine checkpoint .*(test accuracy \([0-9.]*\)%).*/\1/p' "$work/out3")
[ -n "$trainer" ] || fail "no checkpoint line: $(tail -3 "$work/out3")"
"$myelin" info "$work/net.ckpt.h5" > "$work/info" 2>&1 || fail "info on the checkpoint: $(cat "$work/info")"
grep -q "ImageSequenceEncoder" "$work/info" && grep -q "UltraPLIF" "$work/info" && grep -q "Integrator" "$work/info" ||
  fail "info does not list the engine network: $(cat "$work/info")"
"$myelin" run "$work/net.ckpt.h5" -o "$work/run.h5" > /dev/null 2> "$work/run.err" || fail "run exited $?: $(cat "$work/run.err")"
if /usr/bin/python3 -c "import h5py, numpy, tomllib" 2> /dev/null; then
  engine=$(/usr/bin/python3 "$source_dir/experiments/bptt_engine_accuracy.py" "$work/run.h5" | sed -n 's/^engine test accuracy \([0-9.]*\)%.*/\1/p')
  [ "$engine" = "$trainer" ] || fail "the engine's test accuracy ($engine%) is not the trainer's ($trainer%)"
fi
"$myelin" export "$work/net.ckpt.h5" --to nir -o "$work/net.nir" > /dev/null 2> "$work/export.err"
code=$?
[ "$code" -eq 1 ] || fail "export of the engine network exited $code, expected 1 (refused)"
grep -q "ImageSequenceEncoder" "$work/export.err" || fail "export refusal does not name the model: $(cat "$work/export.err")"
sed 's/^neuron = "UltraPLIF"/neuron = "LIF"/' "$work/good.toml" > "$work/lif.toml"
"$myelin" train "$work/lif.toml" --no-output --checkpoint "$work/lif.ckpt.h5" > /dev/null 2> "$work/lif.err"
code=$?
[ "$code" -eq 2 ] || fail "--checkpoint for the LIF baseline exited $code, expected 2 before training"
[ -e "$work/lif.ckpt.h5" ] && fail "the LIF baseline wrote a checkpoint"

sed 's/^batch = 64/bach = 64/' "$work/good.toml" > "$work/bad.toml"
"$myelin" train "$work/bad.toml" -o "$work/bad.h5" > /dev/null 2> "$work/bad.err"
code=$?
[ "$code" -eq 2 ] || fail "bad config exited $code, expected 2"
grep -q "bad.toml:8:1: .*did you mean \"batch\"" "$work/bad.err" || fail "message: $(cat "$work/bad.err")"
[ -e "$work/bad.h5" ] && fail "a bad config wrote a report"
echo "bptt_cli: ok"
