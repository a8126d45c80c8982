// The GPU backend's kernels and step loop (cuda_backend.hpp, docs/gpu.md).
//
// Interval kernels (any network): steps run in intervals of D steps, D the shortest synaptic
// delay (NEST's min-delay communication interval): a spike emitted inside an interval reaches no
// neuron before the interval ends, so each (copy, neuron) thread runs D steps in a row with its
// state in registers, and the interval's spikes are delivered afterwards in one launch. Two
// kernels per interval, each covering every population or projection: `update_all` (one thread
// per copy and neuron, the model's own step from models/*.hpp, MYELIN_HOST_DEVICE) and
// `deliver_all` (a group of warps per spike along the synapse rows of every projection leaving
// the spike's population, adding the weight in fixed point to the post neuron's ring slot for its
// arrival step; its last block to finish advances the step counter, which lives on the device).
// Pair STDP adds `stdp_arrivals` before and `stdp_learn` after the updates (one-step intervals
// then). A chunk of intervals is captured once as a CUDA graph and relaunched, so launch cost is
// paid once per chunk, not per kernel.
//
// Resident kernel (small networks of one neuron model, batches): `resident_steps`, one block per
// copy for a whole chunk, state in registers and the ring in shared memory.

#include "sim/cuda/cuda_backend.hpp"

#include "models/lif_cond_exp.hpp"
#include "models/lif_curr_delta.hpp"
#include "learning/stdp.hpp"
#include "models/lif_curr_exp.hpp"
#include "sim/error.hpp"

#include <Random123/philox.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <memory>
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

struct DevicePopulation {
    Kind kind;
    std::uint32_t size;
    int channels, variables;
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

// `interval` steps of one (copy, neuron) from step t0 on.
template <class M>
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
    switch (pop.kind) {
        case Kind::curr_exp: update_neuron<models::LifCurrExp>(pop, batch, clock, list, records, interval, id, t0); break;
        case Kind::cond_exp: update_neuron<models::LifCondExp>(pop, batch, clock, list, records, interval, id, t0); break;
        case Kind::curr_delta: update_neuron<models::LifCurrDelta>(pop, batch, clock, list, records, interval, id, t0); break;
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


// LazyTraces::at and ::spike on the device: the same tables, the same arithmetic.
__device__ double trace_at(const TraceEntry& entry, long long now, const double* decay) {
    const auto n = static_cast<unsigned long long>(now - entry.step);
    const unsigned long long high = n / 1024;
    return entry.value * (high < 1024 ? decay[1024 + high] * decay[n % 1024] : 0.0);
}
__device__ void trace_spike(TraceEntry& entry, long long now, const double* decay, bool nearest) {
    entry = nearest ? TraceEntry{1.0, now} : TraceEntry{trace_at(entry, now, decay) + 1.0, now};
}

__device__ float stdp_on_pre(const DeviceStdp& r, float w, double post_trace) {
    switch (r.dependence) {
        case StdpPlan::Dependence::additive: return learning::StdpAdditive::on_pre(r.params, w, post_trace);
        case StdpPlan::Dependence::multiplicative: return learning::StdpMultiplicative::on_pre(r.params, w, post_trace);
        default: return learning::StdpSoftBound::on_pre(r.params, w, post_trace);
    }
}
__device__ float stdp_on_post(const DeviceStdp& r, float w, double pre_trace) {
    switch (r.dependence) {
        case StdpPlan::Dependence::additive: return learning::StdpAdditive::on_post(r.params, w, pre_trace);
        case StdpPlan::Dependence::multiplicative: return learning::StdpMultiplicative::on_post(r.params, w, pre_trace);
        default: return learning::StdpSoftBound::on_post(r.params, w, pre_trace);
    }
}

// Step k, before the updates: the plastic spikes arriving now (sent at k - delay). Each bumps
// its pre trace, and each synapse it reaches is depressed by the post trace and then adds its
// weight to this step's input (PlasticProjection::begin_step and deliver).
__global__ void stdp_arrivals(const DeviceProjection* projections, const std::uint32_t* plastic, int plastic_count,
                              SpikeHistory history, Clock clock, unsigned long long* events) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x) >> 5;
    const std::size_t warps = (static_cast<std::size_t>(gridDim.x) * blockDim.x) >> 5;
    const long long step = *clock.step;
    const int slot = static_cast<int>(step % clock.slots);
    unsigned long long warp_events = 0;
    for (int q = 0; q < plastic_count; ++q) {
        const DeviceProjection& proj = projections[plastic[q]];
        const DeviceStdp& r = proj.stdp;
        const long long sent = step - r.delay;
        if (sent < 0) continue;
        const int h = static_cast<int>(sent % history.slots);
        const uint2* entries = history.data + static_cast<std::size_t>(h) * history.capacity;
        const WarpGroups g(warp, warps, history.count[h]);
        for (std::size_t e = g.first; e < history.count[h] && g.first < g.groups; e += g.groups) {
            const uint2 entry = entries[e];
            if (((entry.y >> 8) & 0xFFu) != r.pre) continue;
            const std::uint32_t pre = entry.x, copy = entry.y >> 16;
            if (g.member == 0 && lane == 0) trace_spike(r.pre_trace[static_cast<std::size_t>(copy) * r.pre_size + pre], step, r.pre_decay, r.nearest);
            const std::uint64_t begin = proj.row_start[pre], end = proj.row_start[pre + 1];
            if (g.member == 0) warp_events += end - begin;
            float* weights = r.weights + copy * r.synapses;
            const TraceEntry* post_trace = r.post_trace + static_cast<std::size_t>(copy) * proj.post_size;
            long long* ring = proj.ring + ((static_cast<std::size_t>(copy) * clock.slots + slot) * proj.post_channels + proj.channel) * proj.post_size;
            for (std::uint64_t s = begin + g.member * 32 + lane; s < end; s += g.group * 32) {
                const std::uint32_t i = proj.target[s];
                const float w = stdp_on_pre(r, weights[s], trace_at(post_trace[i], step, r.post_decay));
                weights[s] = w;
                atomicAdd(reinterpret_cast<unsigned long long*>(ring + i), static_cast<unsigned long long>(to_fixed(w)));
            }
        }
    }
    if (lane == 0 && warp_events) atomicAdd(events, warp_events);
}

