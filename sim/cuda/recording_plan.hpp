// What a GPU run records besides spikes (docs/gpu.md, "Recording"): the state variables of some
// neurons, sampled on the device by the kernels that step them, and snapshots of the plastic
// weights at the recording's snapshot steps. Plain host code (g++ and nvcc): which neurons and
// variables are sampled, where each sample goes in a chunk's buffer, and where chunks end.
#pragma once

#include "sim/cuda/network_plan.hpp"
#include "sim/host_device.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace myelin::sim::cuda {

// One population's sampled state: the samples of step s (the state after it, time (s + 1) * dt,
// as the CPU recorder takes them) exist when (s + 1) is a multiple of interval_steps.
struct StateProbePlan {
    std::uint32_t population = 0;          // in the plan
    std::vector<int> variables;            // indices into the plan's variables (the model's state() order)
    std::vector<std::uint32_t> neurons;    // the sampled neurons: the buffer's columns, in this order
    std::int64_t interval_steps = 1;
};

struct RecordingPlan {
    std::vector<StateProbePlan> probes;            // at most one per population
    // Steps between weight snapshots of each recorded projection (0: at the start and end only);
    // empty: no snapshots. Chunks end at each multiple, where the weights are copied.
    std::vector<std::int64_t> weight_intervals;
    bool weights() const { return !weight_intervals.empty(); }
};

// The most the state buffers of one chunk may take on the device (a chunk is shortened to fit).
inline constexpr std::size_t state_buffer_limit = std::size_t{1} << 30;

// Whether the state after step `step` is sampled.
MYELIN_HOST_DEVICE inline bool sampled_after(std::int64_t step, std::int64_t interval) { return (step + 1) % interval == 0; }

// The sample of step `step` within the chunk that began at step `chunk_first`: samples are
// numbered (step + 1) / interval over the run, so a chunk's first sample is the first multiple
// of the interval after chunk_first.
MYELIN_HOST_DEVICE inline std::int64_t sample_slot(std::int64_t step, std::int64_t chunk_first, std::int64_t interval) {
    return (step + 1) / interval - chunk_first / interval - 1;
}

// Samples in the chunk of `steps` steps from `chunk_first` (the steps s with (s + 1) in
// (chunk_first, chunk_first + steps] a multiple of the interval).
inline std::int64_t samples_in_chunk(std::int64_t chunk_first, std::int64_t steps, std::int64_t interval) {
    return (chunk_first + steps) / interval - chunk_first / interval;
}

// The most samples any chunk of `chunk_steps` steps holds, wherever it starts.
inline std::int64_t sample_capacity(std::int64_t chunk_steps, std::int64_t interval) { return chunk_steps / interval + 1; }

// A chunk's buffer of one probe: [sample][copy][recorded variable][column].
MYELIN_HOST_DEVICE inline std::size_t sample_offset(std::int64_t slot, std::uint32_t copy, int variable, std::uint32_t column,
                                                    std::uint32_t batch, int variables, std::uint32_t columns) {
    return ((static_cast<std::size_t>(slot) * batch + copy) * static_cast<std::size_t>(variables) + static_cast<std::size_t>(variable)) *
               columns + column;
}

// Doubles one probe's buffer holds for chunks of `chunk_steps` steps.
std::size_t probe_buffer_values(const StateProbePlan& probe, std::int64_t chunk_steps, std::uint32_t batch);

// The state probe for a [[record]] of `variables` of population `population` (`neurons`, or all
// with `all_neurons`), every `interval_steps`; `names` are the population's state variables in
// the plan's order. Throws Error for a source population, an unknown variable, more than 3
// variables, or a neuron outside the population or listed twice.
StateProbePlan make_state_probe(const NetworkPlan& plan, std::uint32_t population, std::span<const std::string> names,
                                std::span<const std::string> variables, std::span<const std::uint32_t> neurons, bool all_neurons,
                                std::int64_t interval_steps);

// Adds `probe`, or throws Error when its population already has one (one probe per population
// on the GPU).
void add_state_probe(RecordingPlan& recording, StateProbePlan probe, const std::string& population_name);

// The chunk length (steps, a multiple of `interval` -- the kernels' interval) such that every
// probe's buffer fits in `limit` bytes together: `chunk_steps`, halved (to whole intervals, at
// least one) until it fits. Throws Error when even one interval does not fit.
std::int64_t chunk_for_state(std::int64_t chunk_steps, int interval, const RecordingPlan& recording, std::uint32_t batch,
                             std::size_t limit = state_buffer_limit);

// Steps in the chunk that starts at `done`: `chunk`, or fewer at the run's end or to end at the
// next weight snapshot step (a multiple of one of the recording's weight intervals).
std::int64_t next_chunk_steps(std::int64_t done, std::int64_t total, std::int64_t chunk, const RecordingPlan& recording);

// Whether the weights are copied after step_done steps: a multiple of a weight interval, or the end.
bool weight_snapshot_after(std::int64_t step_done, std::int64_t total, const RecordingPlan& recording);

}  // namespace myelin::sim::cuda
