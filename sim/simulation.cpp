// The step loop (simulation.hpp).
#include "sim/simulation.hpp"

#include "sim/spin_barrier.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace myelin::sim {

Simulation::Simulation(Network& network)
    : network_(network), direct_by_post_(network.populations.size()), learning_by_post_(network.populations.size()),
      spike_counts_(network.populations.size(), 0), step_spikes_(network.populations.size()) {
    for (auto& buffer : spikes_)
        buffer.assign(network.populations.size(),
                      std::vector<std::vector<std::uint32_t>>(static_cast<std::size_t>(network.parts)));
    collecting_.resize(static_cast<std::size_t>(network.parts));
    for (auto& part : collecting_) part.by_population.resize(network.populations.size());
    for (std::size_t i = 0; i < network.projections.size(); ++i) {
        const Projection& projection = *network.projections[i];
        if (projection.direct()) direct_by_post_[projection.post()].push_back(i);
        else ring_projections_.push_back(i);
        if (projection.plastic()) learning_by_post_[projection.post()].push_back(i);
    }
}

Simulation::~Simulation() = default;

SpikeLists Simulation::spikes_of(int parity, std::size_t population) const {
    return SpikeLists(spikes_[parity][population]);
}

void Simulation::save(Snapshot& snapshot) const {
    snapshot.put("simulation/step", std::vector<std::int64_t>{step_});
    const int previous = static_cast<int>(step_ & 1) ^ 1;
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        const Population& population = *network_.populations[p];
        std::vector<std::uint32_t> spikes;  // the parts' lists joined: neuron order
        for (const auto& list : spikes_[previous][p]) spikes.insert(spikes.end(), list.begin(), list.end());
        snapshot.put("simulation/previous_spikes/" + population.name(), std::move(spikes));
        population.save(snapshot, "populations/" + population.name());
    }
    for (const auto& projection : network_.projections) projection->save(snapshot, "projections/" + projection->name());
}

void Simulation::restore(const Snapshot& snapshot) {
    const auto& step = snapshot.get<std::int64_t>("simulation/step", 1);
    if (step[0] < 0) throw Error("checkpoint entry \"simulation/step\" is negative");
    step_ = step[0];
    const int previous = static_cast<int>(step_ & 1) ^ 1;
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        Population& population = *network_.populations[p];
        const std::string name = "simulation/previous_spikes/" + population.name();
        const auto& spikes = snapshot.get<std::uint32_t>(name);
        for (const std::uint32_t neuron : spikes)
            if (neuron >= population.size()) throw Error("checkpoint entry \"" + name + "\" names a neuron outside the population");
        // All in the first part's list: consumers read the lists in order, so the neuron order
        // is what matters, not which part found a spike.
        auto& lists = spikes_[previous][p];
        for (auto& list : lists) list.clear();
        lists.front().assign(spikes.begin(), spikes.end());
        for (auto& list : spikes_[previous ^ 1][p]) list.clear();
        population.restore(snapshot, "populations/" + population.name());
    }
    for (auto& projection : network_.projections)
        projection->restore(snapshot, "projections/" + projection->name(), network_.populations[projection->pre()]->size());
}

void Simulation::begin_step(std::int64_t step) {
    const int previous = static_cast<int>(step & 1) ^ 1;
    for (auto& projection : network_.projections) projection->begin_step(step, spikes_of(previous, projection->pre()));
    const StepContext ctx{step, network_.dt};
    // Resets first, so a model's own snapshot (UltraDLIF) sees the trial's initial state.
    for (auto& population : network_.populations) {
        population->apply_periodic_reset(step);
        population->before_update(ctx);
    }
}

// Everything one thread does in one step, on the neurons it owns. Determinism: a thread writes
// only its own neurons' input rows, state and synapses, and reads other threads' data only
// from the previous step, so the result is the same for any number of parts.
void Simulation::run_part(int part, std::int64_t step) {
    const int current = static_cast<int>(step & 1), previous = current ^ 1;
    const auto deliver = [&](std::size_t j) {
        Projection& projection = *network_.projections[j];
        projection.deliver(part, step, spikes_of(previous, projection.pre()), *network_.populations[projection.post()]);
    };
    for (const std::size_t j : ring_projections_) deliver(j);
    const StepContext ctx{step, network_.dt};
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        const Partition& partition = network_.partitions[p];
        auto& spikes = collecting_[part].by_population[p];
        spikes.clear();
        network_.populations[p]->update(ctx, partition.begin(part), partition.end(part), spikes);
        for (const std::size_t j : direct_by_post_[p]) deliver(j);  // input joining after the update
        for (const std::size_t j : learning_by_post_[p]) network_.projections[j]->learn(part, step, spikes);
        spikes_[current][p][part].swap(spikes);  // the one write to the shared vectors
    }
}

bool Simulation::end_step(Recorder* recorder, const std::atomic<bool>* stop,
                          const std::function<void(std::int64_t)>& progress, std::int64_t progress_every) {
    const int current = static_cast<int>(step_ & 1);
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        step_spikes_[p] = spikes_of(current, p);
        for (const auto& list : step_spikes_[p]) spike_counts_[p] += list.size();
    }
    if (recorder) recorder->after_step(network_, step_, step_spikes_);
    ++step_;
    if (progress && step_ % progress_every == 0) progress(step_);
    return !(stop && stop->load(std::memory_order_relaxed));
}

RunResult Simulation::run(std::int64_t steps, Recorder* recorder, const std::atomic<bool>* stop,
                          const std::function<void(std::int64_t)>& progress, std::int64_t progress_every) {
    const auto started = std::chrono::steady_clock::now();
    RunResult result;
    if (recorder) recorder->begin(network_, step_);
    const std::int64_t last = step_ + steps;
    bool going = steps > 0;
    const int parts = network_.parts;
    // At most one thread per core: a part is a unit of work, not a thread, and a thread runs
    // parts m, m + members, ... (the result does not depend on which thread runs a part).
    const int members = std::min(parts, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    const auto run_parts = [&](int member) {
        for (int part = member; part < parts; part += members) run_part(part, step_);
    };
    if (members == 1) {
        while (going) {
            begin_step(step_);
            run_parts(0);
            going = end_step(recorder, stop, progress, progress_every) && step_ < last;
        }
    } else {
        // Member 0 (this thread) does the serial work between the barriers; the others wait.
        SpinBarrier barrier(members);
        std::exception_ptr failure;
        const auto member = [&](int index) {
            while (true) {
                if (index == 0) {
                    try {
                        if (going) begin_step(step_);
                    } catch (...) {
                        failure = std::current_exception();
                        going = false;
                    }
                }
                barrier.wait();  // going and the queued arrivals are visible to all
                if (!going) return;
                run_parts(index);
                barrier.wait();  // every part's spikes are complete
                if (index == 0) {
                    try {
                        going = end_step(recorder, stop, progress, progress_every) && step_ < last;
                    } catch (...) {
                        failure = std::current_exception();
                        going = false;
                    }
                }
            }
        };
        std::vector<std::thread> team;
        for (int index = 1; index < members; ++index) team.emplace_back(member, index);
        member(0);
        for (auto& thread : team) thread.join();
        if (failure) std::rethrow_exception(failure);
    }
    result.steps = steps - (last - step_);
    result.interrupted = step_ < last;
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace myelin::sim
