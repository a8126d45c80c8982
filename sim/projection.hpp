// Synapses of one projection, stored for delivery: per thread partition of the post
// population, a CSR matrix by pre neuron (rows sorted by post), holding only the synapses whose
// post neuron that thread owns. A thread delivering a spike therefore writes only its own
// neurons' input: no atomics, no locks, and every sum is taken in the same order on any
// thread count. Weights and delays are stored per synapse only when they vary.
#pragma once

#include "sim/connectivity.hpp"
#include "sim/partition.hpp"
#include "sim/population.hpp"
#include "sim/spike_queue.hpp"

#include <optional>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace myelin::sim {

struct SynapsePart {
    std::vector<std::uint64_t> row_start;  // n_pre + 1
    std::vector<std::uint32_t> post;
    std::vector<float> weight;             // empty: the constant weight
    std::vector<std::uint16_t> delay;      // steps; empty: the constant delay
    // Narrow parts (SynapseStore::build) hold post_base + post_offset[s] instead of post[s].
    std::vector<std::uint16_t> post_offset;
    std::uint32_t post_base = 0;

    std::uint64_t size() const { return row_start.empty() ? 0 : row_start.back(); }
    std::uint32_t post_at(std::uint64_t s) const { return post_offset.empty() ? post[s] : post_base + post_offset[s]; }
};

struct SynapseStore {
    std::vector<SynapsePart> parts;  // one per thread
    float constant_weight = 0.0f;
    std::uint16_t constant_delay = 1;
    std::uint16_t max_delay = 1;

    // Splits generated connections by post partition. Each part is built by its own task.
    // `narrow_posts` (static projections delivered through the rings): a part of at most 65536
    // post neurons keeps its post indices as 2-byte offsets from its first neuron, since ring
    // delivery streams a part's indices from memory for every spike, and on two threads at
    // 10^5 neurons that stream, not the arithmetic, set the pace. Direct delivery and the
    // plastic and graded projections read `post`.
    static SynapseStore build(Adjacency&& adjacency, std::size_t n_pre, const Partition& post_partition,
                              float constant_weight, std::uint16_t constant_delay, bool keep_weights,
                              bool narrow_posts = false);
    std::size_t size() const;
    std::size_t bytes() const;
};

// Whether the post indices of every row of every part ascend (multapses side by side).
bool rows_sorted_by_post(const SynapseStore& store);
// The shortest delay of any synapse, in steps.
std::int64_t min_delay(const SynapseStore& store);

class Projection {
public:
    Projection(std::string name, std::size_t pre, std::size_t post, int channel)
        : name_(std::move(name)), pre_(pre), post_(post), channel_(channel) {}
    virtual ~Projection() = default;
    Projection(const Projection&) = delete;
    Projection& operator=(const Projection&) = delete;

    const std::string& name() const { return name_; }
    std::size_t pre() const { return pre_; }    // population index
    std::size_t post() const { return post_; }  // population index
    int channel() const { return channel_; }

    // Serial, once per step before the parallel phase: `previous` are the pre spikes of step - 1.
    virtual void begin_step(std::int64_t /*step*/, SpikeLists /*previous*/) {}
    // Parallel, by the thread owning `part` of the post population. Through the input rings
    // (direct() false), before the post update: the pre spikes of step - 1 go to the row of
    // their arrival step. Directly (direct() true), after the post update: the spikes arriving
    // now are added to the post population's input columns.
    virtual void deliver(int part, std::int64_t step, SpikeLists previous, Population& post) = 0;
    bool direct() const { return direct_; }
    // Step pairs (Simulation): a direct projection on one part may deliver a step's arrivals
    // over increasing post ranges: start_ranges(step), then deliver_below(step, end, post) for
    // increasing `end`, each adding the events onto post neurons below `end` not added yet.
    // Each post neuron receives its events in the same order as from deliver().
    virtual bool delivers_in_ranges() const { return false; }
    virtual void start_ranges(std::int64_t /*step*/) {}
    virtual void deliver_below(std::int64_t /*step*/, std::size_t /*end*/, Population& /*post*/) {}
    // Step blocks (Simulation): a ring projection whose begin_step does nothing and whose
    // delivery reads only the spikes it is given may deliver them a few steps late, as long as
    // no delay is shorter than that. Its shortest delay in steps, or 0 when it may not.
    virtual std::int64_t block_delay() const { return 0; }
    // Parallel, after the post population's update, with the post spikes of `part` this step.
    virtual void learn(int /*part*/, std::int64_t /*step*/, std::span<const std::uint32_t> /*post_spikes*/) {}

