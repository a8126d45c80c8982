#!/bin/sh
# Runs every test: installs and builds what is missing (setup.sh), then CTest (Catch2 unit and
# end-to-end tests, the command-line checks and the Brian2 peer comparison).
set -eu
cd "$(dirname "$0")"
./setup.sh --no-run
ctest --test-dir build --output-on-failure -j 2
