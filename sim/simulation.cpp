// The step loop (simulation.hpp).
#include "sim/simulation.hpp"

#include "sim/spin_barrier.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace myelin::sim {
namespace {
// A chunk of a step pair or block keeps its state in L1 (48 KiB on this project's machines)
// for all its steps; half of it, to leave room for the synapse rows and the spike lists.
constexpr std::size_t chunk_bytes = 24 * 1024;
// The longest step block (networks without projections could take any).
constexpr std::int64_t max_block_steps = 32;
}  // namespace

Simulation::Simulation(Network& network, int max_team)
    : network_(network), max_team_(max_team), direct_by_post_(network.populations.size()), learning_by_post_(network.populations.size()),
      spike_counts_(network.populations.size(), 0), step_spikes_(network.populations.size()),
      pair_chunk_(network.populations.size()), spikes_ahead_(network.populations.size()),
      block_chunk_(network.populations.size()) {
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
    // Step blocks: as long as the shortest delay of the ring projections, if every projection
    // may deliver late and every population may run ahead.
    block_length_ = max_block_steps;
    for (const auto& projection : network.projections) block_length_ = std::min(block_length_, projection->block_delay());
    for (const auto& population : network.populations)
        if (!population->may_run_ahead()) block_length_ = 1;
    block_length_ = std::max<std::int64_t>(block_length_, 1);
    const auto chunk_of = [](std::size_t bytes_per_neuron, std::size_t size) {
        return bytes_per_neuron == 0 ? std::max<std::size_t>(size, 1)
                                     : std::max<std::size_t>(16, chunk_bytes / bytes_per_neuron / 16 * 16);
    };
    for (std::size_t p = 0; p < network.populations.size(); ++p) {
        const Population& population = *network.populations[p];
        const std::size_t bytes_per_neuron = population.size() ? population.state_bytes() / population.size() : 0;
        pair_chunk_[p] = chunk_of(bytes_per_neuron, population.size());
        // A block's chunk also reads one input row per channel and step.
        const std::size_t row_bytes = population.reads_input_ring()
                                          ? static_cast<std::size_t>(std::max(population.channels(), 1)) *
                                                sizeof(float) * static_cast<std::size_t>(block_length_)
                                          : 0;
        block_chunk_[p] = chunk_of(bytes_per_neuron + row_bytes, population.size());
    }
    if (block_length_ > 1) {
        block_spikes_.assign(static_cast<std::size_t>(block_length_),
                             std::vector<std::vector<std::vector<std::uint32_t>>>(
                                 network.populations.size(), std::vector<std::vector<std::uint32_t>>(
                                                                 static_cast<std::size_t>(network.parts))));
        for (auto& part : collecting_)
            part.by_block_step.assign(static_cast<std::size_t>(block_length_),
                                      std::vector<std::vector<std::uint32_t>>(network.populations.size()));
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

void Simulation::deliver(std::size_t projection_index, int part, std::int64_t step, const SpikesByPopulation& previous) {
    Projection& projection = *network_.projections[projection_index];
    projection.deliver(part, step, SpikeLists(previous[projection.pre()]), *network_.populations[projection.post()]);
}

// Everything one thread does in one step, on the neurons it owns. Determinism: a thread writes
// only its own neurons' input rows, state and synapses, and reads other threads' data only
// from the previous step, so the result is the same for any number of parts.
void Simulation::run_part(int part, std::int64_t step) {
    const int current = static_cast<int>(step & 1), previous = current ^ 1;
    for (const std::size_t j : ring_projections_) deliver(j, part, step, spikes_[previous]);
    const StepContext ctx{step, network_.dt};
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        const Partition& partition = network_.partitions[p];
        auto& spikes = collecting_[part].by_population[p];
        spikes.clear();
        network_.populations[p]->update(ctx, partition.begin(part), partition.end(part), spikes);
        // Input joining after the update.
        for (const std::size_t j : direct_by_post_[p]) deliver(j, part, step, spikes_[previous]);
        for (const std::size_t j : learning_by_post_[p]) network_.projections[j]->learn(part, step, spikes);
        spikes_[current][p][part].swap(spikes);  // the one write to the shared vectors
    }
}

// Step pairs: with one thread, every projection direct (input joins after the update) and no
// population acting as a whole between steps, a spike of step t reaches a neuron's state only
// after the update of step t + 1. So each chunk of neurons (a multiple of 16, its state about
// half of L1) is updated through step t, receives step t's arriving spikes and is updated
// through step t + 1 while its state is still in L1, instead of streaming the whole population
// through L2 twice; then the spikes of step t are delivered to all. Each neuron sees the same
// operations in the same order as in two single steps: the results are identical.
bool Simulation::runs_step_pairs(const Recorder* recorder) const {
    if (network_.parts != 1 || !ring_projections_.empty() || (recorder && recorder->reads_network())) return false;
    for (const auto& population : network_.populations)
        if (!population->may_run_ahead() || population->reads_input_ring()) return false;
    for (const auto& projection : network_.projections)
        if (projection->plastic() || !projection->delivers_in_ranges()) return false;
    return true;
}

bool Simulation::run_step_pair(Recorder* recorder, const std::atomic<bool>* stop,
                               const std::function<void(std::int64_t)>& progress, std::int64_t progress_every) {
    const std::int64_t first = step_;
    const int parity = static_cast<int>(first & 1);
    begin_step(first);
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        Population& population = *network_.populations[p];
        auto& spikes_first = collecting_[0].by_population[p];
        auto& spikes_second = spikes_ahead_[p];
        spikes_first.clear();
        spikes_second.clear();
        for (const std::size_t j : direct_by_post_[p]) network_.projections[j]->start_ranges(first);
        for (std::size_t begin = 0; begin < population.size(); begin += pair_chunk_[p]) {
            const std::size_t end = std::min(population.size(), begin + pair_chunk_[p]);
            population.update({first, network_.dt}, begin, end, spikes_first);
            for (const std::size_t j : direct_by_post_[p]) network_.projections[j]->deliver_below(first, end, population);
            population.update({first + 1, network_.dt}, begin, end, spikes_second);
        }
        spikes_[parity][p][0].swap(spikes_first);
    }
    // No stop between the two: the state is already past the first step.
    end_step(recorder, nullptr, progress, progress_every);
    begin_step(first + 1);
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        for (const std::size_t j : direct_by_post_[p]) deliver(j, 0, first + 1, spikes_[parity]);
        spikes_[parity ^ 1][p][0].swap(spikes_ahead_[p]);
    }
    return end_step(recorder, stop, progress, progress_every);
}

