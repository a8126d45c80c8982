// What the GPU backend's kernels share: the network's arrays on the device (populations,
// projections with their STDP state, spike lists, the clock), device memory, fixed-point input
// and the small device functions every kernel uses.
// Included by cuda_backend.cu only (one translation unit, hence the unnamed namespace).
#pragma once

#include "learning/stdp.hpp"
#include "models/lif_cond_exp.hpp"
#include "models/lif_curr_delta.hpp"
#include "models/lif_curr_exp.hpp"
#include "sim/cuda/network_plan.hpp"
#include "sim/cuda/recording_plan.hpp"
#include "sim/error.hpp"

#include <Random123/philox.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace myelin::sim::cuda {
namespace {

// Determinism: input is summed as integers (atomicAdd on int64 is exact and commutative).
// Resolution 2^-32 of the weight unit (2.3e-10 nA, uS or mV); a float weight of magnitude
// >= 2^-8 is represented exactly, and sums stay exact below 2^31 units.
constexpr double fixed_unit = 1.0 / 4294967296.0;  // 2^-32
constexpr unsigned full_warp = 0xFFFFFFFFu;

// A weight in fixed point. Scaling a float by 2^32 is exact, so rounding the float product gives
// the integer the double product would, with no double arithmetic per synapse.
__device__ long long to_fixed(float weight) { return __float2ll_rn(weight * 4294967296.0f); }

// The ring slot `delay` steps after the slot `from` (both below `slots`; delay < slots).
__device__ int slot_after(int from, int delay, int slots) {
    const int slot = from + delay;
    return slot >= slots ? slot - slots : slot;
}
constexpr unsigned block_size = 256;  // a multiple of 32: warps never straddle populations

void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess) throw Error(std::string("CUDA: ") + what + ": " + cudaGetErrorString(status));
}
#define MYELIN_CUDA(call) check((call), #call)

// Device allocations of one run, freed together.
class DeviceMemory {
public:
    ~DeviceMemory() {
        for (void* p : blocks_) cudaFree(p);
    }
    template <class T>
    T* zeros(std::size_t n) {
        void* p = nullptr;
        MYELIN_CUDA(cudaMalloc(&p, std::max<std::size_t>(n, 1) * sizeof(T)));
        blocks_.push_back(p);
        bytes_ += static_cast<double>(std::max<std::size_t>(n, 1) * sizeof(T));
        MYELIN_CUDA(cudaMemset(p, 0, std::max<std::size_t>(n, 1) * sizeof(T)));
        return static_cast<T*>(p);
    }
    template <class T>
    T* copy(const std::vector<T>& host) {
        T* p = zeros<T>(host.size());
        if (!host.empty()) MYELIN_CUDA(cudaMemcpy(p, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice));
        return p;
    }
    double bytes() const { return bytes_; }

private:
    std::vector<void*> blocks_;
    double bytes_ = 0.0;
};

struct DeviceDrive {
    int channel;
    float weight;
    long long start_step, stop_step;
    const std::uint32_t* thresholds;
    int threshold_count;
    const RandomKey* keys;  // per copy
};

// A population's state sampled for the recording (recording_plan.hpp): the interval kernels write
// the recorded variables of neuron i to column column_of[i] (-1: not sampled) of the chunk's
// buffer after each step s with sampled_after(s, interval). buffer null: nothing is sampled.
struct DeviceStateProbe {
    const std::int32_t* column_of;  // [neuron]
    int variable_count;
    int variable[3];                // into the model's variables
    long long interval;             // steps
    std::uint32_t columns;
    double* buffer;                 // [sample][copy][variable][column] (sample_offset)
};

struct DevicePopulation {
    Kind kind;
    std::uint32_t size;
    int channels;
    std::uint32_t index;                // in the plan, for spike records
    std::uint32_t first_block;          // of this population in update_all's grid
    const unsigned char* params;        // per copy: Params, Propagators
    std::size_t params_bytes, stride;
    double* state;                      // [variable][copy][neuron]
    std::int32_t* refrac;               // [copy][neuron]
    long long* ring;                    // [copy][slot][channel][neuron], fixed point
    const DeviceDrive* drives;
    int drive_count;
    const std::uint64_t* array_offsets; // spike_array: per step
    const std::uint32_t* array_neurons;
    std::uint32_t array_most;           // spike_array: most spikes in one step
    const std::uint32_t* source_thresholds;
    int source_threshold_count;
    const RandomKey* source_keys;
    long long source_start, source_stop;
    unsigned long long* copy_spikes;    // spikes of the run, per copy
    DeviceStateProbe probe;             // state recording (buffer null: none)
};

// A trace of pair STDP as the CPU's LazyTraces keeps it: value after the last spike, and its step.
struct TraceEntry {
    double value;
    long long step;
};

// Pair STDP of one projection (StdpPlan): weights and traces per copy.
struct DeviceStdp {
    StdpPlan::Dependence dependence;
    bool nearest;
    learning::StdpSoftBoundParams params;
    const double* pre_decay;   // DecayTable: fine[1024] then coarse[1024]
    const double* post_decay;
    float* weights;            // [copy][synapse]
    TraceEntry* pre_trace;     // [copy][pre neuron]
    TraceEntry* post_trace;    // [copy][post neuron]
    const std::uint64_t* in_start;
    const std::uint64_t* in_synapse;
    const std::uint32_t* in_pre;
    std::uint32_t pre, pre_size;  // the pre population and its size
    std::uint64_t synapses;
    int delay;                 // steps, the same for every synapse
};

