// The resident kernel (docs/gpu.md): one block per copy runs a whole chunk of steps, and
// whether a plan fits it.
// Included by cuda_backend.cu only (one translation unit, hence the unnamed namespace).
#pragma once

#include "models/lif_cond_exp.hpp"
#include "models/lif_curr_delta.hpp"
#include "models/lif_curr_exp.hpp"
#include "sim/cuda/device_network.cuh"

namespace myelin::sim::cuda {
namespace {

// The resident kernel (small networks, batches): one block per copy runs a whole chunk of steps,
// its neurons' state in registers (K per thread) and the copy's input ring in shared memory, so a
// step costs two __syncthreads instead of two launches and its traffic stays on the chip. Every
// population has the same model M; the ring is [slot][channel][neuron of the copy], neurons
// numbered through the populations in order. Spikes, sums and steps are those of the interval
// kernels (the same fixed point, delays and step functions), so both give the same spikes.
constexpr int resident_threads = 1024;
constexpr int resident_most_populations = 16;
constexpr int resident_blob_bytes = 256;  // a population's Params and Propagators, kept in shared memory

template <class M, int K>
__global__ void __launch_bounds__(resident_threads, 1)
resident_steps(const DevicePopulation* populations, int population_count, const DeviceProjection* projections,
             const std::uint32_t* outgoing_start, const std::uint32_t* outgoing, std::uint32_t batch, int slots,
             long long t0, int steps, SpikeRecords records, unsigned long long* events) {
    constexpr int channels = M::receptors;
    constexpr int variables = std::is_same_v<M, models::LifCurrDelta> ? 1 : 3;
    extern __shared__ long long ring[];  // [slot][channel][n], then the step's spikes (uint32)
    __shared__ std::uint32_t first[resident_most_populations + 1];
    // This copy's parameters of each population, and its drive count: read every step by every
    // neuron, so from shared memory rather than through pointers in global memory.
    __shared__ alignas(16) unsigned char blobs[resident_most_populations][resident_blob_bytes];
    __shared__ int drive_count[resident_most_populations];
    __shared__ bool any_drives;
    __shared__ std::uint32_t spike_count[2];
    __shared__ unsigned population_spikes[resident_most_populations];
    __shared__ unsigned long long block_events;
    const std::uint32_t copy = blockIdx.x;
    if (threadIdx.x == 0) {
        first[0] = 0;
        for (int p = 0; p < population_count; ++p) first[p + 1] = first[p] + populations[p].size;
        spike_count[0] = spike_count[1] = 0;
        block_events = 0;
        any_drives = false;
        for (int p = 0; p < population_count; ++p) any_drives = any_drives || populations[p].drive_count > 0;
    }
    if (threadIdx.x < resident_most_populations) population_spikes[threadIdx.x] = 0;
    for (int p = 0; p < population_count; ++p) {
        const DevicePopulation& pop = populations[p];
        for (std::size_t b = threadIdx.x; b < pop.stride; b += blockDim.x) blobs[p][b] = pop.params[copy * pop.stride + b];
        if (threadIdx.x == 0) drive_count[p] = pop.drive_count;
    }
    __syncthreads();
    const std::uint32_t n = first[population_count];
    auto* spikes = reinterpret_cast<std::uint32_t*>(ring + static_cast<std::size_t>(slots) * channels * n);
    const auto population_of = [&](std::uint32_t g) {
        int p = 0;
        while (g >= first[p + 1]) ++p;
        return p;
    };
    // Every ring cell of the copy on the chip, with its place in global memory.
    const auto for_ring_cells = [&](auto&& visit) {
        for (std::uint32_t g = threadIdx.x; g < n; g += blockDim.x) {
            const int p = population_of(g);
            const DevicePopulation& pop = populations[p];
            const std::uint32_t i = g - first[p];
            for (int slot = 0; slot < slots; ++slot)
                for (int c = 0; c < channels; ++c)
                    visit(ring[(static_cast<std::size_t>(slot) * channels + c) * n + g],
                          pop.ring[((static_cast<std::size_t>(copy) * slots + slot) * channels + c) * pop.size + i]);
        }
    };
    // The copy's ring and state in.
    for_ring_cells([](long long& on_chip, const long long& global) { on_chip = global; });
    double state[K][variables];
    std::int32_t refrac[K];
#pragma unroll
    for (int k = 0; k < K; ++k) {
        const std::uint32_t g = threadIdx.x + k * resident_threads;
        refrac[k] = 0;
        for (int v = 0; v < variables; ++v) state[k][v] = 0.0;
        if (g < n) {
            const int p = population_of(g);
            const DevicePopulation& pop = populations[p];
            const std::uint32_t i = g - first[p];
            for (int v = 0; v < variables; ++v) state[k][v] = pop.state[(static_cast<std::size_t>(v) * batch + copy) * pop.size + i];
            refrac[k] = pop.refrac[static_cast<std::size_t>(copy) * pop.size + i];
        }
    }
    // Each neuron's population and index in it, packed (population << 16 | index), or ~0u past the end.
    std::uint32_t where[K];
#pragma unroll
    for (int k = 0; k < K; ++k) {
        const std::uint32_t g = threadIdx.x + k * resident_threads;
        where[k] = g < n ? static_cast<std::uint32_t>(population_of(g)) << 16 | (g - first[population_of(g)]) : ~0u;
    }
    __syncthreads();
    const unsigned lane = threadIdx.x & 31u, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    unsigned long long warp_events = 0;
    for (int s = 0; s < steps; ++s) {
        const long long step = t0 + s;
        const int slot = static_cast<int>(step % slots);
        if (threadIdx.x == 0) spike_count[(s + 1) & 1] = 0;  // step s - 1's delivery is done with it
#pragma unroll
        for (int k = 0; k < K; ++k) {
            if (where[k] == ~0u) continue;
            const std::uint32_t g = threadIdx.x + k * resident_threads;
            const auto p = static_cast<int>(where[k] >> 16);
            const std::uint32_t i = where[k] & 0xFFFFu;
            double input[2] = {0.0, 0.0};
            for (int c = 0; c < channels; ++c) {
                long long& cell = ring[(static_cast<std::size_t>(slot) * channels + c) * n + g];
                input[c] = static_cast<double>(cell) * fixed_unit;
                cell = 0;
            }
            for (int d = 0; any_drives && d < drive_count[p]; ++d) {
                const DeviceDrive& drive = populations[p].drives[d];
                if (step < drive.start_step || step >= drive.stop_step) continue;
                const std::uint32_t word = philox_word(drive.keys[copy], i / 4, static_cast<std::uint32_t>(step), static_cast<int>(i % 4));
                input[drive.channel] += static_cast<double>(drive.weight) * count_above(word, drive.thresholds, drive.threshold_count);
            }
            const auto& params = *reinterpret_cast<const typename M::Params*>(blobs[p]);
            const auto& propagators = *reinterpret_cast<const typename M::Propagators*>(blobs[p] + sizeof(typename M::Params));
            if (M::step(params, propagators, registers_state<M>(state[k], &refrac[k]), 0, input[0], input[1])) {
                spikes[atomicAdd(&spike_count[s & 1], 1u)] = g;
                atomicAdd(&population_spikes[p], 1u);
                record(records, t0, step, static_cast<std::uint32_t>(p), copy, i);
            }
        }
        __syncthreads();
        // Each spike gets a group of warps striding along its rows (warps / spikes of them, at
        // least one), so a step's few spikes keep every warp busy instead of a few while the
        // rest wait at the barrier.
        const std::uint32_t fired = spike_count[s & 1];
        const WarpGroups groups(warp, warps, fired);
        for (std::size_t e = groups.first; e < fired && groups.first < groups.groups; e += groups.groups) {
            const std::uint32_t g = spikes[e];
            const int p = population_of(g);
            const std::uint32_t pre = g - first[p];
            for (std::uint32_t q = outgoing_start[p]; q < outgoing_start[p + 1]; ++q) {
                const DeviceProjection& proj = projections[outgoing[q]];
                const std::uint64_t begin = proj.row_start[pre], end = proj.row_start[pre + 1];
                if (groups.member == 0) warp_events += end - begin;
                long long* base = ring + static_cast<std::size_t>(proj.channel) * n + first[proj.post];
                for (std::uint64_t syn = begin + groups.member * 32 + lane; syn < end; syn += groups.group * 32)
                    atomicAdd(reinterpret_cast<unsigned long long*>(base + static_cast<std::size_t>(slot_after(slot, proj.delay[syn], slots)) * channels * n +
                                                                    proj.target[syn]),
                              static_cast<unsigned long long>(to_fixed(proj.weight[syn])));
            }
        }
        __syncthreads();
    }
    // State, ring and counts out.
#pragma unroll
    for (int k = 0; k < K; ++k) {
        const std::uint32_t g = threadIdx.x + k * resident_threads;
        if (g >= n) continue;
        const int p = population_of(g);
        const DevicePopulation& pop = populations[p];
        const std::uint32_t i = g - first[p];
        for (int v = 0; v < variables; ++v) pop.state[(static_cast<std::size_t>(v) * batch + copy) * pop.size + i] = state[k][v];
        pop.refrac[static_cast<std::size_t>(copy) * pop.size + i] = refrac[k];
    }
    for_ring_cells([](const long long& on_chip, long long& global) { global = on_chip; });
    if (lane == 0 && warp_events) atomicAdd(&block_events, warp_events);
    __syncthreads();
    if (threadIdx.x < population_count && population_spikes[threadIdx.x])
        atomicAdd(populations[threadIdx.x].copy_spikes + copy, static_cast<unsigned long long>(population_spikes[threadIdx.x]));
    if (threadIdx.x == 0 && block_events) atomicAdd(events, block_events);
}

// The resident kernel's dynamic shared memory for `plan`: the ring, then one step's spikes.
std::size_t resident_shared_bytes(const NetworkPlan& plan) {
    std::size_t n = 0;
    for (const PopulationPlan& pop : plan.populations) n += pop.size;
    const std::size_t channels = plan.populations.empty() ? 0 : static_cast<std::size_t>(plan.populations.front().channels);
    return static_cast<std::size_t>(plan.slots) * channels * n * sizeof(long long) + n * sizeof(std::uint32_t);
}

// Dynamic shared memory a block of the resident kernel may have on the current device.
std::size_t resident_shared_limit() {
    int device = 0, optin = 0;
    MYELIN_CUDA(cudaGetDevice(&device));
    MYELIN_CUDA(cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
    return static_cast<std::size_t>(optin) - 8192;  // less the kernel's static shared memory (4.3 kB)
}

// Neurons per thread of the resident kernel for `plan` (1, 2, 4 or 8), or 0 with the reason in `why`.
int resident_fit(const NetworkPlan& plan, std::string& why) {
    const auto& populations = plan.populations;
    if (populations.empty() || populations.size() > static_cast<std::size_t>(resident_most_populations)) {
        why = "it runs 1 to 16 populations";
        return 0;
    }
    for (const ProjectionPlan& pj : plan.projections)
        if (pj.stdp) {
            why = "plastic projections run on the interval kernels";
            return 0;
        }
    std::size_t n = 0;
    for (const PopulationPlan& pop : populations) {
        const bool neuron = pop.kind == Kind::curr_exp || pop.kind == Kind::cond_exp || pop.kind == Kind::curr_delta;
        if (!neuron || pop.kind != populations.front().kind || pop.params_bytes + pop.propagators_bytes > resident_blob_bytes) {
            why = "every population must have the same neuron model (IF_curr_exp, IF_cond_exp or IF_curr_delta; no sources)";
            return 0;
        }
        n += pop.size;
    }
    if (n > 8 * static_cast<std::size_t>(resident_threads)) {
        why = "a copy may have at most 8,192 neurons (this one has " + std::to_string(n) + ")";
        return 0;
    }
    if (resident_shared_bytes(plan) > resident_shared_limit()) {
        why = "its input ring needs " + std::to_string(resident_shared_bytes(plan)) + " bytes of shared memory, more than the " +
              std::to_string(resident_shared_limit()) + " a block may have (fewer neurons or shorter delays)";
        return 0;
    }
    for (const int k : {1, 2, 4})
        if (n <= static_cast<std::size_t>(k) * resident_threads) return k;
    return 8;
}

}  // namespace
}  // namespace myelin::sim::cuda
