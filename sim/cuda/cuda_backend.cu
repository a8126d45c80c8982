// The GPU backend's kernels and step loop (cuda_backend.hpp). One thread per (copy, neuron)
// runs the model's own step (models/*.hpp, MYELIN_HOST_DEVICE); one warp per spike walks its
// synapse row and adds the weight, in fixed point, to the post neuron's ring slot for
// step + delay. K steps are captured once as a CUDA graph and relaunched, so launch cost is
// paid once per chunk, not per kernel; the step number lives on the device.
#include "sim/cuda/cuda_backend.hpp"

#include "models/lif_cond_exp.hpp"
#include "models/lif_curr_delta.hpp"
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
constexpr double fixed_one = 4294967296.0;  // 2^32
constexpr double fixed_unit = 1.0 / fixed_one;

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
    const unsigned char* params;        // per copy: Params, Propagators
    std::size_t params_bytes, stride;
    double* state;                      // [variable][copy][neuron]
    std::int32_t* refrac;               // [copy][neuron]
    long long* ring;                    // [copy][slot][channel][neuron], fixed point
    const DeviceDrive* drives;
    int drive_count;
    const std::uint64_t* array_offsets; // spike_array: per step
    const std::uint32_t* array_neurons;
    const std::uint32_t* source_thresholds;
    int source_threshold_count;
    const RandomKey* source_keys;
    long long source_start, source_stop;
    std::uint32_t* spikes;              // this step's spikes: copy * size + neuron
    std::uint32_t* spike_count;
    unsigned long long* copy_spikes;    // spikes of the run, per copy
    std::uint32_t spike_capacity;
};

struct DeviceProjection {
    const std::uint64_t* row_start;
    const std::uint32_t* target;
    const float* weight;
    const std::uint16_t* delay;
    std::uint32_t pre_size, post_size;
    int channel, post_channels;
    long long* ring;  // the post population's
};

// Spikes of a chunk for the host: (step in chunk << 8 | population, copy, neuron).
struct SpikeRecords {
    bool enabled;  // false: spikes are only counted
    uint3* data;
    std::uint32_t* count;
    std::uint32_t capacity;
    std::uint32_t* overflow;  // set when a buffer was too small
};

