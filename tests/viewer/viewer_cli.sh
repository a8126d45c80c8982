#!/bin/sh
# myelin plot and myelin view from the command line (run on Xvfb by under_xvfb.sh): a run's
# recording becomes a PNG; bad input exits 2 with one clear line and writes no PNG; no display
# exits 1 naming xvfb-run; the view window, screenshot from the X root, is not blank.
set -u
myelin="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$work/net.toml" <<'TOML'
[simulation]
duration = 300.0
[[population]]
name = "exc"
size = 40
model = "IF_curr_exp"
params = { i_offset = 1.2 }
init = { v = { uniform = [-65.0, -50.0] } }
[[population]]
name = "input"
size = 20
model = "SpikeSourcePoisson"
params = { rate = 30.0 }
[[projection]]
pre = "input"
post = "exc"
connect = { rule = "fixed_probability", p = 0.3 }
weight = 0.5
[[record]]
population = "exc"
state = ["v"]
neurons = [0, 1]
[[record]]
population = "input"
TOML
"$myelin" run "$work/net.toml" -o "$work/run.h5" -q || fail "myelin run failed"

"$myelin" plot "$work/run.h5" -o "$work/all.png" -q || fail "plot exited $?"
[ -s "$work/all.png" ] || fail "no PNG written"
"$myelin" plot "$work/run.h5" -o "$work/part.png" --from 100 --to 200 --panels raster,rate --size 800x600 \
  --populations exc -q || fail "plot with options exited $?"
if command -v identify >/dev/null 2>&1; then
  [ "$(identify -format '%wx%h' "$work/part.png")" = "800x600" ] || fail "--size not honoured"
fi

# Bad input: exit 2, one line naming the problem, no PNG, no temporary file left.
bad() {  # expected text, then the arguments after `myelin plot`
  expected="$1"; shift
  "$myelin" plot "$@" -o "$work/bad.png" > /dev/null 2> "$work/err"
  code=$?
  [ "$code" -eq 2 ] || fail "plot $*: exit $code, expected 2 ($(cat "$work/err"))"
  grep -q "$expected" "$work/err" || fail "plot $*: message: $(cat "$work/err")"
  [ "$(wc -l < "$work/err")" -eq 1 ] || fail "plot $*: expected one error line: $(cat "$work/err")"
  ls "$work" | grep -q 'bad.png' && fail "plot $*: a PNG was written"
  return 0
}
bad "net.toml: cannot open as an HDF5 file" "$work/net.toml"
bad "missing.h5: cannot open" "$work/missing.h5"
bad 'unknown panel "raser"' "$work/run.h5" --panels raser
bad 'no population "inhib"' "$work/run.h5" --populations inhib
bad "empty time range" "$work/run.h5" --from 200 --to 100
bad "outside the run" "$work/run.h5" --from 400 --to 500

# No display: exit 1, the message says what to run instead, nothing written.
env -u DISPLAY "$myelin" plot "$work/run.h5" -o "$work/nodisplay.png" > /dev/null 2> "$work/err"
code=$?
[ "$code" -eq 1 ] || fail "no display: exit $code, expected 1"
grep -q "DISPLAY is not set.*xvfb-run -a myelin plot" "$work/err" || fail "no display: message: $(cat "$work/err")"
[ -e "$work/nodisplay.png" ] && fail "no display: a PNG was written"

# The window: open it, take a screenshot of the X root while it shows, check it is not blank.
if command -v import >/dev/null 2>&1; then
  "$myelin" view "$work/run.h5" --size 1000x700 --close-after 6 &
  viewer=$!
  sleep 3
  import -window root "$work/shot.png" || fail "screenshot failed"
  wait "$viewer" || fail "myelin view exited $?"
  # A blank screen has one colour; the plot has white, axes, text and population colours.
  # The window opens at the top-left corner of the screen.
  colours=$(convert "$work/shot.png" -crop 1000x700+0+0 -format '%k' info:)
  [ "$colours" -gt 20 ] || fail "the window screenshot looks blank ($colours colours)"
fi
# Hover readout: move the pointer (xdotool) over known raster cells and read the readout back
# from the window title. Layout at 1000x700 with raster and rate (docs/viewer.md margins: left
# 70, right 150, top 24, bottom 40, gap 50): the raster box is x 70..850, y 24..442 (3/4.2 of the
# 586 px left), 60 rows (exc 0-39 at the bottom, input above); 300 ms across.
if command -v xdotool >/dev/null 2>&1; then
  "$myelin" view "$work/run.h5" --size 1000x700 --panels raster,rate --close-after 8 &
  viewer=$!
  sleep 3
  hover() {  # x y expected-readout
    xdotool mousemove "$1" "$2"
    sleep 1
    name=$(xdotool search --name "myelin view" getwindowname)
    echo "$name" | grep -q "$3" || fail "hover at $1,$2: title \"$name\", expected \"$3\""
  }
  hover 460 369 "t = 150.00 ms   exc neuron 10"      # x: 390/780 of 300 ms; y: row 10.48 from the bottom
  hover 226 90 "t = 60.00 ms   input neuron 10"      # x: 156/780 of 300 ms; y: row 50.53 (input 10)
  hover 460 600 "t = 150.00 ms\$"                    # over the rate panel: time only
  wait "$viewer" || fail "myelin view (hover) exited $?"
fi
echo "viewer CLI: ok"