// Step k, after the updates: each post spike potentiates the synapses onto its neuron by their
// pre traces (which include this step's arrivals), then bumps its post trace
// (PlasticProjection::learn).
__global__ void stdp_learn(const DeviceProjection* projections, const std::uint32_t* plastic, int plastic_count, SpikeList list,
                           Clock clock) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x) >> 5;
    const std::size_t warps = (static_cast<std::size_t>(gridDim.x) * blockDim.x) >> 5;
    const long long step = *clock.step;
    const std::uint32_t n = *list.count;
    const WarpGroups g(warp, warps, n);
    for (std::size_t e = g.first; e < n && g.first < g.groups; e += g.groups) {
        const uint2 entry = list.data[e];
        const std::uint32_t i = entry.x, copy = entry.y >> 16, population = (entry.y >> 8) & 0xFFu;
        for (int q = 0; q < plastic_count; ++q) {
            const DeviceProjection& proj = projections[plastic[q]];
            const DeviceStdp& r = proj.stdp;
            if (proj.post != population) continue;
            float* weights = r.weights + copy * r.synapses;
            const TraceEntry* pre_trace = r.pre_trace + static_cast<std::size_t>(copy) * r.pre_size;
            for (std::uint64_t k = r.in_start[i] + g.member * 32 + lane; k < r.in_start[i + 1]; k += g.group * 32) {
                const std::uint64_t s = r.in_synapse[k];
                weights[s] = stdp_on_post(r, weights[s], trace_at(pre_trace[r.in_pre[k]], step, r.pre_decay));
            }
            if (g.member == 0 && lane == 0) trace_spike(r.post_trace[static_cast<std::size_t>(copy) * proj.post_size + i], step, r.post_decay, r.nearest);
        }
    }
}

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

__global__ void begin_chunk(Clock clock) { *clock.chunk_first = *clock.step; }

unsigned blocks_for(std::size_t threads, unsigned block) { return static_cast<unsigned>((threads + block - 1) / block); }

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

