#!/bin/sh
# myelin train, algorithm "meta" (docs/learning.md "Meta neuron"): a short rate task learns well
# above chance with SNN-LZC, prints per-epoch progress and writes a report (the same on 1 and 2
# threads); a bad [meta] key exits 2 naming file:line and writes nothing; --compare prints the table.
set -u
myelin="$1"
source_dir="${2:-$(dirname "$0")/../..}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cp "$source_dir/tests/fixtures/meta_rates_small.toml" "$work/good.toml"

"$myelin" train "$work/good.toml" -o "$work/one.h5" --threads 1 > "$work/out" 2> "$work/err" || fail "train exited $?: $(cat "$work/err")"
grep -q "^epoch    1/12  loss" "$work/out" || fail "no per-epoch progress: $(cat "$work/out")"
grep -q "samples/s  ETA" "$work/out" || fail "no samples/s and ETA: $(cat "$work/out")"
# Chance is 33.3%; 5 standard errors of chance on 180 samples are 18 points: above 80% is learning.
lzc=$(sed -n 's/^test accuracy: SNN-LZC \([0-9.]*\)%.*/\1/p' "$work/out")
[ -n "$lzc" ] || fail "no test accuracy: $(cat "$work/out")"
awk -v a="$lzc" 'BEGIN { exit !(a > 80) }' || fail "SNN-LZC accuracy $lzc% is not well above chance"
[ -s "$work/one.h5" ] || fail "no report"
ls "$work" | grep -q 'tmp-' && fail "a temporary file was left"
"$myelin" train "$work/good.toml" -o "$work/two.h5" --threads 2 -q > "$work/out2" || fail "2 threads exited $?"
[ -s "$work/out2" ] && fail "-q printed: $(cat "$work/out2")"
if command -v h5dump > /dev/null; then
  for set in /weights /intrinsics/v_thresh; do
    h5dump -d $set "$work/one.h5" | tail -n +2 > "$work/a"
    h5dump -d $set "$work/two.h5" | tail -n +2 > "$work/b"
    cmp -s "$work/a" "$work/b" || fail "$set differs between 1 and 2 threads"
  done
fi

sed 's/rule = "backprop"/rule = "backprob"/' "$work/good.toml" > "$work/bad.toml"
"$myelin" train "$work/bad.toml" -o "$work/bad.h5" > /dev/null 2> "$work/bad.err"
code=$?
[ "$code" -eq 2 ] || fail "bad config exited $code, expected 2"
grep -q "bad.toml:15:8: .*did you mean \"backprop\"" "$work/bad.err" || fail "message: $(cat "$work/bad.err")"
[ -e "$work/bad.h5" ] && fail "a report was written for a bad config"

sed 's/cycles = 12/cycles = 2/; s/_per_class = 60/_per_class = 20/' "$work/good.toml" > "$work/tiny.toml"
"$myelin" train "$work/tiny.toml" --compare --seeds 2 -o "$work/cmp.h5" > "$work/cmp" || fail "--compare exited $?"
grep -q "^backprop   SNN-LZC " "$work/cmp" || fail "compare table: $(cat "$work/cmp")"
grep -q "^tempotron  membrane maximum " "$work/cmp" || fail "compare table: $(cat "$work/cmp")"
[ -s "$work/cmp.h5" ] || fail "no compare report"
"$myelin" train "$work/tiny.toml" --capacity > /dev/null 2>&1
[ $? -eq 2 ] || fail "--capacity with algorithm meta should be a usage error"
echo "meta_cli: ok"