struct Clock {
    long long* step;        // the step being run
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

__device__ void emit(const DevicePopulation& pop, const SpikeRecords& records, const Clock& clock, long long step,
                     std::uint32_t copy, std::uint32_t neuron) {
    const std::uint32_t k = atomicAdd(pop.spike_count, 1u);
    if (k < pop.spike_capacity) pop.spikes[k] = copy * pop.size + neuron;
    else atomicExch(records.overflow, 1u);
    atomicAdd(pop.copy_spikes + copy, 1ull);
    if (!records.enabled) return;
    const std::uint32_t r = atomicAdd(records.count, 1u);
    if (r < records.capacity)
        records.data[r] = make_uint3(static_cast<std::uint32_t>(step - *clock.chunk_first) << 8 | pop.index, copy, neuron);
    else atomicExch(records.overflow, 1u);
}

// The model's State for one copy: spans over that copy's slice of each column.
template <class M>
__device__ typename M::State state_of(const DevicePopulation& pop, std::uint32_t copy, std::uint32_t batch) {
    const auto column = [&](int v) {
        return std::span<double>(pop.state + (static_cast<std::size_t>(v) * batch + copy) * pop.size, pop.size);
    };
    typename M::State s;
    s.v = column(0);
    if constexpr (std::is_same_v<M, models::LifCurrExp>) {
        s.i_exc = column(1);
        s.i_inh = column(2);
    } else if constexpr (std::is_same_v<M, models::LifCondExp>) {
        s.g_exc = column(1);
        s.g_inh = column(2);
    }
    s.refrac_left = std::span<std::int32_t>(pop.refrac + static_cast<std::size_t>(copy) * pop.size, pop.size);
    return s;
}

template <class M>
__global__ void update_neurons(DevicePopulation pop, std::uint32_t batch, Clock clock, SpikeRecords records) {
    const std::size_t id = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (id >= static_cast<std::size_t>(batch) * pop.size) return;
    const auto copy = static_cast<std::uint32_t>(id / pop.size), i = static_cast<std::uint32_t>(id % pop.size);
    const long long step = *clock.step;
    double input[2] = {0.0, 0.0};
    const int slot = static_cast<int>(step % clock.slots);
    for (int c = 0; c < pop.channels; ++c) {
        long long* cell = pop.ring + ((static_cast<std::size_t>(copy) * clock.slots + slot) * pop.channels + c) * pop.size + i;
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
    const unsigned char* blob = pop.params + copy * pop.stride;
    const auto& params = *reinterpret_cast<const typename M::Params*>(blob);
    const auto& propagators = *reinterpret_cast<const typename M::Propagators*>(blob + pop.params_bytes);
    if (M::step(params, propagators, state_of<M>(pop, copy, batch), i, input[0], input[1]))
        emit(pop, records, clock, step, copy, i);
}

__global__ void emit_spike_array(DevicePopulation pop, std::uint32_t batch, Clock clock, SpikeRecords records) {
    const long long step = *clock.step;
    if (step >= clock.steps) return;
    const std::uint64_t first = pop.array_offsets[step], count = pop.array_offsets[step + 1] - first;
    const std::size_t id = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (count == 0 || id >= batch * count) return;
    emit(pop, records, clock, step, static_cast<std::uint32_t>(id / count), pop.array_neurons[first + id % count]);
}

// SpikeSourcePoisson: neuron i draws the first word of Philox(key, i, step, 0), as RandomStream.
__global__ void emit_poisson_source(DevicePopulation pop, std::uint32_t batch, Clock clock, SpikeRecords records) {
    const long long step = *clock.step;
    if (step < pop.source_start || step >= pop.source_stop) return;
    const std::size_t id = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (id >= static_cast<std::size_t>(batch) * pop.size) return;
    const auto copy = static_cast<std::uint32_t>(id / pop.size), i = static_cast<std::uint32_t>(id % pop.size);
    const std::uint32_t word = philox_word(pop.source_keys[copy], i, static_cast<std::uint32_t>(step), 0);
    for (std::uint32_t n = count_above(word, pop.source_thresholds, pop.source_threshold_count); n > 0; --n)
        emit(pop, records, clock, step, copy, i);
}

// One warp per spike, its lanes over the synapse row. Determinism: integer atomics commute.
__global__ void deliver(DeviceProjection proj, const std::uint32_t* spikes, const std::uint32_t* spike_count,
                        std::uint32_t spike_capacity, Clock clock, unsigned long long* events) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x) >> 5;
    const std::size_t warps = (static_cast<std::size_t>(gridDim.x) * blockDim.x) >> 5;
    const std::uint32_t n = min(*spike_count, spike_capacity);
    const long long step = *clock.step;
    for (std::size_t e = warp; e < n; e += warps) {
        const std::uint32_t entry = spikes[e];
        const std::uint32_t copy = entry / proj.pre_size, pre = entry % proj.pre_size;
        const std::uint64_t begin = proj.row_start[pre], end = proj.row_start[pre + 1];
        if (lane == 0) atomicAdd(events, static_cast<unsigned long long>(end - begin));
        long long* ring = proj.ring + static_cast<std::size_t>(copy) * clock.slots * proj.post_channels * proj.post_size;
        for (std::uint64_t s = begin + lane; s < end; s += 32) {
            const int slot = static_cast<int>((step + proj.delay[s]) % clock.slots);
            const long long value = __double2ll_rn(static_cast<double>(proj.weight[s]) * fixed_one);
            atomicAdd(reinterpret_cast<unsigned long long*>(ring + (static_cast<std::size_t>(slot) * proj.post_channels + proj.channel) * proj.post_size + proj.target[s]),
                      static_cast<unsigned long long>(value));
        }
    }
}