class Runner {
public:
    Runner(const NetworkPlan& plan) : plan_(plan) {
        int device = 0;
        MYELIN_CUDA(cudaGetDevice(&device));
        cudaDeviceProp properties{};
        MYELIN_CUDA(cudaGetDeviceProperties(&properties, device));
        stats_.device = properties.name;
        deliver_blocks_ = static_cast<unsigned>(properties.multiProcessorCount) * 4;  // half the threads an SM holds
        if (plan_.batch > 65535) throw Error("the GPU backend runs at most 65,535 copies at once");
        if (plan_.populations.size() > 255) throw Error("the GPU backend runs at most 255 populations");
        MYELIN_CUDA(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
        const auto started = std::chrono::steady_clock::now();
        upload();
        MYELIN_CUDA(cudaDeviceSynchronize());
        stats_.upload_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    ~Runner() {
        if (graph_exec_) cudaGraphExecDestroy(graph_exec_);
        cudaStreamDestroy(stream_);
    }

    RunStats run(int chunk_steps, const std::function<void(std::span<const SpikeEvent>)>& sink, Kernel kernel) {
        records_.enabled = static_cast<bool>(sink);
        std::string why;
        const int k = resident_fit(plan_, why);
        if (kernel == Kernel::resident && k == 0) throw Error("the resident GPU kernel cannot run this network: " + why);
        if (kernel != Kernel::interval && k > 0) return run_resident(k, chunk_steps, sink);
        stats_.kernel = "interval";
        const long long total = plan_.steps;
        // A chunk is a whole number of intervals.
        const long long chunk = (chunk_steps + interval_ - 1) / interval_ * interval_;
        stats_.interval_steps = interval_;
        stats_.chunk_steps = chunk;
        // The graph is instantiated before the clock starts, like the upload: set-up, not stepping.
        const auto setup_started = std::chrono::steady_clock::now();
        if (total >= chunk) capture(chunk);
        MYELIN_CUDA(cudaDeviceSynchronize());
        stats_.upload_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_started).count();
        const auto started = std::chrono::steady_clock::now();
        long long done = 0;
        while (done < total) {
            const long long n = std::min(chunk, total - done);
            if (n == chunk) MYELIN_CUDA(cudaGraphLaunch(graph_exec_, stream_));
            else launch_steps(n);  // the last, shorter chunk
            collect(done, n, sink);
            done += n;
        }
        read_counts();
        stats_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        // Where an interval's time goes: after the timed run, a few more intervals one launch
        // at a time with events between the phases (their spikes are neither recorded nor counted above).
        records_.enabled = false;
        profile(std::max<long long>(1, std::min<long long>(200, total) / interval_));
        stats_.device_bytes = memory_.bytes();
        stats_.copy_bandwidth = measure_copy_bandwidth();
        return stats_;
    }

private:
    template <class M, int K>
    void launch_resident(long long t0, int steps) {
        const auto kernel = resident_steps<M, K>;
        const auto shared = static_cast<int>(resident_shared_bytes(plan_));
        MYELIN_CUDA(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, shared));
        kernel<<<plan_.batch, resident_threads, shared, stream_>>>(device_populations_, static_cast<int>(populations_.size()),
                                                                   device_projections_, outgoing_start_, outgoing_, plan_.batch,
                                                                   plan_.slots, t0, steps, records_, events_);
        MYELIN_CUDA(cudaGetLastError());
    }
    template <class M>
    void launch_resident(int k, long long t0, int steps) {
        switch (k) {
            case 1: launch_resident<M, 1>(t0, steps); break;
            case 2: launch_resident<M, 2>(t0, steps); break;
            case 4: launch_resident<M, 4>(t0, steps); break;
            default: launch_resident<M, 8>(t0, steps); break;
        }
    }
    void launch_resident(int k, long long t0, int steps) {
        switch (populations_.front().kind) {
            case Kind::curr_exp: launch_resident<models::LifCurrExp>(k, t0, steps); break;
            case Kind::cond_exp: launch_resident<models::LifCondExp>(k, t0, steps); break;
            default: launch_resident<models::LifCurrDelta>(k, t0, steps); break;
        }
    }

