// The step loop (simulation.hpp).
#include "sim/simulation.hpp"

#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <chrono>

namespace myelin::sim {

Simulation::Simulation(Network& network)
    : network_(network), arena_(std::make_unique<tbb::task_arena>(network.parts)),
      learning_by_post_(network.populations.size()), spike_counts_(network.populations.size(), 0) {
    for (auto& buffer : spikes_)
        buffer.assign(network.populations.size(),
                      std::vector<std::vector<std::uint32_t>>(static_cast<std::size_t>(network.parts)));
    for (std::size_t i = 0; i < network.projections.size(); ++i)
        if (network.projections[i]->plastic()) learning_by_post_[network.projections[i]->post()].push_back(i);
}

Simulation::~Simulation() = default;

SpikeLists Simulation::spikes_of(int parity, std::size_t population) const {
    return SpikeLists(spikes_[parity][population]);
}

// Everything one thread does in one step, on the neurons it owns. Determinism: a thread writes
// only its own neurons' input rows, state and synapses, and reads other threads' data only
// from the previous step, so the result is the same for any number of parts.
void Simulation::run_part(int part, std::int64_t step) {
    const int current = static_cast<int>(step & 1), previous = current ^ 1;
    for (auto& projection : network_.projections)
        projection->deliver(part, step, spikes_of(previous, projection->pre()),
                            *network_.populations[projection->post()]);
    const StepContext ctx{step, network_.dt};
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        const Partition& partition = network_.partitions[p];
        auto& spikes = spikes_[current][p][part];
        spikes.clear();
        network_.populations[p]->update(ctx, partition.begin(part), partition.end(part), spikes);
        for (const std::size_t j : learning_by_post_[p]) network_.projections[j]->learn(part, step, spikes);
    }
}

RunResult Simulation::run(std::int64_t steps, Recorder* recorder, const std::atomic<bool>* stop,
                          const std::function<void(std::int64_t)>& progress, std::int64_t progress_every) {
    const auto started = std::chrono::steady_clock::now();
    RunResult result;
    if (recorder) recorder->begin(network_, step_);
    std::vector<SpikeLists> step_spikes(network_.populations.size());
    const int parts = network_.parts;
    for (std::int64_t n = 0; n < steps; ++n) {
        const std::int64_t step = step_;
        const int current = static_cast<int>(step & 1), previous = current ^ 1;
        for (auto& projection : network_.projections)
            projection->begin_step(step, spikes_of(previous, projection->pre()));
        if (parts == 1) {
            run_part(0, step);  // no fork/join: it costs microseconds per step
        } else {
            arena_->execute([&] {
                tbb::parallel_for(0, parts, [&](int part) { run_part(part, step); }, tbb::static_partitioner());
            });
        }
        for (std::size_t p = 0; p < network_.populations.size(); ++p) {
            step_spikes[p] = spikes_of(current, p);
            for (const auto& list : step_spikes[p]) spike_counts_[p] += list.size();
        }
        if (recorder) recorder->after_step(network_, step, step_spikes);
        ++step_;
        ++result.steps;
        if (progress && step_ % progress_every == 0) progress(step_);
        if (stop && stop->load(std::memory_order_relaxed)) {
            result.interrupted = n + 1 < steps;
            break;
        }
    }
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace myelin::sim