// Step blocks: in a network whose input all comes through the rings, with no delay shorter than
// L steps (block_length_), a spike of step t reaches no neuron before step t + L. So each part
// takes up to L steps at a time, chunk by chunk: a chunk (a multiple of 16 neurons; its state
// and its input rows about half of L1) runs all the steps before the next chunk starts, and the
// block's spikes are delivered afterwards (deliver_block_part), step by step and projection by
// projection as single steps would have delivered them. Every input row receives the same
// additions in the same order, so the result is identical, and a team of threads meets twice
// per block instead of twice per step. At a block's end, as after a single step, the last
// step's spikes are in spikes_ and not yet delivered.
std::int64_t Simulation::block_steps(const Recorder* recorder) const {
    return recorder && recorder->reads_network() ? 1 : block_length_;
}

void Simulation::run_block_part(int part, std::int64_t first, std::int64_t steps) {
    const int previous = static_cast<int>(first & 1) ^ 1;
    for (const std::size_t j : ring_projections_) deliver(j, part, first, spikes_[previous]);  // as run_part
    auto& collected = collecting_[part].by_block_step;
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        Population& population = *network_.populations[p];
        const std::size_t part_begin = network_.partitions[p].begin(part), part_end = network_.partitions[p].end(part);
        for (std::int64_t k = 0; k < steps; ++k) collected[k][p].clear();
        for (std::size_t begin = part_begin; begin < part_end; begin += block_chunk_[p]) {
            const std::size_t end = std::min(part_end, begin + block_chunk_[p]);
            for (std::int64_t k = 0; k < steps; ++k) population.update({first + k, network_.dt}, begin, end, collected[k][p]);
        }
        for (std::int64_t k = 0; k < steps; ++k) block_spikes_[k][p][part].swap(collected[k][p]);
    }
}

