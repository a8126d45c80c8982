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

#include "sim/cuda/device_network.cuh"
#include "sim/cuda/interval_kernels.cuh"
#include "sim/cuda/resident_kernel.cuh"
#include "sim/cuda/stdp_kernels.cuh"

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

namespace myelin::sim::cuda {
namespace {

unsigned blocks_for(std::size_t threads, unsigned block) { return static_cast<unsigned>((threads + block - 1) / block); }

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

    RunStats run(int chunk_steps, const RecordingPlan& recording, const ChunkSink& sink, Kernel kernel) {
        records_.enabled = static_cast<bool>(sink);
        recording_ = &recording;
        const bool state = !recording.probes.empty();
        std::string why;
        const int k = resident_fit(plan_, why);
        if (kernel == Kernel::resident && k == 0) throw Error("the resident GPU kernel cannot run this network: " + why);
        if (kernel == Kernel::resident && state)
            throw Error("the resident GPU kernel does not record state variables (the interval kernels do: --gpu-kernel auto or interval)");
        // State is sampled by the interval kernels: `automatic` picks them when state is recorded.
        if (kernel != Kernel::interval && k > 0 && !state) return run_resident(k, chunk_steps, sink);
        stats_.kernel = "interval";
        const long long total = plan_.steps;
        // A chunk is a whole number of intervals, short enough for the state buffers.
        long long chunk = (chunk_steps + interval_ - 1) / interval_ * interval_;
        if (state) chunk = chunk_for_state(chunk, interval_, recording, plan_.batch);
        if (sink) attach_probes(chunk);
        // Only learned weights change: static ones need no chunk ending at their snapshots.
        RecordingPlan chunk_ends;
        if (!plastic_.empty()) chunk_ends.weight_intervals = recording.weight_intervals;
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
            // Chunks end at weight snapshot steps too (plastic networks run one-step intervals).
            const long long n = next_chunk_steps(done, total, chunk, chunk_ends);
            if (n == chunk) MYELIN_CUDA(cudaGraphLaunch(graph_exec_, stream_));
            else launch_steps(n);  // a shorter chunk: the last, or one ending at a snapshot
            collect(done, n, sink);
            done += n;
        }
        read_counts();
        stats_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        // Where an interval's time goes: after the timed run, a few more intervals one launch
        // at a time with events between the phases (their spikes are neither recorded nor counted
        // above, their state not sampled: the buffers are detached).
        records_.enabled = false;
        detach_probes();
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
    RunStats run_resident(int k, int chunk_steps, const ChunkSink& sink) {
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

    // Every plastic projection's weights as they are now on the device.
    std::vector<LearnedWeights> copy_weights() {
        std::vector<LearnedWeights> out;
        for (std::size_t k = 0; k < plastic_.size(); ++k) {
            const ProjectionPlan& pj = plan_.projections[plastic_[k]];
            LearnedWeights learned{plastic_[k], std::vector<float>(pj.weight.size() * plan_.batch)};
            MYELIN_CUDA(cudaMemcpy(learned.weights.data(), plastic_weights_[k], learned.weights.size() * sizeof(float), cudaMemcpyDeviceToHost));
            out.push_back(std::move(learned));
        }
        return out;
    }

    // Gives the sampled populations their buffers (for chunks of `chunk` steps) and uploads the
    // populations again; update_all then runs their sampling instantiation.
    void attach_probes(long long chunk) {
        for (const StateProbePlan& probe : recording_->probes) {
            DevicePopulation& pop = populations_[probe.population];
            std::vector<std::int32_t> column_of(pop.size, -1);
            for (std::size_t c = 0; c < probe.neurons.size(); ++c) column_of[probe.neurons[c]] = static_cast<std::int32_t>(c);
            DeviceStateProbe d{};
            d.column_of = memory_.copy(column_of);
            d.variable_count = static_cast<int>(probe.variables.size());
            for (std::size_t r = 0; r < probe.variables.size(); ++r) d.variable[r] = probe.variables[r];
            d.interval = probe.interval_steps;
            d.columns = static_cast<std::uint32_t>(probe.neurons.size());
            d.buffer = memory_.zeros<double>(probe_buffer_values(probe, chunk, plan_.batch));
            pop.probe = d;
            probe_buffers_.push_back(d.buffer);
        }
        if (!probe_buffers_.empty()) device_populations_ = memory_.copy(populations_);
    }
    void detach_probes() {
        if (probe_buffers_.empty()) return;
        for (DevicePopulation& pop : populations_) pop.probe = DeviceStateProbe{};
        device_populations_ = memory_.copy(populations_);
    }

    void read_counts() {
        stats_.learned = copy_weights();
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

    // Waits for the chunk, copies its spikes, state samples and (at snapshot steps) weights to the
    // host, sorts the spikes and hands them on.
    void collect(long long first_step, long long n, const ChunkSink& sink) {
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
        Chunk chunk{first_step, n, events, {}, {}};
        for (std::size_t q = 0; q < probe_buffers_.size(); ++q) {
            const StateProbePlan& probe = recording_->probes[q];
            const auto samples = static_cast<std::size_t>(samples_in_chunk(first_step, n, probe.interval_steps));
            chunk.state.emplace_back(samples * plan_.batch * probe.variables.size() * probe.neurons.size());
            if (!chunk.state.back().empty())
                MYELIN_CUDA(cudaMemcpy(chunk.state.back().data(), probe_buffers_[q], chunk.state.back().size() * sizeof(double),
                                       cudaMemcpyDeviceToHost));
        }
        if (weight_snapshot_after(first_step + n, plan_.steps, *recording_)) chunk.weights = copy_weights();
        sink(chunk);
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
    const RecordingPlan* recording_ = nullptr;
    std::vector<double*> probe_buffers_;              // per probe of *recording_, while attached
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

RunStats run(const NetworkPlan& plan, int chunk_steps, const RecordingPlan& recording, const ChunkSink& sink, Kernel kernel) {
    if (chunk_steps < 1 || chunk_steps > (1 << 23)) throw Error("chunk_steps must be within [1, 2^23]");
    Runner runner(plan);
    return runner.run(chunk_steps, recording, sink, kernel);
}

RunStats run(const NetworkPlan& plan, int chunk_steps, const std::function<void(std::span<const SpikeEvent>)>& sink, Kernel kernel) {
    const RecordingPlan spikes_only;
    ChunkSink chunk_sink;
    if (sink) chunk_sink = [&sink](const Chunk& chunk) { sink(chunk.spikes); };
    return run(plan, chunk_steps, spikes_only, chunk_sink, kernel);
}

}  // namespace myelin::sim::cuda
