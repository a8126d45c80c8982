#!/bin/bash
# Nsight Compute on the GPU machine, after run_all.sh: utilisation, occupancy and stall reasons of
# each kernel in short runs of the benchmark networks, one text report per network in $OUT.
#   bash bench/gpu/profile.sh [PACK_DIR]      (default gpu-pack; docs/gpu.md)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${OUT:-$root/gpu-out}
mkdir -p "$out"
pack=${1:-gpu-pack}
export LD_LIBRARY_PATH="$root/gpu-pack/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
ncu=$(command -v ncu || ls /usr/local/cuda/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
[ -n "$ncu" ] || { echo "profile.sh: ncu not found"; exit 1; }
sections=(--section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats --section SchedulerStats --section MemoryWorkloadAnalysis)
brunel=(experiments/brunel.toml --set population.exc.size=80000 --set population.inh.size=20000)
profile() {  # name, timeout, ncu kernel selection..., --, myelin run arguments...
    local name=$1 limit=$2; shift 2
    local select=()
    while [ "$1" != "--" ]; do select+=("$1"); shift; done
    shift
    echo "== profile $name"
    timeout "$limit" "$ncu" "${sections[@]}" "${select[@]}" "$pack/bin/myelin" run "$@" --backend cuda --no-output >"$out/ncu_$name.txt" 2>&1
    echo "$name exit: $?"
}
profile cuba_batch512 120 -k regex:resident_steps -c 1 -- experiments/cuba.toml --batch 512 --set simulation.duration=10
profile brunel 120 -k regex:'update_all|deliver_all' --launch-skip 20 -c 2 -- "${brunel[@]}" --set simulation.duration=50
profile microcircuit 120 -k regex:'update_all|deliver_all' --launch-skip 40 -c 2 -- experiments/microcircuit.toml --set simulation.duration=20
