#!/bin/sh
# Runs a command on a virtual X display (the viewer's OpenGL needs one). Exit 77 (skipped in
# CTest) where xvfb-run is not installed. The screen is larger than any test window, so
# screenshots are never cut off.
command -v xvfb-run >/dev/null 2>&1 || { echo "xvfb-run not installed: skipped"; exit 77; }
export ASAN_OPTIONS=detect_leaks=0  # Mesa leaks a few bytes at exit
exec xvfb-run -a -s "-screen 0 1920x1080x24" "$@"