void Simulation::deliver_block_part(int part, std::int64_t first, std::int64_t steps) {
    for (std::int64_t k = 0; k + 1 < steps; ++k)  // the last step's go with the next step
        for (const std::size_t j : ring_projections_) deliver(j, part, first + k + 1, block_spikes_[k]);
}

bool Simulation::end_block(std::int64_t steps, Recorder* recorder, const std::atomic<bool>* stop,
                           const std::function<void(std::int64_t)>& progress, std::int64_t progress_every) {
    for (std::int64_t k = 0; k + 1 < steps; ++k) end_step(recorder, nullptr, progress, progress_every, k);
    const int last = static_cast<int>(step_ & 1);
    for (std::size_t p = 0; p < network_.populations.size(); ++p)
        for (std::size_t part = 0; part < spikes_[last][p].size(); ++part)
            spikes_[last][p][part].swap(block_spikes_[steps - 1][p][part]);
    return end_step(recorder, stop, progress, progress_every);
}

bool Simulation::end_step(Recorder* recorder, const std::atomic<bool>* stop,
                          const std::function<void(std::int64_t)>& progress, std::int64_t progress_every,
                          std::int64_t block_step) {
    const int current = static_cast<int>(step_ & 1);
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        step_spikes_[p] = block_step < 0 ? spikes_of(current, p) : SpikeLists(block_spikes_[block_step][p]);
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
    int members = std::min(parts, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    if (max_team_ > 0) members = std::min(members, max_team_);
    const auto run_parts = [&](int member) {
        for (int part = member; part < parts; part += members) run_part(part, step_);
    };
    const std::int64_t block = block_steps(recorder);
    if (members == 1) {
        const bool pairs = runs_step_pairs(recorder);
        while (going) {
            if (block > 1 && last - step_ >= 2) {
                const std::int64_t steps_now = std::min(block, last - step_);
                for (int part = 0; part < parts; ++part) run_block_part(part, step_, steps_now);
                for (int part = 0; part < parts; ++part) deliver_block_part(part, step_, steps_now);
                going = end_block(steps_now, recorder, stop, progress, progress_every) && step_ < last;
                continue;
            }
            if (pairs && last - step_ >= 2) {
                going = run_step_pair(recorder, stop, progress, progress_every) && step_ < last;
                continue;
            }
            begin_step(step_);
            run_parts(0);
            going = end_step(recorder, stop, progress, progress_every) && step_ < last;
        }
    } else {
        // Member 0 (this thread) does the serial work between the barriers; the others wait.
        // A round is one step or one block (round_steps, set by member 0 before the first
        // barrier; every member copies it and the first step then, since member 0 changes both
        // while the others may still deliver the block).
        SpinBarrier barrier(members);
        std::exception_ptr failure;
        std::int64_t round_steps = 1;
        const auto member = [&](int index) {
            while (true) {
                if (index == 0) {
                    try {
                        round_steps = block > 1 && last - step_ >= 2 ? std::min(block, last - step_) : 1;
                        if (going && round_steps == 1) begin_step(step_);
                    } catch (...) {
                        failure = std::current_exception();
                        going = false;
                    }
                }
                barrier.wait();  // going and the queued arrivals are visible to all
                if (!going) return;
                const std::int64_t steps_now = round_steps, first = step_;
                if (steps_now == 1) run_parts(index);
                else
                    for (int part = index; part < parts; part += members) run_block_part(part, first, steps_now);
                barrier.wait();  // every part's spikes are complete
                if (steps_now > 1)
                    for (int part = index; part < parts; part += members) deliver_block_part(part, first, steps_now);
                if (index == 0) {
                    try {
                        going = (steps_now == 1 ? end_step(recorder, stop, progress, progress_every)
                                                : end_block(steps_now, recorder, stop, progress, progress_every)) &&
                                step_ < last;
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
