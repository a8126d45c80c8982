#!/bin/sh
# Installs Myelin's Debian 12 dependencies, builds it (CMake + Ninja, Release) into build/,
# and, unless --no-run is given, runs the CUBA example network.
set -eu
cd "$(dirname "$0")"

packages="cmake ninja-build g++ pkg-config libboost-dev libtbb-dev libhdf5-dev catch2
  libtomlplusplus-dev libcli11-dev librandom123-dev libeigen3-dev zlib1g-dev nlohmann-json3-dev
  python3-brian python3-pynn python3-h5py python3-numpy"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build

if [ "${1:-}" != "--no-run" ]; then
  build/myelin run experiments/cuba.toml
fi