struct DeviceProjection {
    const std::uint64_t* row_start;
    const std::uint32_t* target;
    const float* weight;
    const std::uint16_t* delay;
    std::uint32_t post, post_size;
    int channel, post_channels;
    long long* ring;  // the post population's
    bool plastic;     // then `stdp` holds its weights, and spikes reach it through the history
    DeviceStdp stdp;
};

// The spike lists of the last `slots` steps (plastic projections read their arrivals there:
// a plastic spike is handled when it arrives, as the CPU's PlasticProjection does).
struct SpikeHistory {
    uint2* data;             // [slot][capacity]
    std::uint32_t* count;    // [slot]
    std::uint32_t capacity;
    int slots;               // 0: no plastic projections
};

// The spikes of one interval, every population: x the neuron, y copy << 16 | population << 8 |
// step within the interval (hence at most 65,535 copies, 255 populations, 255-step intervals).
struct SpikeList {
    uint2* data;
    std::uint32_t* count;
    std::uint32_t capacity;  // the most an interval can emit, so it never overflows
};

// Spikes of a chunk for the host: (step in chunk << 8 | population, copy, neuron).
struct SpikeRecords {
    bool enabled;  // false: spikes are only counted
    uint3* data;
    std::uint32_t* count;
    std::uint32_t capacity;
    std::uint32_t* overflow;  // set when the buffer was too small
};

struct Clock {
    long long* step;        // the first step of the interval being run
    long long* chunk_first; // first step of the current chunk
    long long steps;        // of the whole run
    int slots;
};

__device__ std::uint32_t philox_word(const RandomKey& key, std::uint32_t a, std::uint32_t b, int word) {
    r123::Philox4x32 generator;
    const r123::Philox4x32::ctr_type counter = {{a, b, 0u, key.stream}};
    const r123::Philox4x32::key_type k = {{static_cast<std::uint32_t>(key.seed), static_cast<std::uint32_t>(key.seed >> 32)}};
    return generator(counter, k)[word];
}

__device__ std::uint32_t count_above(std::uint32_t word, const std::uint32_t* thresholds, int n) {
    std::uint32_t count = 0;
    for (int k = 0; k < n; ++k) count += word >= thresholds[k];
    return count;
}

__device__ void record(const SpikeRecords& records, long long chunk_first, long long step, std::uint32_t population,
                       std::uint32_t copy, std::uint32_t neuron) {
    if (!records.enabled) return;
    const std::uint32_t r = atomicAdd(records.count, 1u);
    if (r < records.capacity)
        records.data[r] = make_uint3(static_cast<std::uint32_t>(step - chunk_first) << 8 | population, copy, neuron);
    else atomicExch(records.overflow, 1u);
}

// Appends the warp's spikes with one atomic per warp. Every lane of the warp must call it.
__device__ void append(const SpikeList& list, bool fired, uint2 entry) {
    const unsigned ballot = __ballot_sync(full_warp, fired);
    if (ballot == 0) return;
    const unsigned lane = threadIdx.x & 31u;
    const int leader = __ffs(ballot) - 1;
    unsigned base = 0;
    if (static_cast<int>(lane) == leader) base = atomicAdd(list.count, static_cast<unsigned>(__popc(ballot)));
    base = __shfl_sync(full_warp, base, leader);
    if (fired) list.data[base + __popc(ballot & ((1u << lane) - 1u))] = entry;
}

__device__ uint2 spike_entry(std::uint32_t neuron, std::uint32_t copy, std::uint32_t population, int k) {
    return make_uint2(neuron, copy << 16 | population << 8 | static_cast<std::uint32_t>(k));
}

// Warps per item when `items` share the grid's warps (at least one), and this warp's place: a few
// items (spikes) still spread over every warp.
struct WarpGroups {
    std::size_t group, groups, member, first;
    __device__ WarpGroups(std::size_t warp, std::size_t warps, std::uint32_t items)
        : group(max(std::size_t{1}, warps / max(items, 1u))), groups(warps / group), member(warp % group), first(warp / group) {}
};

// The model's State over one neuron's registers: spans of one element, index 0. Once the step
// is inlined the compiler keeps these in registers for the whole interval.
template <class M>
__device__ typename M::State registers_state(double* variables, std::int32_t* refrac) {
    typename M::State s;
    s.v = std::span<double>(variables, 1);
    if constexpr (std::is_same_v<M, models::LifCurrExp>) {
        s.i_exc = std::span<double>(variables + 1, 1);
        s.i_inh = std::span<double>(variables + 2, 1);
    } else if constexpr (std::is_same_v<M, models::LifCondExp>) {
        s.g_exc = std::span<double>(variables + 1, 1);
        s.g_inh = std::span<double>(variables + 2, 1);
    }
    s.refrac_left = std::span<std::int32_t>(refrac, 1);
    return s;
}

}  // namespace
}  // namespace myelin::sim::cuda
