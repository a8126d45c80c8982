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

# Every class of config error: exit 2, one line naming the file and line, no recording.
check_error() {  # name, sed expression applied to good.toml, expected text
  sed "$2" "$work/good.toml" > "$work/$1.toml"
  "$myelin" run "$work/$1.toml" -o "$work/$1.h5" > /dev/null 2> "$work/$1.err"
  code=$?
  [ "$code" -eq 2 ] || fail "$1: exit $code, expected 2"
  grep -q "$1.toml:[0-9]*:[0-9]*: .*$3" "$work/$1.err" || fail "$1: message: $(cat "$work/$1.err")"
  [ -e "$work/$1.h5" ] && fail "$1: a recording was written"
  return 0
}
check_error unknown_key 's/^size = 10/sise = 10/' 'unknown key "sise" (did you mean "size"?)'
check_error wrong_type 's/^size = 10/size = "ten"/' 'size must be an integer, not a string'
check_error out_of_range 's/i_offset = 1.0/tau_m = -5.0/' 'tau_m = -5 must be > 0 (ms)'
check_error unknown_population 's/^population = "a"/population = "b"/' 'unknown population "b"'
check_error unknown_model 's/IF_curr_exp/IF_curr_expp/' 'unknown model "IF_curr_expp" (did you mean "IF_curr_exp"?)'
printf '[[projection]]\npre = "a"\npost = "a"\nconnect = { rule = "from_list", file = "absent.txt" }\nweight = 0.1\n' >> "$work/good.toml"
check_error missing_file 's/^duration/duration/' 'cannot read file'
printf '[[projection]]\npre = "a"\npost = "a"\nconnect = { rule = "all_to_all" }\nweight = 0.1\ndelay = 0.01\n' > "$work/extra"
sed -i '/^\[\[projection\]\]/,$d' "$work/good.toml"
cat "$work/extra" >> "$work/good.toml"
check_error short_delay 's/^duration/duration/' 'delay = 0.01 is below one time step'
sed -i '/^\[\[projection\]\]/,$d' "$work/good.toml"

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
"$myelin" run --set simulation.duration=10 "$work/good.toml" --no-output -q || fail "--set before the config"
"$myelin" --help | grep -q "run" || fail "--help does not list run"
"$myelin" run --help | grep -q -- "--threads" || fail "run --help does not explain --threads"
"$myelin" info "$work/good.toml" | grep -q "10 neurons" || fail "info does not count neurons"
echo "cli checks passed"