    // Synaptic events delivered so far (spikes times synapses they reached).
    std::uint64_t events() const {
        std::uint64_t n = 0;
        for (const auto& counter : events_) n += counter.value;
        return n;
    }

    // Checkpoints: spikes in flight and learning state (not the weights: connections() has
    // them) as arrays named under `prefix`; restore throws Error on any mismatch.
    virtual void save(Snapshot& /*snapshot*/, const std::string& /*prefix*/) const {}
    virtual void restore(const Snapshot& /*snapshot*/, const std::string& /*prefix*/, std::size_t /*pre_size*/) {}

    virtual bool plastic() const { return false; }
    virtual std::size_t size() const = 0;
    virtual std::size_t bytes() const = 0;
    virtual std::int64_t max_delay() const = 0;
    virtual ConnectionTable connections() const = 0;

    // Sizes the per-thread event counters; called once by the builder.
    void set_parts(int parts) { events_.assign(static_cast<std::size_t>(parts), {}); }

protected:
    void count_events(int part, std::uint64_t n) { events_[part].value += n; }
    bool direct_ = false;

private:
    struct alignas(64) Counter {  // one cache line per thread: no false sharing
        std::uint64_t value = 0;
    };
    std::string name_;
    std::size_t pre_, post_;
    int channel_;
    std::vector<Counter> events_;
};

class StaticProjection final : public Projection {
public:
    // `direct`: deliver into the post population's input columns (needs one constant delay).
    StaticProjection(std::string name, std::size_t pre, std::size_t post, int channel,
                     SynapseStore store, bool direct)
        : Projection(std::move(name), pre, post, channel), store_(std::move(store)) {
        direct_ = direct;
        if (direct) queue_.emplace(store_.constant_delay);
        rows_sorted_ = direct && rows_sorted_by_post(store_);  // only direct delivery needs it
        min_delay_ = min_delay(store_);
    }

    void begin_step(std::int64_t step, SpikeLists previous) override {
        if (queue_) queue_->push(step, previous);
    }
    void deliver(int part, std::int64_t step, SpikeLists previous, Population& post) override;
    bool delivers_in_ranges() const override {
        return direct_ && rows_sorted_ && store_.parts.size() == 1 && release_threshold_ > UINT32_MAX;
    }
    std::int64_t block_delay() const override { return direct_ ? 0 : min_delay_; }
    void start_ranges(std::int64_t step) override;
    void deliver_below(std::int64_t step, std::size_t end, Population& post) override;
    // Transmits each event with probability `p` (see ProjectionSpec::release_probability).
    void set_release(double p, RandomKey key) {
        release_threshold_ = static_cast<std::uint64_t>(p * 4294967296.0);
        release_key_ = key;
    }
    void save(Snapshot& snapshot, const std::string& prefix) const override {
        if (queue_) queue_->save(snapshot, prefix + "/queue");
    }
    void restore(const Snapshot& snapshot, const std::string& prefix, std::size_t pre_size) override {
        if (queue_) queue_->restore(snapshot, prefix + "/queue", pre_size);
    }
    std::size_t size() const override { return store_.size(); }
    std::size_t bytes() const override { return store_.bytes(); }
    std::int64_t max_delay() const override { return store_.max_delay; }
    ConnectionTable connections() const override;

private:
    // Delivery when events fail at random: one loop for every storage form, slower but rare.
    template <class Target>
    std::uint64_t deliver_unreliable(const SynapsePart& part, std::int64_t spike_step,
                                     const std::vector<std::uint32_t>& pres, Target&& target) const;

    SynapseStore store_;
    std::optional<SpikeQueue> queue_;  // direct delivery: spikes by arrival step
    bool rows_sorted_ = false;         // every row's post indices ascend (delivery in ranges)
    std::int64_t min_delay_ = 1;       // steps
    std::vector<std::uint64_t> cursors_;  // per arriving spike: its next synapse to deliver
    std::uint64_t release_threshold_ = std::uint64_t{1} << 32;  // transmit when word < this
    RandomKey release_key_;
};

ConnectionTable connection_table(const SynapseStore& store);

}  // namespace myelin::sim
