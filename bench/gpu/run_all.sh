#!/bin/bash
# The GPU session's one script (docs/gpu.md), well inside 8 minutes on an H100/H200:
#   1. binaries: gpu-pack/ (made by bench/gpu/pack.sh where the Debian packages are) or, where
#      the build dependencies are installed, a fresh CUDA build in build-cuda/;
#   2. the GPU tests (GPU vs CPU: identical spikes feed-forward, rates/CVs recurrent, determinism,
#      the recording of state and weights against the CPU's file);
#   3. benchmarks: Brunel 10^5 x 1000 synapses 1 s, 512 CUBA copies 1 s, the microcircuit 1 s;
#   4. $OUT/summary.md (numbers beside the issue's targets), the JSON reports and the log.
#   bash bench/gpu/run_all.sh [PACK_DIR [quick]]   (default gpu-pack; quick: no microcircuit, no CPU reference)
set -u -o pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${OUT:-$root/gpu-out}
mkdir -p "$out"
exec > >(tee "$out/run_all.log") 2>&1
started=$(date +%s)
stamp() { echo "== $(($(date +%s) - started)) s: $*"; }

nvidia-smi -L || true
pack=${1:-gpu-pack}
quick=${2:-}
if [ -x "$pack/bin/myelin" ]; then
    stamp "using $pack"
    export LD_LIBRARY_PATH="$root/gpu-pack/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    myelin=$pack/bin/myelin; tests=$pack/bin/myelin_gpu_tests
else
    stamp "configure and build (CUDA, sm_90)"
    cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 -DMYELIN_NATIVE=OFF >"$out/configure.log" 2>&1 &&
        cmake --build build-cuda --target myelin myelin_gpu_tests -j "$(nproc)" >"$out/build.log" 2>&1 ||
        { tail -30 "$out/configure.log" "$out/build.log"; echo "build failed"; exit 1; }
    myelin=build-cuda/myelin; tests=build-cuda/tests/myelin_gpu_tests
fi
threads=$(nproc)

stamp "GPU tests"
timeout 180 "$tests" -r compact
echo "gpu tests exit: $?" | tee "$out/tests.status"

bench() {  # name, timeout, myelin run arguments...
    local name=$1 limit=$2; shift 2
    stamp "benchmark $name"
    timeout "$limit" "$myelin" run "$@" --backend cuda --threads "$threads" --no-output --report-json "$out/$name.json"
    echo "$name exit: $?"
}
bench brunel 90 experiments/brunel.toml --set population.exc.size=80000 --set population.inh.size=20000 --set simulation.duration=1000
bench brunel_chunk1000 60 experiments/brunel.toml --set population.exc.size=80000 --set population.inh.size=20000 --set simulation.duration=1000 --gpu-chunk 1000
bench cuba_batch512 60 experiments/cuba.toml --batch 512 --set simulation.duration=1000
bench cuba_batch512_interval 60 experiments/cuba.toml --batch 512 --set simulation.duration=1000 --gpu-kernel interval
bench cuba_resident 30 experiments/cuba.toml --set simulation.duration=1000 --gpu-kernel resident
bench cuba_interval 30 experiments/cuba.toml --set simulation.duration=1000 --gpu-kernel interval
# Recording cost: the same CUBA network recording every excitatory neuron's v each 1 ms and
# all spikes to HDF5 (state sampled on the device, docs/gpu.md "Recording").
{ cat experiments/cuba.toml; printf '\n[[record]]\npopulation = "exc"\nspikes = false\nstate = ["v"]\ninterval = 1.0\n'; } >"$out/cuba_state.toml"
stamp "benchmark cuba_record_state"
timeout 60 "$myelin" run "$out/cuba_state.toml" --set simulation.duration=1000 --backend cuda --threads "$threads" \
    -o "$out/cuba_state.h5" --report-json "$out/cuba_record_state.json"
echo "cuba_record_state exit: $?"
rm -f "$out/cuba_state.h5"
# Pair STDP on E->E of CUBA (experiments/stdp.toml) against the same network with static synapses.
bench stdp 60 experiments/stdp.toml --set simulation.duration=1000
bench stdp_static 60 experiments/cuba.toml --set simulation.duration=1000 --gpu-kernel interval
[ -n "$quick" ] || bench microcircuit 150 experiments/microcircuit.toml --set simulation.duration=1000
# The same Brunel network on this machine's CPU cores, for scale (the CPU engine, all threads).
[ -n "$quick" ] || { stamp "CPU reference: brunel 10^5 on $threads threads"
timeout 90 "$myelin" run experiments/brunel.toml --set population.exc.size=80000 --set population.inh.size=20000 \
    --set simulation.duration=1000 --threads "$threads" --no-output --report-json "$out/brunel_cpu.json" | tail -8; }

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
           "cuba_batch512_interval": ("network_seconds_per_second", "(the interval kernels on the same batch)"),
           "cuba_resident": ("real_time_factor", "(one copy, resident kernel: one SM)"),
           "cuba_interval": ("real_time_factor", "(one copy, interval kernels)"),
           "cuba_record_state": ("real_time_factor", "(cuba_interval recording v of 3,200 neurons every 1 ms and all spikes)"),
           "stdp": ("real_time_factor", "(CUBA with pair STDP on E->E)"),
           "stdp_static": ("real_time_factor", "(the same network, static synapses, interval kernels)"),
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
    if r.get("kernel") == "resident":
        lines.append(f"- resident kernel ({r.get('chunk_steps')} steps per launch): {r['wall_seconds'] / steps * 1e6:.2f} us per step, "
                     f"update and delivery together")
    else:
        lines.append(f"- interval kernels, {r.get('interval_steps', 1)}-step intervals, {r.get('chunk_steps', '?')} steps per graph launch; "
                     f"per step (profiled over {r['profiled_steps']} steps after the run, launched one by one): "
                     f"update {r['update_seconds_per_step']*1e6:.2f} us, delivery {r['deliver_seconds_per_step']*1e6:.2f} us")
    bw = r["copy_bandwidth_bytes_per_second"]
    lines.append(f"- rates (Hz): " + ", ".join(f"{k} {v:.2f}" for k, v in r["rates_hz"].items()))
    for k, v in r.get("learned", {}).items():
        lines.append(f"- pair STDP on {k}: mean weight {v['mean_weight_before']:.6g} -> {v['mean_weight_after']:.6g}")
    lines.append(f"- device memory {r['device_bytes']/1e9:.2f} GB; device-to-device copy {bw/1e12:.2f} TB/s")
    lines.append(f"- bandwidth used (lower bound, synaptic part): {r['synaptic_events']*26/r['wall_seconds']/1e12:.3f} TB/s "
                 f"= {100*r['synaptic_events']*26/r['wall_seconds']/bw if bw else 0:.1f}% of the copy bandwidth")
    lines.append("")
cpu = load("brunel_cpu")
if cpu is not None:
    gpu = load("brunel")
    ratio = f"; GPU {cpu['sim_s'] / gpu['wall_seconds']:.1f}x faster" if gpu else ""
    lines.append(f"## brunel on this machine's CPU ({cpu['threads']} threads, the CPU engine)")
    lines.append(f"- simulate {cpu['sim_s']:.3f} s, build {cpu['build_s']:.1f} s, rates (Hz): "
                 + ", ".join(f"{k} {v:.2f}" for k, v in cpu["rate_hz"].items()) + ratio)
open(os.path.join(out, "summary.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
stamp "done"
