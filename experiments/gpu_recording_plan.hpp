// What a `myelin run --backend cuda` records besides spikes (docs/gpu.md, "Recording"): the
// config's state [[record]]s as device probes and its weight [[record]]s as snapshot intervals,
// sampled as the CPU's Hdf5Recording samples them. Shared by command_run_cuda.cpp and the tests.
#pragma once

#include "io/run_spec.hpp"
#include "sim/cuda/recording_plan.hpp"
#include "sim/network.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace myelin::cli {

// `shell` is copy 0's network (its populations in the plan's order). Throws Error where the GPU
// cannot record what is asked (sim/cuda/recording_plan.hpp says what).
inline sim::cuda::RecordingPlan gpu_recording_plan(const sim::cuda::NetworkPlan& plan, const io::RunSpec& run, sim::Network& shell) {
    sim::cuda::RecordingPlan recording;
    for (const io::StateRecordSpec& record : run.records) {
        if (record.variables.empty()) continue;
        const auto p = static_cast<std::uint32_t>(shell.population_index(record.population));
        std::vector<std::string> names;
        for (const auto& variable : shell.populations[p]->state()) names.emplace_back(variable.name);
        // Steps between samples and snapshots, rounded as Hdf5Recording rounds them.
        sim::cuda::add_state_probe(recording,
                                   sim::cuda::make_state_probe(plan, p, names, record.variables, record.neurons, record.all_neurons,
                                                               std::max<std::int64_t>(1, std::llround(record.interval / shell.dt))),
                                   record.population);
    }
    for (const io::WeightRecordSpec& record : run.weight_records)
        recording.weight_intervals.push_back(record.interval > 0.0 ? std::max<std::int64_t>(1, std::llround(record.interval / shell.dt)) : 0);
    return recording;
}

}  // namespace myelin::cli
