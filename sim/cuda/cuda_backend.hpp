// The GPU backend (docs/gpu.md): runs a NetworkPlan for B copies on one CUDA device. The step
// matches the CPU engine's (same model step functions, same Philox keys, same delays); synaptic
// input is summed in 64-bit fixed point (2^-32 of the weight unit) so atomic additions in any
// order give the same sum. Built from cuda_backend.cu where nvcc was found, else from
// cuda_unavailable.cpp, whose functions say so.
#pragma once

#include "sim/cuda/network_plan.hpp"

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

struct RunStats {
    double wall_seconds = 0.0;       // the whole run on the device, transfers of spikes included
    double upload_seconds = 0.0;     // plan -> device
    double update_seconds = 0.0;     // profiled first chunk: neuron updates and sources
    double deliver_seconds = 0.0;    // profiled first chunk: spike delivery
    std::int64_t profiled_steps = 0;
    std::uint64_t spikes = 0, events = 0;  // synaptic events = spikes x fan-out
    std::vector<std::uint64_t> spike_counts;  // [population][copy]
    double device_bytes = 0.0;       // allocated on the device
    double copy_bandwidth = 0.0;     // bytes/s of a device-to-device copy (the achievable peak)
    std::string device;
};

// Runs plan.steps steps, `chunk_steps` per CUDA graph launch. `sink` receives each chunk's
// spikes sorted as SpikeEvent orders them; without a sink the spikes are only counted, on the
// device (what throughput benchmarks want). Throws Error on a CUDA failure or when
// a chunk holds more spikes than the on-device buffer (then lower chunk_steps).
RunStats run(const NetworkPlan& plan, int chunk_steps, const std::function<void(std::span<const SpikeEvent>)>& sink);

}  // namespace myelin::sim::cuda
