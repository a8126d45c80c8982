// A population of neurons or spike sources: the engine's unit of update. One virtual call
// advances a range of neurons by one step; the neurons' own arithmetic lives in the model.
#pragma once

#include "sim/cache_aligned.hpp"
#include "sim/random.hpp"
#include "sim/state_column.hpp"
#include "sim/snapshot.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace myelin::sim {

// Per-neuron synaptic input, one ring of slots per input channel, indexed by arrival step.
// Layout [slot][channel][neuron]: the update reads one contiguous row per channel and step,
// delivery adds into the row of step + delay. Floats: weights are floats, and a row of 10^5
// neurons stays within L2.
class InputRing {
public:
    void resize(std::size_t neurons, int channels, std::int64_t max_delay_steps);
    float* row(std::int64_t step, int channel) noexcept {
        return data_.data() + ((static_cast<std::size_t>(step) & mask_) * channels_ + channel) * neurons_;
    }
    std::size_t bytes() const { return data_.size() * sizeof(float); }
    std::span<float> values() { return data_; }  // every slot, for checkpoints
    std::span<const float> values() const { return data_; }

private:
    CacheAlignedVector<float> data_;
    std::size_t neurons_ = 0, mask_ = 0;
    int channels_ = 0;
};

// The spikes of one population in one step, as the lists of each thread in thread order
// (= neuron order).
using SpikeLists = std::span<const std::vector<std::uint32_t>>;

struct StepContext {
    std::int64_t step = 0;  // this step advances t = step*dt to (step+1)*dt
    double dt = 0.1;        // ms
};

// Independent Poisson events into every neuron, drawn per (neuron, step) from its own stream.
struct PoissonDrive {
    int channel = 0;
    float weight = 0.0f;
    std::int64_t start_step = 0, stop_step = 0;  // active for steps in [start, stop)
    PoissonSampler sampler{0.0};
    RandomKey key;
};

// Appends the indices i in [begin, end) with fired[i] != 0, in order. Spikes are rare, so
// 64 flags (one cache line, one vector OR) are tested at once, then 8.
inline void collect_spikes(const std::uint8_t* fired, std::size_t begin, std::size_t end,
                           std::vector<std::uint32_t>& spikes) {
    std::size_t i = begin;
    for (; i + 64 <= end; i += 64) {
        std::uint64_t words[8];
        std::memcpy(words, fired + i, sizeof words);
        std::uint64_t any = 0;
        for (const std::uint64_t word : words) any |= word;
        if (any == 0) continue;
        for (std::size_t w = 0; w < 8; ++w) {
            if (words[w] == 0) continue;
            for (std::size_t j = i + 8 * w; j < i + 8 * w + 8; ++j)
                if (fired[j]) spikes.push_back(static_cast<std::uint32_t>(j));
        }
    }
    for (; i + 8 <= end; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, fired + i, sizeof word);
        if (word == 0) continue;
        for (std::size_t j = i; j < i + 8; ++j)
            if (fired[j]) spikes.push_back(static_cast<std::uint32_t>(j));
    }
    for (; i < end; ++i)
        if (fired[i]) spikes.push_back(static_cast<std::uint32_t>(i));
}

class Population {
public:
    Population(std::string name, std::size_t size) : name_(std::move(name)), size_(size) {}
    virtual ~Population() = default;
    Population(const Population&) = delete;
    Population& operator=(const Population&) = delete;

    const std::string& name() const { return name_; }
    std::size_t size() const { return size_; }

    virtual std::string_view model() const = 0;
    virtual int channels() const = 0;        // input channels (0 for spike sources)

    // Advance neurons [begin, end) through `ctx.step`; append the indices that spiked, in
    // increasing order (an index appears k times for k spikes in one step).
    virtual void update(const StepContext& ctx, std::size_t begin, std::size_t end,
                        std::vector<std::uint32_t>& spikes) = 0;
    // Runs once per step on one thread before any range is updated: models whose neurons read
    // each other's state (UltraDLIF) snapshot it here. Most populations do nothing.
    virtual void before_update(const StepContext& /*ctx*/) {}

    // Named state columns (mV, nA, uS, ...) for recording and initial values.
    struct StateVariable {
        std::string_view name, unit;
        StateColumn values;
    };
    virtual std::vector<StateVariable> state() { return {}; }
    virtual std::size_t state_bytes() const { return 0; }

    // Checkpoints: the population's mutable state (input still in flight, and a model's state
    // columns) as arrays named under `prefix`; restore throws Error on any mismatch.
    virtual void save(Snapshot& snapshot, const std::string& prefix) const;
    virtual void restore(const Snapshot& snapshot, const std::string& prefix);

    InputRing& input() { return input_; }
    void add_drive(PoissonDrive drive) { drives_.push_back(std::move(drive)); }

    // The state column that input on `channel` joins after the membrane update (a synaptic
    // current or conductance), or null for models whose input acts inside the update (delta
    // synapses). Projections with one delay deliver straight into it after the update, which
    // keeps the input rows out of the update loop (DESIGN: fewer bytes per neuron and step).
    virtual InputColumn input_column(int /*channel*/) { return {}; }
    // Whether any input arrives through the rings (set by the builder).
    void set_reads_input_ring(bool reads) { reads_input_ring_ = reads; }
    bool reads_input_ring() const { return reads_input_ring_; }

    // Adds this step's Poisson drive events for [begin, end): into the current input rows
    // before the update when the population reads them, else into the input columns after it.
    void apply_drives(const StepContext& ctx, std::size_t begin, std::size_t end, bool after_update);

    // Trials (PeriodicResetSpec): in steps start, start + every, ... these columns are set to
    // their values before anything else of the step reads them. Set by the builder, applied by
    // Simulation::begin_step (serial); populations without it pay one branch per step.
    struct PeriodicReset {
        std::int64_t every_steps = 0, start_steps = 0;
        std::vector<std::pair<StateColumn, double>> columns;
    };
    void set_periodic_reset(PeriodicReset reset) { reset_ = std::move(reset); }

    // Whether a range of neurons may be advanced some steps ahead of the rest of the population
    // (Simulation's step pairs and blocks): a step of a range must depend on nothing but that
    // range's state and input, so no periodic resets and no population-wide hook before the update.
    bool may_run_ahead() const { return reset_.every_steps == 0 && steps_ranges_alone(); }
    void apply_periodic_reset(std::int64_t step) {
        if (reset_.every_steps == 0 || step < reset_.start_steps || (step - reset_.start_steps) % reset_.every_steps != 0)
            return;
        for (const auto& [column, value] : reset_.columns)
            for (std::size_t i = 0; i < column.size(); ++i) column.set(i, value);
    }

protected:
    // Whether update() of a range reads and writes only that range (no before_update hook, no
    // state shared between neurons). False unless a population says so.
    virtual bool steps_ranges_alone() const { return false; }

    InputRing input_;
    bool reads_input_ring_ = true;

private:
    std::string name_;
    std::size_t size_;
    std::vector<PoissonDrive> drives_;
    PeriodicReset reset_;
};

}  // namespace myelin::sim
