// The GPU backend (docs/gpu.md): runs a NetworkPlan for B copies on one CUDA device. The step
// matches the CPU engine's (same model step functions, same Philox keys, same delays), run in
// intervals of the shortest delay (each neuron steps through an interval on its own); synaptic
// input is summed in 64-bit fixed point (2^-32 of the weight unit) so atomic additions in any
// order give the same sum. Built from cuda_backend.cu where nvcc was found, else from
// cuda_unavailable.cpp, whose functions say so.
#pragma once

#include "sim/cuda/network_plan.hpp"
#include "sim/cuda/recording_plan.hpp"

#include <cstdint>
#include <compare>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace myelin::sim::cuda {

// Empty when a CUDA device can be used; otherwise why not, in words for the user.
std::string unavailable_reason();

struct SpikeEvent {
    std::int64_t step = 0;
    std::uint32_t copy = 0, population = 0, neuron = 0;
    auto operator<=>(const SpikeEvent&) const = default;  // (step, copy, population, neuron)
};

// Which kernels step the network (docs/gpu.md): `interval` (two launches per interval of the
// shortest delay, any plan), `resident` (one block per copy runs a whole chunk, small networks of
// one neuron model), `automatic` (resident where it can run, else interval).
enum class Kernel { automatic, interval, resident };

// The weights a plastic projection ended with, copy by copy.
struct LearnedWeights {
    std::size_t projection = 0;   // in the plan
    std::vector<float> weights;   // [copy][synapse], synapses in the plan's (CSR) order
};

struct RunStats {
    double wall_seconds = 0.0;       // every step of the run on the device, transfers of spikes included
    double upload_seconds = 0.0;     // plan -> device, and the CUDA graph's instantiation
    double update_seconds = 0.0;     // profiled steps after the run: neuron updates and sources
    double deliver_seconds = 0.0;    // profiled steps after the run: spike delivery
    std::int64_t profiled_steps = 0;
    int interval_steps = 1;          // steps per update launch: the shortest delay (at most 255)
    std::int64_t chunk_steps = 0;    // steps per graph launch: --gpu-chunk rounded up to whole intervals
    std::uint64_t spikes = 0, events = 0;  // synaptic events = spikes x fan-out
    std::vector<std::uint64_t> spike_counts;  // [population][copy]
    double device_bytes = 0.0;       // allocated on the device
    double copy_bandwidth = 0.0;     // bytes/s of a device-to-device copy (the achievable peak)
    std::string device;
    std::string kernel;              // "interval" or "resident"
    std::vector<LearnedWeights> learned;  // plastic projections, read before the profiled steps
};

// Why the resident kernel cannot run `plan` on this machine's GPU, or "" when it can.
std::string resident_unsuitable(const NetworkPlan& plan);

// What one chunk of steps [first_step, first_step + steps) hands to the host when recording.
struct Chunk {
    std::int64_t first_step = 0, steps = 0;
    std::span<const SpikeEvent> spikes;      // sorted as SpikeEvent orders them
    // Per probe of the RecordingPlan: samples_in_chunk(first_step, steps, interval) samples laid
    // out as sample_offset says ([sample][copy][variable][column]).
    std::vector<std::vector<double>> state;
    // When weight_snapshot_after(first_step + steps, ...): every plastic projection's weights.
    std::vector<LearnedWeights> weights;
};
using ChunkSink = std::function<void(const Chunk&)>;

// Runs plan.steps steps, `chunk_steps` (rounded up to whole intervals) per launch. `sink`
// receives each chunk's spikes sorted as SpikeEvent orders them; without a sink the spikes are
// only counted, on the device (what throughput benchmarks want). Throws Error on a CUDA failure,
// when a chunk holds more spikes than the on-device buffer (then lower chunk_steps), or when
// `kernel` is resident and resident_unsuitable(plan) says why not.
RunStats run(const NetworkPlan& plan, int chunk_steps, const std::function<void(std::span<const SpikeEvent>)>& sink,
             Kernel kernel = Kernel::automatic);

// The same, recording as `recording` asks: state sampled on the device by the interval kernels
// (`automatic` picks them when state is recorded; `resident` then is an Error), chunks ending at
// weight snapshot steps. `sink` receives every chunk, in order (spikes only when it is set).
RunStats run(const NetworkPlan& plan, int chunk_steps, const RecordingPlan& recording, const ChunkSink& sink,
             Kernel kernel = Kernel::automatic);

}  // namespace myelin::sim::cuda