    // One launch per chunk; the step count is an argument, so no graph is needed.
    RunStats run_resident(int k, int chunk_steps, const std::function<void(std::span<const SpikeEvent>)>& sink) {
        stats_.kernel = "resident";
        stats_.chunk_steps = chunk_steps;
        stats_.interval_steps = 1;
        const long long total = plan_.steps;
        const auto started = std::chrono::steady_clock::now();
        for (long long done = 0; done < total;) {
            const auto n = static_cast<int>(std::min<long long>(chunk_steps, total - done));
            launch_resident(k, done, n);
            collect(done, n, sink);
            done += n;
        }
        MYELIN_CUDA(cudaDeviceSynchronize());
        read_counts();
        stats_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        stats_.device_bytes = memory_.bytes();
        stats_.copy_bandwidth = measure_copy_bandwidth();
        return stats_;
    }

    void read_counts() {
        for (std::size_t k = 0; k < plastic_.size(); ++k) {
            const ProjectionPlan& pj = plan_.projections[plastic_[k]];
            LearnedWeights learned{plastic_[k], std::vector<float>(pj.weight.size() * plan_.batch)};
            MYELIN_CUDA(cudaMemcpy(learned.weights.data(), plastic_weights_[k], learned.weights.size() * sizeof(float), cudaMemcpyDeviceToHost));
            stats_.learned.push_back(std::move(learned));
        }
        MYELIN_CUDA(cudaMemcpy(&stats_.events, events_, sizeof(unsigned long long), cudaMemcpyDeviceToHost));
        for (const DevicePopulation& pop : populations_) {
            std::vector<unsigned long long> counts(plan_.batch);
            MYELIN_CUDA(cudaMemcpy(counts.data(), pop.copy_spikes, counts.size() * sizeof(unsigned long long), cudaMemcpyDeviceToHost));
            stats_.spike_counts.insert(stats_.spike_counts.end(), counts.begin(), counts.end());
            for (const auto n : counts) stats_.spikes += n;
        }
    }

