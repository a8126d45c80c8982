// Pair STDP on the GPU (docs/gpu.md), as the CPU's PlasticProjection runs it: `stdp_arrivals`
// before a step's updates, `stdp_learn` after them.
// Included by cuda_backend.cu only (one translation unit, hence the unnamed namespace).
#pragma once

#include "sim/cuda/device_network.cuh"

namespace myelin::sim::cuda {
namespace {

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

}  // namespace
}  // namespace myelin::sim::cuda
