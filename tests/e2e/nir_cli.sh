#!/bin/sh
# myelin export --to nir and myelin import from the command line: a config goes to .nir and back
# to a config that runs with the same spikes; bad requests exit 2, bad files 1, and no run of
# either command leaves a partial or temporary file behind.
set -u
myelin="$1"
fixtures="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$work/net.toml" <<'TOML'
[simulation]
duration = 100.0
seed = 3
[[population]]
name = "in"
size = 5
model = "SpikeSourceArray"
params = { spike_times = [[2.0, 40.0], [5.0, 41.0], [9.0], [15.0, 80.0], [20.0]] }
[[population]]
name = "exc"
size = 40
model = "IF_curr_exp"
params = { cm = 0.2, tau_m = 20.0, v_rest = -49.0, v_reset = -60.0, v_thresh = -50.0, tau_refrac = 5.0, tau_syn_E = 5.0, tau_syn_I = 10.0 }
init = { v = { uniform = [-60.0, -50.0] } }
[[projection]]
pre = "in"
post = "exc"
connect = { rule = "fixed_probability", p = 0.5 }
weight = 0.5
delay = 1.0
[[projection]]
pre = "exc"
post = "exc"
receptor = "inhibitory"
connect = { rule = "fixed_probability", p = 0.1, allow_self = false }
weight = -0.05
delay = 0.5
[[record]]
population = "exc"
TOML

"$myelin" export "$work/net.toml" --to nir -o "$work/net.nir" > /dev/null 2>&1 || fail "export failed"
# The file reads as the NIR reference reader reads it (h5py; exit 77 there = h5py missing).
/usr/bin/python3 "$fixtures/../check_nir_layout.py" "$work/net.nir" --gzip > /dev/null
status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 77 ] || fail "the exported file does not have the reference layout"
mkdir "$work/imported"
"$myelin" import "$work/net.nir" -o "$work/imported/cfg.toml" > /dev/null 2>&1 || fail "import failed"
"$myelin" run "$work/net.toml" -o "$work/a.h5" -q --report-json "$work/a.json" || fail "original run failed"
"$myelin" run "$work/imported/cfg.toml" -o "$work/b.h5" -q --report-json "$work/b.json" || fail "imported run failed"
spikes() { sed -n '/"spikes"/,/}/p' "$1" | grep '"exc"'; }
[ -n "$(spikes "$work/a.json")" ] || fail "no spike count in the run report: $(cat "$work/a.json")"
[ "$(spikes "$work/a.json")" = "$(spikes "$work/b.json")" ] || fail "spike counts differ: $(spikes "$work/a.json") vs $(spikes "$work/b.json")"

expect() {  # expected status, grep pattern for stderr, command...
  want="$1"; pattern="$2"; shift 2
  "$@" > /dev/null 2> "$work/err"
  got=$?
  [ "$got" -eq "$want" ] || fail "$*: exit $got, expected $want ($(cat "$work/err"))"
  grep -q "$pattern" "$work/err" || fail "$*: message: $(cat "$work/err")"
  [ "$(wc -l < "$work/err")" -eq 1 ] || fail "$*: expected one error line: $(cat "$work/err")"
}
expect 2 "not a known export target" "$myelin" export "$work/net.toml" --to spinnakerr -o "$work/x"
expect 2 "time-unit must be s or ms" "$myelin" export "$work/net.toml" --to nir --time-unit h -o "$work/x.nir"
expect 1 "cannot write the NIR file" "$myelin" export "$work/net.toml" --to nir -o "$work/no/dir/x.nir"
sed 's/IF_curr_exp/IF_cond_exp/; s/weight = -0.05/weight = 0.05/' "$work/net.toml" > "$work/cond.toml"
expect 1 'model IF_cond_exp has no NIR equivalent' "$myelin" export "$work/cond.toml" --to nir -o "$work/cond.nir"
head -c 3000 "$work/net.nir" > "$work/truncated.nir"
expect 1 "truncated.nir: " "$myelin" import "$work/truncated.nir" -o "$work/t.toml"
expect 1 "pass --time-unit s or --time-unit ms" "$myelin" import "$fixtures/lif_seconds.nir" -o "$work/s.toml" --dt 0.1
expect 1 'has type Conv2d' "$myelin" import "$fixtures/conv.nir" -o "$work/c.toml" --time-unit ms --dt 0.1
expect 1 "cannot write" "$myelin" import "$work/net.nir" -o "$work/no/dir/cfg.toml"
for f in x.nir cond.nir t.toml s.toml c.toml; do [ -e "$work/$f" ] && fail "$f was written by a failed command"; done
ls -R "$work" | grep -q 'tmp-' && fail "a temporary file was left behind"
"$myelin" import "$fixtures/lif_seconds.nir" -o "$work/s.toml" --time-unit s --dt 0.1 > /dev/null 2>&1 || fail "seconds import failed"
"$myelin" run "$work/s.toml" -q --no-output || fail "the imported seconds config does not run"
echo "ok"