    void upload() {
        const std::uint32_t batch = plan_.batch;
        // The interval: the shortest delay (every delay is at least one step).
        long long shortest = 255;
        for (const ProjectionPlan& pj : plan_.projections)
            for (const std::uint16_t d : pj.delay) shortest = std::min<long long>(shortest, d);
        interval_ = static_cast<int>(std::max<long long>(1, shortest));
        // Plastic synapses learn from the post spikes of every step before their next arrival.
        for (const ProjectionPlan& pj : plan_.projections)
            if (pj.stdp) interval_ = 1;
        clock_ = {memory_.zeros<long long>(1), memory_.zeros<long long>(1), plan_.steps, plan_.slots};
        events_ = memory_.zeros<unsigned long long>(1);
        blocks_done_ = memory_.zeros<std::uint32_t>(1);
        std::size_t capacity = 1u << 24;  // spikes per chunk: 192 MiB of records
        records_ = {true, memory_.zeros<uint3>(capacity), memory_.zeros<std::uint32_t>(1), static_cast<std::uint32_t>(capacity),
                    memory_.zeros<std::uint32_t>(1)};
        std::size_t list_capacity = 0;
        std::uint32_t blocks = 0;
        for (std::size_t p = 0; p < plan_.populations.size(); ++p) {
            const PopulationPlan& pp = plan_.populations[p];
            DevicePopulation d{};
            d.kind = pp.kind;
            d.size = pp.size;
            d.channels = pp.channels;
            d.variables = pp.variables;
            d.index = static_cast<std::uint32_t>(p);
            d.first_block = blocks;
            d.params = memory_.copy(pp.params);
            d.params_bytes = pp.params_bytes;
            d.stride = pp.params_bytes + pp.propagators_bytes;
            d.state = memory_.copy(pp.state);
            d.refrac = memory_.zeros<std::int32_t>(static_cast<std::size_t>(batch) * pp.size);
            d.ring = pp.channels > 0 ? memory_.zeros<long long>(static_cast<std::size_t>(batch) * plan_.slots * pp.channels * pp.size) : nullptr;
            std::vector<DeviceDrive> drives;
            for (const DrivePlan& drive : pp.drives)
                drives.push_back({drive.channel, drive.weight, drive.start_step, drive.stop_step, memory_.copy(drive.thresholds),
                                  static_cast<int>(drive.thresholds.size()), memory_.copy(drive.keys)});
            d.drives = memory_.copy(drives);
            d.drive_count = static_cast<int>(drives.size());
            d.array_offsets = memory_.copy(pp.array_offsets);
            d.array_neurons = memory_.copy(pp.array_neurons);
            for (std::size_t s = 0; s + 1 < pp.array_offsets.size(); ++s)
                d.array_most = std::max<std::uint32_t>(d.array_most, static_cast<std::uint32_t>(pp.array_offsets[s + 1] - pp.array_offsets[s]));
            d.source_thresholds = memory_.copy(pp.source_thresholds);
            d.source_threshold_count = static_cast<int>(pp.source_thresholds.size());
            d.source_keys = memory_.copy(pp.source_keys);
            d.source_start = pp.source_start;
            d.source_stop = pp.source_stop;
            d.copy_spikes = memory_.zeros<unsigned long long>(batch);
            // Threads and the most spikes an interval can bring: a neuron fires at most once a
            // step, a Poisson source at most once per entry of its table, an array as listed.
            std::size_t threads = static_cast<std::size_t>(batch) * pp.size, per_step = threads;
            if (pp.kind == Kind::spike_array) threads = per_step = static_cast<std::size_t>(batch) * d.array_most;
            if (pp.kind == Kind::poisson_source) per_step = threads * pp.source_thresholds.size();
            list_capacity += per_step * static_cast<std::size_t>(interval_);
            blocks += std::max(1u, blocks_for(threads, block_size));
            populations_.push_back(d);
        }
        update_blocks_ = blocks;
        if (list_capacity > 0xFFFFFFFFu) throw Error("the GPU backend holds at most 2^32 spikes per interval (fewer copies)");
        list_ = {memory_.zeros<uint2>(list_capacity), memory_.zeros<std::uint32_t>(1), static_cast<std::uint32_t>(list_capacity)};
        int longest_plastic = 0;
        for (const ProjectionPlan& pj : plan_.projections)
            if (pj.stdp && !pj.delay.empty()) longest_plastic = std::max<int>(longest_plastic, pj.delay.front());
        if (longest_plastic > 0) {
            const int slots = longest_plastic + 1;
            history_ = {memory_.zeros<uint2>(list_capacity * slots), memory_.zeros<std::uint32_t>(slots), list_.capacity, slots};
        }
        device_populations_ = memory_.copy(populations_);
        // Projections grouped by their pre population, for deliver_all.
        std::vector<DeviceProjection> projections;
        std::vector<std::uint32_t> outgoing_start(plan_.populations.size() + 1, 0), outgoing;
        for (const ProjectionPlan& pj : plan_.projections) {
            const DevicePopulation& post = populations_[pj.post];
            DeviceProjection d{memory_.copy(pj.row_start), memory_.copy(pj.target), memory_.copy(pj.weight),
                               memory_.copy(pj.delay), pj.post, post.size, pj.channel, post.channels, post.ring, false, {}};
            if (pj.stdp) {
                const StdpPlan& r = *pj.stdp;
                const std::uint32_t pre_size = plan_.populations[pj.pre].size;
                std::vector<float> weights;  // every copy starts from the built weights
                weights.reserve(pj.weight.size() * plan_.batch);
                for (std::uint32_t b = 0; b < plan_.batch; ++b) weights.insert(weights.end(), pj.weight.begin(), pj.weight.end());
                d.plastic = true;
                d.stdp = {r.dependence, r.nearest, r.params, memory_.copy(r.pre_decay), memory_.copy(r.post_decay), memory_.copy(weights),
                          memory_.zeros<TraceEntry>(static_cast<std::size_t>(plan_.batch) * pre_size),
                          memory_.zeros<TraceEntry>(static_cast<std::size_t>(plan_.batch) * post.size), memory_.copy(r.in_start),
                          memory_.copy(r.in_synapse), memory_.copy(r.in_pre), pj.pre, pre_size, pj.weight.size(),
                          pj.delay.empty() ? 1 : static_cast<int>(pj.delay.front())};
                plastic_.push_back(static_cast<std::uint32_t>(projections.size()));
            }
            projections.push_back(d);
            ++outgoing_start[pj.pre + 1];
        }
        for (std::size_t p = 1; p < outgoing_start.size(); ++p) outgoing_start[p] += outgoing_start[p - 1];
        outgoing.resize(plan_.projections.size());
        std::vector<std::uint32_t> fill(outgoing_start.begin(), outgoing_start.end() - 1);
        for (std::size_t j = 0; j < plan_.projections.size(); ++j) outgoing[fill[plan_.projections[j].pre]++] = static_cast<std::uint32_t>(j);
        device_projections_ = memory_.copy(projections);
        device_plastic_ = memory_.copy(plastic_);
        for (const DeviceProjection& d : projections)
            if (d.plastic) plastic_weights_.push_back(d.stdp.weights);
        outgoing_start_ = memory_.copy(outgoing_start);
        outgoing_ = memory_.copy(outgoing);
    }

