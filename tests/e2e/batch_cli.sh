#!/bin/sh
# myelin run --batch / --sweep from the command line: one recording with a copy column, clear
# errors (exit 2, nothing written) for a bad sweep, and myelin plot refusing a missing copy.
set -u
myelin="$1"; config="$2"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$myelin" run "$config" --duration 50 --threads 1 --sweep population.exc.params.i_offset=0.0:0.4:3 -o "$dir/sweep.h5" >"$dir/out" 2>&1 \
    || { cat "$dir/out"; fail "sweep run"; }
cat "$dir/out"
grep -q "3 copies" "$dir/out" || fail "summary does not count the copies"
[ -s "$dir/sweep.h5" ] || fail "no recording"

"$myelin" run "$config" --sweep population.exc.params.i_offset=0.1:x:3 -o "$dir/bad.h5" >"$dir/out" 2>&1
rc=$?; cat "$dir/out"
[ $rc -eq 2 ] || fail "bad sweep: exit $rc, expected 2"
grep -q "myelin: error: --sweep population.exc.params.i_offset=0.1:x:3: \"x\" is not a number" "$dir/out" || fail "bad sweep message"
[ ! -e "$dir/bad.h5" ] || fail "a bad sweep wrote a recording"

"$myelin" plot "$dir/sweep.h5" --copy 7 -o "$dir/x.png" >"$dir/out" 2>&1
rc=$?; cat "$dir/out"
[ $rc -eq 2 ] || fail "plot --copy 7: exit $rc, expected 2"
grep -q "no copy 7" "$dir/out" || fail "plot --copy message"
exit 0
