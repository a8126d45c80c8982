#!/bin/sh
# The myelin command: a bad config exits 2 with one error line naming file:line and writes no
# recording; a good one exits 0 and writes it; --help explains the subcommands.
set -u
myelin="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$work/good.toml" <<'TOML'
[simulation]
duration = 50.0
[[population]]
name = "a"
size = 10
model = "IF_curr_exp"
params = { i_offset = 1.0 }
[[record]]
population = "a"
TOML
sed 's/size = 10/size = 0/' "$work/good.toml" > "$work/bad.toml"

"$myelin" run "$work/bad.toml" -o "$work/bad.h5" > "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 2 ] || fail "bad config exited $status, expected 2"
grep -q "bad.toml:5:8: population \"a\": size = 0 must be >= 1" "$work/err" || fail "message: $(cat "$work/err")"
[ "$(wc -l < "$work/err")" -eq 1 ] || fail "expected one error line: $(cat "$work/err")"
ls "$work" | grep -q 'bad.h5' && fail "a recording was written for a bad config"

"$myelin" run "$work/good.toml" -o "$work/good.h5" -q || fail "good config failed"
[ -s "$work/good.h5" ] || fail "no recording for a good config"
ls "$work" | grep -q 'tmp-' && fail "a temporary file was left behind"

# Ctrl-C: the run stops at the end of a step, exits 130 and leaves a whole recording that says
# it was interrupted.
sed 's/duration = 50.0/duration = 100000000.0/' "$work/good.toml" > "$work/long.toml"
"$myelin" run "$work/long.toml" -o "$work/long.h5" -q &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "interrupted run exited $status, expected 130"
[ -s "$work/long.h5" ] || fail "no recording after Ctrl-C"
/usr/bin/python3 - "$work/long.h5" <<'PY' || fail "the interrupted recording is not marked as such"
import sys, h5py
meta = h5py.File(sys.argv[1], "r")["/meta"].attrs
assert meta["interrupted"] == 1 and 0 < meta["steps"] < 10**9, dict(meta)
PY

"$myelin" run "$work/missing.toml" > /dev/null 2>&1
[ $? -eq 2 ] || fail "a missing config should exit 2"
"$myelin" --help | grep -q "run" || fail "--help does not list run"
"$myelin" run --help | grep -q -- "--threads" || fail "run --help does not explain --threads"
"$myelin" info "$work/good.toml" | grep -q "10 neurons" || fail "info does not count neurons"
echo "cli checks passed"
