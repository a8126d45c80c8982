// The interval kernels (docs/gpu.md): `update_all` runs every population's neurons and sources
// through one interval of the shortest delay, `deliver_all` delivers the interval's spikes over
// every static projection and advances the clock.
// Included by cuda_backend.cu only (one translation unit, hence the unnamed namespace).
#pragma once

#include "models/lif_cond_exp.hpp"
#include "models/lif_curr_delta.hpp"
#include "models/lif_curr_exp.hpp"
#include "sim/cuda/device_network.cuh"

namespace myelin::sim::cuda {
namespace {

// `interval` steps of one (copy, neuron) from step t0 on. Sample: the population's state is
// recorded (pop.probe), a template argument so that the unrecorded path has no extra work.
template <class M, bool Sample>
__device__ void update_neuron(const DevicePopulation& pop, std::uint32_t batch, const Clock& clock, const SpikeList& list,
                              const SpikeRecords& records, int interval, std::size_t id, long long t0) {
    constexpr int variables = std::is_same_v<M, models::LifCurrDelta> ? 1 : 3;
    const bool active = id < static_cast<std::size_t>(batch) * pop.size;
    const auto copy = active ? static_cast<std::uint32_t>(id / pop.size) : 0u;
    const auto i = active ? static_cast<std::uint32_t>(id % pop.size) : 0u;
    double state[variables];
    std::int32_t refrac = 0;
    for (int v = 0; v < variables; ++v)
        state[v] = active ? pop.state[(static_cast<std::size_t>(v) * batch + copy) * pop.size + i] : 0.0;
    if (active) refrac = pop.refrac[static_cast<std::size_t>(copy) * pop.size + i];
    const typename M::State s = registers_state<M>(state, &refrac);
    const unsigned char* blob = pop.params + copy * pop.stride;
    const auto& params = *reinterpret_cast<const typename M::Params*>(blob);
    const auto& propagators = *reinterpret_cast<const typename M::Propagators*>(blob + pop.params_bytes);
    long long* ring = pop.ring + static_cast<std::size_t>(copy) * clock.slots * pop.channels * pop.size + i;
    unsigned fired_count = 0;
    [[maybe_unused]] const int column = Sample && active ? pop.probe.column_of[i] : -1;
    for (int k = 0; k < interval; ++k) {
        const long long step = t0 + k;
        bool fired = false;
        if (active) {
            double input[2] = {0.0, 0.0};
            const int slot = static_cast<int>(step % clock.slots);
            for (int c = 0; c < pop.channels; ++c) {
                long long* cell = ring + (static_cast<std::size_t>(slot) * pop.channels + c) * pop.size;
                input[c] = static_cast<double>(*cell) * fixed_unit;  // exact: |sum| < 2^53 units
                *cell = 0;
            }
            // Poisson drives, keyed as Population::apply_drives keys them on the CPU.
            for (int d = 0; d < pop.drive_count; ++d) {
                const DeviceDrive& drive = pop.drives[d];
                if (step < drive.start_step || step >= drive.stop_step) continue;
                const std::uint32_t word = philox_word(drive.keys[copy], i / 4, static_cast<std::uint32_t>(step), static_cast<int>(i % 4));
                input[drive.channel] += static_cast<double>(drive.weight) * count_above(word, drive.thresholds, drive.threshold_count);
            }
            fired = M::step(params, propagators, s, 0, input[0], input[1]);
            if constexpr (Sample) {
                // The state after this step, as the CPU recorder samples it after the step.
                if (column >= 0 && sampled_after(step, pop.probe.interval)) {
                    const long long slot = sample_slot(step, *clock.chunk_first, pop.probe.interval);
                    for (int r = 0; r < pop.probe.variable_count; ++r) {
                        // Constant indices only, so that the state stays in registers.
                        const int v = pop.probe.variable[r];
                        double value = state[0];
                        if constexpr (variables > 1) value = v == 1 ? state[1] : v == 2 ? state[2] : value;
                        pop.probe.buffer[sample_offset(slot, copy, r, static_cast<std::uint32_t>(column), batch, pop.probe.variable_count,
                                                       pop.probe.columns)] = value;
                    }
                }
            }
            if (fired) {
                ++fired_count;
                record(records, *clock.chunk_first, step, pop.index, copy, i);
            }
        }
        append(list, fired, spike_entry(i, copy, pop.index, k));
    }
    if (!active) return;
    for (int v = 0; v < variables; ++v) pop.state[(static_cast<std::size_t>(v) * batch + copy) * pop.size + i] = state[v];
    pop.refrac[static_cast<std::size_t>(copy) * pop.size + i] = refrac;
    if (fired_count) atomicAdd(pop.copy_spikes + copy, static_cast<unsigned long long>(fired_count));
}

// SpikeSourceArray: thread (copy, j) emits the j-th spike of each step, if there is one.
__device__ void update_spike_array(const DevicePopulation& pop, std::uint32_t batch, const Clock& clock, const SpikeList& list,
                                   const SpikeRecords& records, int interval, std::size_t id, long long t0) {
    const std::size_t most = pop.array_most;
    const bool active = most > 0 && id < batch * most;
    const auto copy = active ? static_cast<std::uint32_t>(id / most) : 0u;
    const auto j = active ? id % most : 0;
    unsigned fired_count = 0;
    for (int k = 0; k < interval; ++k) {
        const long long step = t0 + k;
        bool fired = false;
        std::uint32_t neuron = 0;
        if (active && step < clock.steps) {
            const std::uint64_t first = pop.array_offsets[step], count = pop.array_offsets[step + 1] - first;
            if (j < count) {
                fired = true;
                neuron = pop.array_neurons[first + j];
                ++fired_count;
                record(records, *clock.chunk_first, step, pop.index, copy, neuron);
            }
        }
        append(list, fired, spike_entry(neuron, copy, pop.index, k));
    }
    if (fired_count) atomicAdd(pop.copy_spikes + copy, static_cast<unsigned long long>(fired_count));
}

// SpikeSourcePoisson: neuron i draws the first word of Philox(key, i, step, 0), as RandomStream,
// and may emit several spikes in one step.
__device__ void update_poisson_source(const DevicePopulation& pop, std::uint32_t batch, const Clock& clock, const SpikeList& list,
                                      const SpikeRecords& records, int interval, std::size_t id, long long t0) {
    const bool active = id < static_cast<std::size_t>(batch) * pop.size;
    const auto copy = active ? static_cast<std::uint32_t>(id / pop.size) : 0u;
    const auto i = active ? static_cast<std::uint32_t>(id % pop.size) : 0u;
    unsigned fired_count = 0;
    for (int k = 0; k < interval; ++k) {
        const long long step = t0 + k;
        std::uint32_t n = 0;
        if (active && step >= pop.source_start && step < pop.source_stop) {
            const std::uint32_t word = philox_word(pop.source_keys[copy], i, static_cast<std::uint32_t>(step), 0);
            n = count_above(word, pop.source_thresholds, pop.source_threshold_count);
        }
        for (std::uint32_t r = 0; __any_sync(full_warp, r < n); ++r) {
            if (r < n) record(records, *clock.chunk_first, step, pop.index, copy, i);
            append(list, r < n, spike_entry(i, copy, pop.index, k));
        }
        fired_count += n;
    }
    if (fired_count) atomicAdd(pop.copy_spikes + copy, static_cast<unsigned long long>(fired_count));
}

// Every population's interval in one launch: populations own consecutive ranges of blocks.
__global__ void update_all(const DevicePopulation* populations, int population_count, std::uint32_t batch, Clock clock,
                           SpikeList list, SpikeRecords records, int interval) {
    int p = 0;
    while (p + 1 < population_count && blockIdx.x >= populations[p + 1].first_block) ++p;
    const DevicePopulation pop = populations[p];
    const std::size_t id = static_cast<std::size_t>(blockIdx.x - pop.first_block) * blockDim.x + threadIdx.x;
    const long long t0 = *clock.step;
    // Whether the population is sampled is decided once per thread, outside the step loop.
    const bool sample = pop.probe.buffer != nullptr;
    switch (pop.kind) {
        case Kind::curr_exp:
            if (sample) update_neuron<models::LifCurrExp, true>(pop, batch, clock, list, records, interval, id, t0);
            else update_neuron<models::LifCurrExp, false>(pop, batch, clock, list, records, interval, id, t0);
            break;
        case Kind::cond_exp:
            if (sample) update_neuron<models::LifCondExp, true>(pop, batch, clock, list, records, interval, id, t0);
            else update_neuron<models::LifCondExp, false>(pop, batch, clock, list, records, interval, id, t0);
            break;
        case Kind::curr_delta:
            if (sample) update_neuron<models::LifCurrDelta, true>(pop, batch, clock, list, records, interval, id, t0);
            else update_neuron<models::LifCurrDelta, false>(pop, batch, clock, list, records, interval, id, t0);
            break;
        case Kind::spike_array: update_spike_array(pop, batch, clock, list, records, interval, id, t0); break;
        case Kind::poisson_source: update_poisson_source(pop, batch, clock, list, records, interval, id, t0); break;
    }
}

// The interval's spikes over every projection leaving their populations. A spike gets a group
// of warps, as many as there are warps per spike (at least one), striding along its rows: a quiet
// step of a large network (tens of spikes, thousands of synapses each) still fills the GPU.
// Determinism: integer atomics commute. The last block to finish moves the clock to the next
// interval and empties the list (every block has read both by then).
__global__ void deliver_all(const DeviceProjection* projections, const std::uint32_t* outgoing_start,
                            const std::uint32_t* outgoing, SpikeList list, SpikeHistory history, Clock clock,
                            unsigned long long* events, std::uint32_t* blocks_done, int interval) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t thread = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    const std::size_t warp = thread >> 5, warps = (static_cast<std::size_t>(gridDim.x) * blockDim.x) >> 5;
    const std::uint32_t n = *list.count;
    const long long t0 = *clock.step;
    if (history.slots > 0) {  // plastic projections: keep this step's list (intervals are one step then)
        const int h = static_cast<int>(t0 % history.slots);
        for (std::size_t e = thread; e < n; e += warps * 32) history.data[static_cast<std::size_t>(h) * history.capacity + e] = list.data[e];
        if (thread == 0) history.count[h] = n;
    }
    const WarpGroups g(warp, warps, n);
    unsigned long long warp_events = 0;
    for (std::size_t e = g.first; e < n && g.first < g.groups; e += g.groups) {
        const uint2 entry = list.data[e];
        const std::uint32_t pre = entry.x, copy = entry.y >> 16, population = (entry.y >> 8) & 0xFFu;
        const int sent = static_cast<int>((t0 + static_cast<long long>(entry.y & 0xFFu)) % clock.slots);
        for (std::uint32_t q = outgoing_start[population]; q < outgoing_start[population + 1]; ++q) {
            const DeviceProjection& proj = projections[outgoing[q]];
            if (proj.plastic) continue;  // delivered on arrival by stdp_arrivals
            const std::uint64_t begin = proj.row_start[pre], end = proj.row_start[pre + 1];
            if (g.member == 0) warp_events += end - begin;
            long long* ring = proj.ring + (static_cast<std::size_t>(copy) * clock.slots * proj.post_channels + proj.channel) * proj.post_size;
            const std::size_t slot_stride = static_cast<std::size_t>(proj.post_channels) * proj.post_size;
            for (std::uint64_t s = begin + g.member * 32 + lane; s < end; s += g.group * 32)
                atomicAdd(reinterpret_cast<unsigned long long*>(ring + slot_after(sent, proj.delay[s], clock.slots) * slot_stride + proj.target[s]),
                          static_cast<unsigned long long>(to_fixed(proj.weight[s])));
        }
    }
    if (lane == 0 && warp_events) atomicAdd(events, warp_events);
    __shared__ bool last;
    __syncthreads();
    if (threadIdx.x == 0) {
        __threadfence();
        last = atomicAdd(blocks_done, 1u) == gridDim.x - 1;
    }
    __syncthreads();
    if (last && threadIdx.x == 0) {
        *clock.step = t0 + interval;
        *list.count = 0;
        *blocks_done = 0;
        __threadfence();
    }
}



__global__ void begin_chunk(Clock clock) { *clock.chunk_first = *clock.step; }

}  // namespace
}  // namespace myelin::sim::cuda
