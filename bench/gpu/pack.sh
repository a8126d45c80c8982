#!/bin/sh
# Prepares gpu-pack/ for a GPU session: the CUDA build of `myelin` and `myelin_gpu_tests`, with
# the shared libraries they load that the GPU machine's bare CUDA image lacks (HDF5, TBB, SFML,
# toml++, ...). Run it on a machine with nvcc (no GPU needed); carry gpu-pack to the GPU machine
# and run bench/gpu/run_all.sh there (docs/gpu.md).
#   sh bench/gpu/pack.sh [BUILD_DIR]     (default: build, configured with nvcc found)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
grep -q "^CMAKE_CUDA_COMPILER:.*nvcc" "$build/CMakeCache.txt" ||
    { echo "pack.sh: $build was configured without CUDA (configure a fresh build folder with nvcc on PATH)"; exit 1; }
nice -n 15 cmake --build "$build" --target myelin myelin_gpu_tests -j 2
pack=$root/gpu-pack
rm -rf "$pack"
mkdir -p "$pack/bin" "$pack/lib"
cp "$build/myelin" "$build/tests/myelin_gpu_tests" "$pack/bin/"
# Everything ldd resolves except the C library, the loader and the GPU driver (the machine's own).
for exe in "$pack"/bin/*; do ldd "$exe"; done | awk '/=> \// {print $3}' | sort -u | while read -r lib; do
    case "$(basename "$lib")" in
        libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|ld-linux*|libcuda.so*) ;;
        *) cp -L "$lib" "$pack/lib/" ;;
    esac
done
exclude="$(git -C "$root" rev-parse --git-common-dir)/info/exclude"
grep -qx "/gpu-pack/" "$exclude" 2>/dev/null || echo "/gpu-pack/" >>"$exclude"
du -sh "$pack"
echo "carry gpu-pack, then run: bash bench/gpu/run_all.sh"
