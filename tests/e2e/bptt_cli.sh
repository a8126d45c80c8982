#!/bin/sh
# myelin train with algorithm = "bptt" on a small Fashion-MNIST subset: progress lines per epoch
# and within it, a report whose trained weights are the same on 1 and 2 threads, and a bad
# [bptt] key that exits 2 naming file:line and writes nothing. Exit 77 (skipped) without the dataset.
set -u
myelin="$1"
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

sed 's/^batch = 64/bach = 64/' "$work/good.toml" > "$work/bad.toml"
"$myelin" train "$work/bad.toml" -o "$work/bad.h5" > /dev/null 2> "$work/bad.err"
code=$?
[ "$code" -eq 2 ] || fail "bad config exited $code, expected 2"
grep -q "bad.toml:8:1: .*did you mean \"batch\"" "$work/bad.err" || fail "message: $(cat "$work/bad.err")"
[ -e "$work/bad.h5" ] && fail "a bad config wrote a report"
echo "bptt_cli: ok"