    // One interval of `steps` (<= interval_) steps; `after_update` (may be null) is recorded
    // between the two kernels, `after_deliver` at the end.
    void enqueue_interval(int steps, cudaEvent_t after_update, cudaEvent_t after_deliver) {
        const auto plastic = static_cast<int>(plastic_.size());
        if (plastic > 0)
            stdp_arrivals<<<deliver_blocks_, block_size, 0, stream_>>>(device_projections_, device_plastic_, plastic, history_, clock_, events_);
        update_all<<<update_blocks_, block_size, 0, stream_>>>(device_populations_, static_cast<int>(populations_.size()), plan_.batch,
                                                               clock_, list_, records_, steps);
        if (after_update) MYELIN_CUDA(cudaEventRecord(after_update, stream_));
        if (plastic > 0) stdp_learn<<<deliver_blocks_, block_size, 0, stream_>>>(device_projections_, device_plastic_, plastic, list_, clock_);
        deliver_all<<<deliver_blocks_, block_size, 0, stream_>>>(device_projections_, outgoing_start_, outgoing_, list_, history_, clock_,
                                                                 events_, blocks_done_, steps);
        if (after_deliver) MYELIN_CUDA(cudaEventRecord(after_deliver, stream_));
    }

    void launch_steps(long long n) {
        begin_chunk<<<1, 1, 0, stream_>>>(clock_);
        for (long long done = 0; done < n; done += interval_) enqueue_interval(static_cast<int>(std::min<long long>(interval_, n - done)), nullptr, nullptr);
        MYELIN_CUDA(cudaGetLastError());
    }

    void profile(long long intervals) {
        cudaEvent_t start, updated, delivered;
        MYELIN_CUDA(cudaEventCreate(&start));
        MYELIN_CUDA(cudaEventCreate(&updated));
        MYELIN_CUDA(cudaEventCreate(&delivered));
        begin_chunk<<<1, 1, 0, stream_>>>(clock_);
        for (long long k = 0; k < intervals; ++k) {
            MYELIN_CUDA(cudaEventRecord(start, stream_));
            enqueue_interval(interval_, updated, delivered);
            MYELIN_CUDA(cudaEventSynchronize(delivered));
            float update_ms = 0, deliver_ms = 0;
            MYELIN_CUDA(cudaEventElapsedTime(&update_ms, start, updated));
            MYELIN_CUDA(cudaEventElapsedTime(&deliver_ms, updated, delivered));
            stats_.update_seconds += update_ms / 1000.0;
            stats_.deliver_seconds += deliver_ms / 1000.0;
        }
        MYELIN_CUDA(cudaGetLastError());
        stats_.profiled_steps = intervals * interval_;
        cudaEventDestroy(start);
        cudaEventDestroy(updated);
        cudaEventDestroy(delivered);
    }

