#!/bin/sh
# myelin run --view (run on Xvfb by under_xvfb.sh): the live window shows the run while it goes
# (a screenshot mid-run is not blank and has spike-coloured pixels), closing the window does
# not stop the run (stderr says so), and the recording equals, dataset for dataset, that of
# the same run without --view (only /meta's wall-clock attributes differ).
set -u
myelin="$1"
config="$2"  # experiments/stdp.toml: spikes of two populations and weight snapshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v import >/dev/null 2>&1 || { echo "imagemagick not installed: skipped"; exit 77; }
/usr/bin/python3 -c "import h5py, numpy" 2>/dev/null || { echo "python3-h5py not installed: skipped"; exit 77; }
cd "$work" || exit 1
# 150 s of simulated time: ~12 s of wall time on a quiet 2-core machine, more on a busy one, so
# the run is still going when the window closes (6 s after it opens) on this machine and on
# one somewhat faster.
small="--set population.exc.size=800 --set population.inh.size=200 --set projection.ee.connect.p=0.05
  --set projection.ei.connect.p=0.05 --set projection.ie.connect.p=0.05 --set projection.ii.connect.p=0.05
  --duration 150s --threads 1 -q"

# shellcheck disable=SC2086
"$myelin" run "$config" $small -o plain.h5 || fail "run without --view"
start=$(date +%s)
# shellcheck disable=SC2086
"$myelin" run "$config" $small -o live.h5 --view --view-size 1000x700 --view-span 500 --close-after 6 2> err &
runner=$!
# Screenshots every half second until one shows spikes: on a busy machine the window may take a
# few seconds to open and draw its first frame. Not blank: many colours, and the raster's colour
# for exc (Tableau blue 31,119,180) in the window.
colours=0 blue=0 tries=0
while [ "$tries" -lt 40 ] && kill -0 "$runner" 2>/dev/null; do
  sleep 0.5
  tries=$((tries + 1))
  import -window root shot.png 2>/dev/null || continue
  colours=$(convert shot.png -crop 1000x700+0+0 -format '%k' info:)
  blue=$(convert shot.png -crop 1000x700+0+0 +repage -fill black +opaque "rgb(31,119,180)" -fill white \
    -opaque "rgb(31,119,180)" -format '%[fx:round(mean*w*h)]' info:)
  [ "$colours" -gt 20 ] && [ "$blue" -gt 200 ] && break
done
wait "$runner" || fail "myelin run --view exited $? ($(cat err))"
[ -s live.h5 ] || fail "no recording written with --view"
grep -q "the window was closed; the run goes on without it and writes live.h5" err ||
  fail "the run ended before the window closed, or stderr did not say it goes on: $(cat err) ($(($(date +%s) - start)) s)"
[ "$colours" -gt 20 ] || fail "the live window looks blank ($colours colours)"
[ "$blue" -gt 200 ] || fail "no spikes drawn in the live window ($blue exc-coloured pixels)"

/usr/bin/python3 - <<'PY' || fail "the recording with --view differs from the one without"
import h5py, numpy as np
wall = {"wall_seconds", "build_seconds", "created"}
def walk(f):
    items = {}
    f.visititems(lambda name, obj: items.__setitem__(name, obj))
    return items
plain, live = h5py.File("plain.h5", "r"), h5py.File("live.h5", "r")
a, b = walk(plain), walk(live)
assert a.keys() == b.keys(), sorted(set(a) ^ set(b))
for name, obj in a.items():
    if isinstance(obj, h5py.Dataset):
        assert np.array_equal(obj[()], b[name][()]), name
    keys = set(obj.attrs) - wall
    assert keys == set(b[name].attrs) - wall, name
    for k in keys:
        x, y = obj.attrs[k], b[name].attrs[k]
        assert np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y, (name, k, x, y)
spikes = sum(len(plain[f"/populations/{p}/spikes/step"]) for p in ("exc", "inh"))
assert spikes > 1000, spikes
print(f"recordings equal: {spikes} spikes, {len(a)} objects")
PY
# Misuse: exit 2 before anything is written; no display: exit 1 naming xvfb-run, nothing written.
"$myelin" run "$config" --duration 10ms -o misuse.h5 --close-after 3 2> err
[ $? -eq 2 ] && grep -q "go with --view" err || fail "--close-after without --view: $(cat err)"
"$myelin" run "$config" --duration 10ms -o misuse.h5 --view --view-panels raster,histogram 2> err
[ $? -eq 2 ] && grep -q 'unknown panel "histogram"' err || fail "bad --view-panels: $(cat err)"
env -u DISPLAY "$myelin" run "$config" --duration 10ms -o misuse.h5 --view 2> err
[ $? -eq 1 ] && grep -q "DISPLAY is not set.*xvfb-run -a myelin run" err || fail "--view without a display: $(cat err)"
ls | grep -q misuse && fail "a misused --view wrote a file"
echo "live view CLI: ok"