__global__ void begin_chunk(Clock clock) { *clock.chunk_first = *clock.step; }

__global__ void end_step(Clock clock, std::uint32_t* const* counts, int populations) {
    for (int p = 0; p < populations; ++p) *counts[p] = 0;
    ++*clock.step;
}

unsigned blocks_for(std::size_t threads, unsigned block) { return static_cast<unsigned>((threads + block - 1) / block); }

class Runner {
public:
    Runner(const NetworkPlan& plan) : plan_(plan) {
        int device = 0;
        MYELIN_CUDA(cudaGetDevice(&device));
        cudaDeviceProp properties{};
        MYELIN_CUDA(cudaGetDeviceProperties(&properties, device));
        stats_.device = properties.name;
        deliver_blocks_ = static_cast<unsigned>(properties.multiProcessorCount) * 8;
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

    RunStats run(int chunk_steps, const std::function<void(std::span<const SpikeEvent>)>& sink) {
        records_.enabled = static_cast<bool>(sink);
        const auto started = std::chrono::steady_clock::now();
        const long long total = plan_.steps;
        long long done = 0;
        // The first chunk runs kernel by kernel with events between the phases: where a step's
        // time goes. The rest run as one graph per chunk.
        const long long profiled = std::min<long long>(total, chunk_steps);
        if (profiled > 0) {
            profile(profiled);
            collect(done, profiled, sink);
            done += profiled;
        }
        if (done < total) capture(chunk_steps);
        while (done < total) {
            const long long n = std::min<long long>(chunk_steps, total - done);
            if (n == chunk_steps) MYELIN_CUDA(cudaGraphLaunch(graph_exec_, stream_));
            else launch_steps(n, nullptr, nullptr);  // the last, shorter chunk
            collect(done, n, sink);
            done += n;
        }
        MYELIN_CUDA(cudaMemcpy(&stats_.events, events_, sizeof(unsigned long long), cudaMemcpyDeviceToHost));
        for (const DevicePopulation& pop : populations_) {
            std::vector<unsigned long long> counts(plan_.batch);
            MYELIN_CUDA(cudaMemcpy(counts.data(), pop.copy_spikes, counts.size() * sizeof(unsigned long long), cudaMemcpyDeviceToHost));
            stats_.spike_counts.insert(stats_.spike_counts.end(), counts.begin(), counts.end());
            for (const auto n : counts) stats_.spikes += n;
        }
        stats_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        stats_.device_bytes = memory_.bytes();
        stats_.copy_bandwidth = measure_copy_bandwidth();
        return stats_;
    }

private:
    void upload() {
        const std::uint32_t batch = plan_.batch;
        clock_ = {memory_.zeros<long long>(1), memory_.zeros<long long>(1), plan_.steps, plan_.slots};
        events_ = memory_.zeros<unsigned long long>(1);
        std::size_t capacity = 1u << 24;  // spikes per chunk: 192 MiB of records
        records_ = {true, memory_.zeros<uint3>(capacity), memory_.zeros<std::uint32_t>(1), static_cast<std::uint32_t>(capacity),
                    memory_.zeros<std::uint32_t>(1)};
        std::vector<std::uint32_t*> counts;
        for (std::size_t p = 0; p < plan_.populations.size(); ++p) {
            const PopulationPlan& pp = plan_.populations[p];
            DevicePopulation d{};
            d.kind = pp.kind;
            d.size = pp.size;
            d.channels = pp.channels;
            d.variables = pp.variables;
            d.index = static_cast<std::uint32_t>(p);
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
            d.source_thresholds = memory_.copy(pp.source_thresholds);
            d.source_threshold_count = static_cast<int>(pp.source_thresholds.size());
            d.source_keys = memory_.copy(pp.source_keys);
            d.source_start = pp.source_start;
            d.source_stop = pp.source_stop;
            // A neuron spikes at most once a step; a source may emit several (up to ~30 at the
            // table's mean limit of 10 per step, beyond which the plan refuses).
            std::size_t per_neuron = pp.kind == Kind::poisson_source ? 32 : 1;
            if (pp.kind == Kind::spike_array) {
                per_neuron = 0;
                for (std::size_t s = 0; s + 1 < pp.array_offsets.size(); ++s)
                    array_most_ = std::max<std::size_t>(array_most_, pp.array_offsets[s + 1] - pp.array_offsets[s]);
                d.spike_capacity = static_cast<std::uint32_t>(std::max<std::size_t>(1, batch * array_most_));
            } else {
                d.spike_capacity = static_cast<std::uint32_t>(batch * pp.size * per_neuron);
            }
            d.spikes = memory_.zeros<std::uint32_t>(d.spike_capacity);
            d.spike_count = memory_.zeros<std::uint32_t>(1);
            d.copy_spikes = memory_.zeros<unsigned long long>(batch);
            counts.push_back(d.spike_count);
            populations_.push_back(d);
        }
        counts_ = memory_.copy(counts);
        for (const ProjectionPlan& pj : plan_.projections) {
            const DevicePopulation& post = populations_[pj.post];
            projections_.push_back({memory_.copy(pj.row_start), memory_.copy(pj.target), memory_.copy(pj.weight),
                                    memory_.copy(pj.delay), plan_.populations[pj.pre].size, post.size, pj.channel,
                                    post.channels, post.ring});
            projection_pre_.push_back(pj.pre);
        }
    }

    // One step's kernels on the stream; `after_update` (may be null) is recorded between the
    // updates and the deliveries, `after_deliver` at the end.
    void enqueue_step(cudaEvent_t after_update, cudaEvent_t after_deliver) {
        const std::uint32_t batch = plan_.batch;
        constexpr unsigned block = 256;
        for (const DevicePopulation& pop : populations_) {
            const std::size_t threads = static_cast<std::size_t>(batch) * pop.size;
            switch (pop.kind) {
                case Kind::curr_exp: update_neurons<models::LifCurrExp><<<blocks_for(threads, block), block, 0, stream_>>>(pop, batch, clock_, records_); break;
                case Kind::cond_exp: update_neurons<models::LifCondExp><<<blocks_for(threads, block), block, 0, stream_>>>(pop, batch, clock_, records_); break;
                case Kind::curr_delta: update_neurons<models::LifCurrDelta><<<blocks_for(threads, block), block, 0, stream_>>>(pop, batch, clock_, records_); break;
                case Kind::spike_array:
                    if (array_most_ > 0)
                        emit_spike_array<<<blocks_for(batch * array_most_, block), block, 0, stream_>>>(pop, batch, clock_, records_);
                    break;
                case Kind::poisson_source: emit_poisson_source<<<blocks_for(threads, block), block, 0, stream_>>>(pop, batch, clock_, records_); break;
            }
        }
        if (after_update) MYELIN_CUDA(cudaEventRecord(after_update, stream_));
        for (std::size_t j = 0; j < projections_.size(); ++j) {
            const DevicePopulation& pre = populations_[projection_pre_[j]];
            deliver<<<deliver_blocks_, block, 0, stream_>>>(projections_[j], pre.spikes, pre.spike_count, pre.spike_capacity, clock_, events_);
        }
        end_step<<<1, 1, 0, stream_>>>(clock_, counts_, static_cast<int>(populations_.size()));
        if (after_deliver) MYELIN_CUDA(cudaEventRecord(after_deliver, stream_));
    }

    void launch_steps(long long n, cudaEvent_t, cudaEvent_t) {
        begin_chunk<<<1, 1, 0, stream_>>>(clock_);
        for (long long k = 0; k < n; ++k) enqueue_step(nullptr, nullptr);
        MYELIN_CUDA(cudaGetLastError());
    }

    void profile(long long n) {
        cudaEvent_t start, updated, delivered;
        MYELIN_CUDA(cudaEventCreate(&start));
        MYELIN_CUDA(cudaEventCreate(&updated));
        MYELIN_CUDA(cudaEventCreate(&delivered));
        begin_chunk<<<1, 1, 0, stream_>>>(clock_);
        for (long long k = 0; k < n; ++k) {
            MYELIN_CUDA(cudaEventRecord(start, stream_));
            enqueue_step(updated, delivered);
            MYELIN_CUDA(cudaEventSynchronize(delivered));
            float update_ms = 0, deliver_ms = 0;
            MYELIN_CUDA(cudaEventElapsedTime(&update_ms, start, updated));
            MYELIN_CUDA(cudaEventElapsedTime(&deliver_ms, updated, delivered));
            stats_.update_seconds += update_ms / 1000.0;
            stats_.deliver_seconds += deliver_ms / 1000.0;
        }
        MYELIN_CUDA(cudaGetLastError());
        stats_.profiled_steps = n;
        cudaEventDestroy(start);
        cudaEventDestroy(updated);
        cudaEventDestroy(delivered);
    }

    void capture(int chunk_steps) {
        cudaGraph_t graph;
        MYELIN_CUDA(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
        begin_chunk<<<1, 1, 0, stream_>>>(clock_);
        for (int k = 0; k < chunk_steps; ++k) enqueue_step(nullptr, nullptr);
        MYELIN_CUDA(cudaStreamEndCapture(stream_, &graph));
        MYELIN_CUDA(cudaGraphInstantiate(&graph_exec_, graph, 0));
        cudaGraphDestroy(graph);
    }

    // Waits for the chunk, copies its spikes to the host, sorts them and hands them on.
    void collect(long long first_step, long long n, const std::function<void(std::span<const SpikeEvent>)>& sink) {
        std::uint32_t count = 0, overflow = 0;
        MYELIN_CUDA(cudaStreamSynchronize(stream_));
        MYELIN_CUDA(cudaGetLastError());
        MYELIN_CUDA(cudaMemcpy(&count, records_.count, sizeof count, cudaMemcpyDeviceToHost));
        MYELIN_CUDA(cudaMemcpy(&overflow, records_.overflow, sizeof overflow, cudaMemcpyDeviceToHost));
        if (overflow)
            throw Error("GPU spike buffer overflow: more than " + std::to_string(records_.capacity) + " spikes in " +
                        std::to_string(n) + " steps (use a shorter --gpu-chunk)");
        if (sink) {
            std::vector<uint3> raw(count);
            if (count) MYELIN_CUDA(cudaMemcpy(raw.data(), records_.data, count * sizeof(uint3), cudaMemcpyDeviceToHost));
            std::vector<SpikeEvent> events(count);
            for (std::uint32_t k = 0; k < count; ++k)
                events[k] = {first_step + (raw[k].x >> 8), raw[k].y, raw[k].x & 0xFFu, raw[k].z};
            std::sort(events.begin(), events.end());  // atomics filled the buffer in any order
            sink(events);
        }
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
    unsigned long long* events_ = nullptr;
    std::uint32_t* const* counts_ = nullptr;
    std::vector<DevicePopulation> populations_;
    std::vector<DeviceProjection> projections_;
    std::vector<std::uint32_t> projection_pre_;
    std::size_t array_most_ = 0;  // most spikes of one spike array in one step
    unsigned deliver_blocks_ = 1;
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

RunStats run(const NetworkPlan& plan, int chunk_steps, const std::function<void(std::span<const SpikeEvent>)>& sink) {
    if (chunk_steps < 1 || chunk_steps > (1 << 24)) throw Error("chunk_steps must be within [1, 2^24]");
    Runner runner(plan);
    return runner.run(chunk_steps, sink);
}

}  // namespace myelin::sim::cuda
