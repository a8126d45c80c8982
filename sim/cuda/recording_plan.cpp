// Host side of the GPU recording (recording_plan.hpp).
#include "sim/cuda/recording_plan.hpp"

#include "sim/error.hpp"

#include <algorithm>

namespace myelin::sim::cuda {

std::size_t probe_buffer_values(const StateProbePlan& probe, std::int64_t chunk_steps, std::uint32_t batch) {
    return static_cast<std::size_t>(sample_capacity(chunk_steps, probe.interval_steps)) * batch * probe.variables.size() *
           probe.neurons.size();
}

StateProbePlan make_state_probe(const NetworkPlan& plan, std::uint32_t population, std::span<const std::string> names,
                                std::span<const std::string> variables, std::span<const std::uint32_t> neurons, bool all_neurons,
                                std::int64_t interval_steps) {
    const PopulationPlan& pop = plan.populations.at(population);
    if (pop.kind == Kind::spike_array || pop.kind == Kind::poisson_source || pop.variables == 0)
        throw Error("population \"" + pop.name + "\" is a spike source: it has no state to record");
    StateProbePlan probe;
    probe.population = population;
    probe.interval_steps = std::max<std::int64_t>(1, interval_steps);
    for (const std::string& name : variables) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end() || it - names.begin() >= pop.variables)
            throw Error("population \"" + pop.name + "\": state variable \"" + name + "\" is not recorded on the GPU backend");
        probe.variables.push_back(static_cast<int>(it - names.begin()));
    }
    if (probe.variables.size() > 3) throw Error("population \"" + pop.name + "\": at most 3 state variables are recorded on the GPU");
    if (all_neurons) {
        probe.neurons.resize(pop.size);
        for (std::uint32_t i = 0; i < pop.size; ++i) probe.neurons[i] = i;
    } else {
        for (const std::uint32_t i : neurons)
            if (i >= pop.size)
                throw Error("population \"" + pop.name + "\": neuron " + std::to_string(i) + " is outside the population (" +
                            std::to_string(pop.size) + " neurons)");
        probe.neurons.assign(neurons.begin(), neurons.end());
        std::vector<std::uint32_t> sorted = probe.neurons;
        std::sort(sorted.begin(), sorted.end());
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
            throw Error("population \"" + pop.name + "\": a neuron is listed twice in [[record]] neurons (the GPU samples each once)");
    }
    return probe;
}

void add_state_probe(RecordingPlan& recording, StateProbePlan probe, const std::string& population_name) {
    for (const StateProbePlan& other : recording.probes)
        if (other.population == probe.population)
            throw Error("population \"" + population_name + "\": the GPU backend records one [[record]] of state per population");
    recording.probes.push_back(std::move(probe));
}

std::int64_t chunk_for_state(std::int64_t chunk_steps, int interval, const RecordingPlan& recording, std::uint32_t batch, std::size_t limit) {
    const auto bytes = [&](std::int64_t chunk) {
        std::size_t total = 0;
        for (const StateProbePlan& probe : recording.probes) total += probe_buffer_values(probe, chunk, batch) * sizeof(double);
        return total;
    };
    std::int64_t chunk = std::max<std::int64_t>(interval, (chunk_steps + interval - 1) / interval * interval);
    while (bytes(chunk) > limit && chunk > interval) chunk = std::max<std::int64_t>(interval, chunk / 2 / interval * interval);
    if (bytes(chunk) > limit)
        throw Error("state recording needs " + std::to_string(bytes(chunk)) + " bytes on the GPU for one interval of " + std::to_string(interval) +
                    " steps, more than the " + std::to_string(limit) + " allowed (record fewer neurons, variables or copies)");
    return chunk;
}

std::int64_t next_chunk_steps(std::int64_t done, std::int64_t total, std::int64_t chunk, const RecordingPlan& recording) {
    std::int64_t n = std::min(chunk, total - done);
    for (const std::int64_t w : recording.weight_intervals)
        if (w > 0) n = std::min(n, (done / w + 1) * w - done);
    return n;
}

bool weight_snapshot_after(std::int64_t step_done, std::int64_t total, const RecordingPlan& recording) {
    if (!recording.weights()) return false;
    if (step_done == total) return true;
    for (const std::int64_t w : recording.weight_intervals)
        if (w > 0 && step_done % w == 0) return true;
    return false;
}

}  // namespace myelin::sim::cuda