    void capture(long long chunk) {
        cudaGraph_t graph;
        MYELIN_CUDA(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
        begin_chunk<<<1, 1, 0, stream_>>>(clock_);
        for (long long done = 0; done < chunk; done += interval_) enqueue_interval(interval_, nullptr, nullptr);
        MYELIN_CUDA(cudaStreamEndCapture(stream_, &graph));
        MYELIN_CUDA(cudaGraphInstantiate(&graph_exec_, graph, 0));
        cudaGraphDestroy(graph);
    }

    // Waits for the chunk, copies its spikes to the host, sorts them and hands them on.
    void collect(long long first_step, long long n, const std::function<void(std::span<const SpikeEvent>)>& sink) {
        std::uint32_t count = 0, overflow = 0;
        MYELIN_CUDA(cudaStreamSynchronize(stream_));
        MYELIN_CUDA(cudaGetLastError());
        if (!sink) return;
        MYELIN_CUDA(cudaMemcpy(&count, records_.count, sizeof count, cudaMemcpyDeviceToHost));
        MYELIN_CUDA(cudaMemcpy(&overflow, records_.overflow, sizeof overflow, cudaMemcpyDeviceToHost));
        if (overflow)
            throw Error("GPU spike buffer overflow: more than " + std::to_string(records_.capacity) + " spikes in " +
                        std::to_string(n) + " steps (use a shorter --gpu-chunk)");
        std::vector<uint3> raw(count);
        if (count) MYELIN_CUDA(cudaMemcpy(raw.data(), records_.data, count * sizeof(uint3), cudaMemcpyDeviceToHost));
        std::vector<SpikeEvent> events(count);
        for (std::uint32_t k = 0; k < count; ++k)
            events[k] = {first_step + (raw[k].x >> 8), raw[k].y, raw[k].x & 0xFFu, raw[k].z};
        std::sort(events.begin(), events.end());  // atomics filled the buffer in any order
        sink(events);
        MYELIN_CUDA(cudaMemset(records_.count, 0, sizeof(std::uint32_t)));
    }

    double measure_copy_bandwidth() {
        const std::size_t bytes = std::size_t{1} << 30;
        void *a = nullptr, *b = nullptr;
        if (cudaMalloc(&a, bytes) != cudaSuccess) return 0.0;
        if (cudaMalloc(&b, bytes) != cudaSuccess) {
            cudaFree(a);
            return 0.0;
        }
        cudaEvent_t start, stop;
        cudaEventCreate(&start);
        cudaEventCreate(&stop);
        cudaMemcpyAsync(b, a, bytes, cudaMemcpyDeviceToDevice, stream_);  // warm-up
        cudaEventRecord(start, stream_);
        for (int k = 0; k < 5; ++k) cudaMemcpyAsync(b, a, bytes, cudaMemcpyDeviceToDevice, stream_);
        cudaEventRecord(stop, stream_);
        cudaEventSynchronize(stop);
        float ms = 0;
        cudaEventElapsedTime(&ms, start, stop);
        cudaEventDestroy(start);
        cudaEventDestroy(stop);
        cudaFree(a);
        cudaFree(b);
        return ms > 0 ? 2.0 * 5 * static_cast<double>(bytes) / (ms / 1000.0) : 0.0;  // read + write
    }

    const NetworkPlan& plan_;
    DeviceMemory memory_;
    cudaStream_t stream_ = nullptr;
    cudaGraphExec_t graph_exec_ = nullptr;
    Clock clock_{};
    SpikeRecords records_{};
    SpikeList list_{};
    SpikeHistory history_{nullptr, nullptr, 0, 0};
    std::vector<std::uint32_t> plastic_;              // indices of the plastic projections
    const std::uint32_t* device_plastic_ = nullptr;
    std::vector<float*> plastic_weights_;             // their weights on the device, [copy][synapse]
    unsigned long long* events_ = nullptr;
    std::uint32_t* blocks_done_ = nullptr;
    std::vector<DevicePopulation> populations_;
    const DevicePopulation* device_populations_ = nullptr;
    const DeviceProjection* device_projections_ = nullptr;
    const std::uint32_t* outgoing_start_ = nullptr;  // per population, into outgoing_
    const std::uint32_t* outgoing_ = nullptr;        // projection indices grouped by pre population
    int interval_ = 1;
    unsigned update_blocks_ = 1, deliver_blocks_ = 1;
    RunStats stats_;
};

}  // namespace

std::string unavailable_reason() {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess)
        return std::string("no usable CUDA GPU (cudaGetDeviceCount: ") + cudaGetErrorString(status) + ", error " +
               std::to_string(static_cast<int>(status)) + ")";
    if (count == 0) return "no CUDA GPU on this machine";
    return "";
}

std::string resident_unsuitable(const NetworkPlan& plan) {
    std::string why;
    resident_fit(plan, why);
    return why;
}

RunStats run(const NetworkPlan& plan, int chunk_steps, const std::function<void(std::span<const SpikeEvent>)>& sink, Kernel kernel) {
    if (chunk_steps < 1 || chunk_steps > (1 << 23)) throw Error("chunk_steps must be within [1, 2^23]");
    Runner runner(plan);
    return runner.run(chunk_steps, sink, kernel);
}

}  // namespace myelin::sim::cuda
