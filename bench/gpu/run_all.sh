#!/bin/bash
# The GPU session's one script (docs/gpu.md), well inside 8 minutes on an H100/H200:
#   1. binaries: gpu-pack/ (made by bench/gpu/pack.sh where the Debian packages are) or, where
#      the build dependencies are installed, a fresh CUDA build in build-cuda/;
#   2. the GPU tests (GPU vs CPU: identical spikes feed-forward, rates/CVs recurrent, determinism);
#   3. benchmarks: Brunel 10^5 x 1000 synapses 1 s, 512 CUBA copies 1 s, the microcircuit 1 s;
#   4. $OUT/summary.md (numbers beside the issue's targets), the JSON reports and the log.
set -u -o pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${OUT:-$root/gpu-out}
mkdir -p "$out"
exec > >(tee "$out/run_all.log") 2>&1
started=$(date +%s)
stamp() { echo "== $(($(date +%s) - started)) s: $*"; }

nvidia-smi -L || true
if [ -x gpu-pack/bin/myelin ]; then
    stamp "using gpu-pack"
    export LD_LIBRARY_PATH="$root/gpu-pack/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    myelin=gpu-pack/bin/myelin; tests=gpu-pack/bin/myelin_gpu_tests
else
    stamp "configure and build (CUDA, sm_90)"
    cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 -DMYELIN_NATIVE=OFF >"$out/configure.log" 2>&1 &&
        cmake --build build-cuda --target myelin myelin_gpu_tests -j "$(nproc)" >"$out/build.log" 2>&1 ||
        { tail -30 "$out/configure.log" "$out/build.log"; echo "build failed"; exit 1; }
    myelin=build-cuda/myelin; tests=build-cuda/tests/myelin_gpu_tests
fi
threads=$(nproc)

stamp "GPU tests"
timeout 150 "$tests" -r compact
echo "gpu tests exit: $?" | tee "$out/tests.status"

bench() {  # name, timeout, myelin run arguments...
    local name=$1 limit=$2; shift 2
    stamp "benchmark $name"
    timeout "$limit" "$myelin" run "$@" --backend cuda --threads "$threads" --no-output --report-json "$out/$name.json"
    echo "$name exit: $?"
}
bench brunel 120 experiments/brunel.toml --set population.exc.size=80000 --set population.inh.size=20000 --set simulation.duration=1000
bench brunel_chunk1000 90 experiments/brunel.toml --set population.exc.size=80000 --set population.inh.size=20000 --set simulation.duration=1000 --gpu-chunk 1000
bench cuba_batch512 90 experiments/cuba.toml --batch 512 --set simulation.duration=1000
bench microcircuit 200 experiments/microcircuit.toml --set simulation.duration=1000

stamp "summary"
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def load(name):
    try:
        return json.load(open(os.path.join(out, name + ".json")))
    except Exception as e:
        return None
lines = ["# GPU run summary (bench/gpu/run_all.sh)", ""]
tests = open(os.path.join(out, "tests.status")).read().strip() if os.path.exists(os.path.join(out, "tests.status")) else "not run"
lines += [f"GPU tests: {tests}", ""]
targets = {"brunel": ("wall_seconds", "<= 0.1 s (goal 0.05 s); PyTorch event-driven 7.03 s"),
           "brunel_chunk1000": ("wall_seconds", "<= 0.1 s"),
           "cuba_batch512": ("network_seconds_per_second", ">= 5000 network-s/s; PyTorch 173"),
           "microcircuit": ("real_time_factor", "<= 0.3 (GeNN RTX 4090: 0.27)")}
for name, (key, target) in targets.items():
    r = load(name)
    if r is None:
        lines.append(f"## {name}: no report (failed or timed out; see run_all.log)")
        continue
    steps = r["steps"]; batch = r["batch"]
    # Bytes the step must move at least: per synaptic event the target index, weight and delay
    # (10 B) and an 8-byte atomic read-modify-write (16 B); per neuron and step its state (3
    # doubles + refractory counter + 2 ring cells, read and written). A lower bound: caches
    # absorb some, uncoalesced atomics cost more.
    lines.append(f"## {name} on {r['device']}")
    lines.append(f"- {key} = {r[key]:.4g}   target {target}")
    lines.append(f"- wall {r['wall_seconds']:.4f} s for {steps} steps x {batch} copies; real-time factor {r['real_time_factor']:.4g}; "
                 f"{r['network_seconds_per_second']:.4g} network-s/s")
    lines.append(f"- {r['synapses']} synapses; {r['synaptic_events']:.4g} synaptic events, {r['events_per_second']:.4g} events/s; "
                 f"build {r['build_seconds']:.1f} s (CPU), upload {r['upload_seconds']:.2f} s")
    lines.append(f"- per step (profiled over {r['profiled_steps']} steps, launched one by one): update {r['update_seconds_per_step']*1e6:.1f} us, "
                 f"delivery {r['deliver_seconds_per_step']*1e6:.1f} us")
    bw = r["copy_bandwidth_bytes_per_second"]
    lines.append(f"- rates (Hz): " + ", ".join(f"{k} {v:.2f}" for k, v in r["rates_hz"].items()))
    lines.append(f"- device memory {r['device_bytes']/1e9:.2f} GB; device-to-device copy {bw/1e12:.2f} TB/s")
    lines.append(f"- bandwidth used (lower bound, synaptic part): {r['synaptic_events']*26/r['wall_seconds']/1e12:.3f} TB/s "
                 f"= {100*r['synaptic_events']*26/r['wall_seconds']/bw if bw else 0:.1f}% of the copy bandwidth")
    lines.append("")
open(os.path.join(out, "summary.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
stamp "done"
