// The step loop (DESIGN.md "The engine"). Each step: plastic projections queue arrivals
// (serial); then every thread, for the neurons it owns, delivers the previous step's spikes,
// updates its part of each population and applies post-spike learning; then the step's spikes
// go to the recorder (serial). With several threads a team lives for the whole run and meets
// at two barriers per step: a fork/join per step (tbb::parallel_for) costs ~10 us, as much as
// a whole step of a 10^4-neuron network. The team has at most one thread per core.
#pragma once

#include "sim/network.hpp"
#include "sim/recorder.hpp"

#include <atomic>
#include <functional>
#include <memory>


namespace myelin::sim {

struct RunResult {
    std::int64_t steps = 0;        // steps completed in this run
    bool interrupted = false;      // stopped early by the stop flag
    double wall_seconds = 0.0;
};

class Simulation {
public:
    // The network's `network.parts` parts are run by as many threads, or one per core if there
    // are fewer cores, or `max_team` (0: no limit) if fewer; a thread then runs several parts.
    // The result does not depend on how many threads run them.
    explicit Simulation(Network& network, int max_team = 0);
    ~Simulation();

    // Runs `steps` steps. `stop` (may be null) is read after every step (or block of steps);
    // `progress` (may be empty) is called every `progress_every` steps with the current step.
    RunResult run(std::int64_t steps, Recorder* recorder = nullptr, const std::atomic<bool>* stop = nullptr,
                  const std::function<void(std::int64_t)>& progress = {}, std::int64_t progress_every = 1000);

    // Checkpoints (snapshot.hpp): the next step to run, the spikes of the step before it and
    // every population's and projection's state. restore() takes a snapshot of the same network
    // (same populations, projections and connections) saved on any thread count; on a mismatch
    // it throws Error and the simulation must not be run.
    void save(Snapshot& snapshot) const;
    void restore(const Snapshot& snapshot);

    // Whether run() with this recorder (may be null) takes the steps in pairs, chunk by chunk
    // (one thread, every projection direct, no population acting as a whole between steps, a
    // recorder of spikes alone; simulation.cpp says why this is faster and gives the same result).
    bool runs_step_pairs(const Recorder* recorder) const;
    // How many steps run() with this recorder takes at a time, chunk by chunk, on every thread
    // count, in networks whose input all comes through the rings (see run_block_part in
    // simulation.cpp); 1 when it takes single steps.
    std::int64_t block_steps(const Recorder* recorder) const;

    std::int64_t step() const { return step_; }
    double time() const { return static_cast<double>(step_) * network_.dt; }  // ms
    const std::vector<std::uint64_t>& spike_counts() const { return spike_counts_; }  // per population

private:
    void run_part(int part, std::int64_t step);
    void begin_step(std::int64_t step);
    // Records and counts the step just run; false when the run should stop.
    // `block_step`: the index in the current block of the step (its spikes are in
    // block_spikes_), or -1 for a single step (its spikes are in spikes_).
    bool end_step(Recorder* recorder, const std::atomic<bool>* stop,
                  const std::function<void(std::int64_t)>& progress, std::int64_t progress_every,
                  std::int64_t block_step = -1);
    SpikeLists spikes_of(int parity, std::size_t population) const;
    // [population][part]: one step's spike lists (spikes_[parity], block_spikes_[k]).
    using SpikesByPopulation = std::vector<std::vector<std::vector<std::uint32_t>>>;
    // Projection `projection_index` delivers for `part` at `step`, `previous` holding step - 1's spikes.
    void deliver(std::size_t projection_index, int part, std::int64_t step, const SpikesByPopulation& previous);
    bool run_step_pair(Recorder* recorder, const std::atomic<bool>* stop,
                       const std::function<void(std::int64_t)>& progress, std::int64_t progress_every);
    void run_block_part(int part, std::int64_t first, std::int64_t steps);
    void deliver_block_part(int part, std::int64_t first, std::int64_t steps);
    bool end_block(std::int64_t steps, Recorder* recorder, const std::atomic<bool>* stop,
                   const std::function<void(std::int64_t)>& progress, std::int64_t progress_every);

    Network& network_;
    int max_team_ = 0;
    std::int64_t step_ = 0;
    // spikes_[parity][population][part]: this step's and the previous step's spikes.
    SpikesByPopulation spikes_[2];
    // Where each part collects a population's spikes during the update, one cache line apart:
    // the vectors of spikes_ sit side by side, and growing them from two threads would make
    // their shared cache line bounce at every spike. Swapped into spikes_ once per step.
    struct alignas(64) PartSpikes {
        std::vector<std::vector<std::uint32_t>> by_population;
        std::vector<std::vector<std::vector<std::uint32_t>>> by_block_step;  // [step in block][population]
    };
    std::vector<PartSpikes> collecting_;
    std::vector<std::size_t> ring_projections_;               // delivered before the updates
    std::vector<std::vector<std::size_t>> direct_by_post_;    // population -> direct projections onto it
    std::vector<std::vector<std::size_t>> learning_by_post_;  // population -> plastic projections onto it
    std::vector<std::uint64_t> spike_counts_;
    std::vector<SpikeLists> step_spikes_;  // per population, handed to the recorder
    std::vector<std::size_t> pair_chunk_;                   // per population: neurons per chunk of a step pair
    std::vector<std::vector<std::uint32_t>> spikes_ahead_;  // per population: a pair's second step's spikes
    std::int64_t block_length_ = 1;                         // steps per block (1: no blocks)
    std::vector<std::size_t> block_chunk_;                  // per population: neurons per chunk of a block
    // block_spikes_[step in block][population][part]: a block's spikes until they are delivered.
    std::vector<SpikesByPopulation> block_spikes_;
};

}  // namespace myelin::sim
