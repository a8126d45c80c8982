// A projection whose weights learn by a pair rule with traces (ALGORITHMS.md 1.5). The engine
// side of plasticity: spike queues, lazily decayed traces and the walk over synapses; the rule
// (learning/) says only what one spike does to one weight.
//
// Timing: a pre spike emitted in step k reaches its synapses in step k + d (the whole delay is
// axonal), where it is depressed by the post trace and then added to the post neuron's input for
// that step. A post spike in step k potentiates by the pre traces, which already include the
// arrivals of step k: a simultaneous pair counts as potentiation (ALGORITHMS.md 1.5 order).
// Traces are stored with the step of their last change and decayed when read, so a silent
// neuron costs nothing.
//
// Pairing (ALGORITHMS.md 1.5): all-to-all adds 1 to a neuron's trace at each of its spikes, so
// every earlier spike of the partner still counts; nearest-spike sets it to 1, so only the
// latest one does (NEST stdp_nn_symm_synapse: a post spike pairs with the last pre spike before
// it, a pre spike with the last post spike before it). It is a template parameter, not a branch.
#pragma once

#include "sim/projection.hpp"

#include <cmath>

namespace myelin::sim {

template <class Rule>
concept PlasticityRule = requires(const typename Rule::Params& p, float w, double trace) {
    { Rule::name } -> std::convertible_to<std::string_view>;
    { Rule::weight_dependence } -> std::convertible_to<std::string_view>;
    Rule::param_fields;
    Rule::validate(p);
    { Rule::on_pre(p, w, trace) } -> std::same_as<float>;   // depression by the post trace
    { Rule::on_post(p, w, trace) } -> std::same_as<float>;  // potentiation by the pre trace
    { p.tau_plus } -> std::convertible_to<double>;           // pre trace time constant, ms
    { p.tau_minus } -> std::convertible_to<double>;          // post trace time constant, ms
};

// exp(-n*dt/tau) for whole steps n as the product of two table entries, fine[n % 1024] *
// coarse[n / 1024] (one rounding more than exp itself), so reading a trace after a long
// silence costs no exp call; past the coarse table (10^6 steps) the trace is below 1e-300.
class DecayTable {
public:
    DecayTable(double tau, double dt) : fine_(fine_size), coarse_(coarse_size) {
        for (std::size_t n = 0; n < fine_size; ++n) fine_[n] = std::exp(-static_cast<double>(n) * dt / tau);
        for (std::size_t n = 0; n < coarse_size; ++n)
            coarse_[n] = std::exp(-static_cast<double>(n * fine_size) * dt / tau);
    }
    double operator()(std::int64_t steps) const noexcept {
        const auto n = static_cast<std::uint64_t>(steps);
        const std::uint64_t high = n / fine_size;
        return high < coarse_size ? coarse_[high] * fine_[n % fine_size] : 0.0;
    }
    // The two tables, for the GPU backend's copy of this lookup (sim/cuda/).
    const std::vector<double>& fine() const noexcept { return fine_; }
    const std::vector<double>& coarse() const noexcept { return coarse_; }

private:
    static constexpr std::size_t fine_size = 1024, coarse_size = 1024;
    std::vector<double> fine_, coarse_;
};

// How a neuron's own spike changes its trace: +1 (all-to-all) or reset to 1 (nearest).
struct AllToAllPairing {
    static constexpr std::string_view name = "all_to_all";
    static constexpr bool resets = false;
};
struct NearestPairing {
    static constexpr std::string_view name = "nearest";
    static constexpr bool resets = true;
};

template <class P>
concept TracePairing = requires {
    { P::name } -> std::convertible_to<std::string_view>;
    { P::resets } -> std::convertible_to<bool>;
};

// A trace per neuron: its value after the last increment and the step of that increment,
// side by side so one read brings both.
struct LazyTraces {
    struct Entry {
        double value = 0.0;
        std::int64_t step = 0;
    };
    std::vector<Entry> entries;
    void resize(std::size_t n) { entries.assign(n, {}); }
    double at(std::size_t i, std::int64_t now, const DecayTable& decay) const noexcept {
        return entries[i].value * decay(now - entries[i].step);
    }
    template <TracePairing Pairing>
    void spike(std::size_t i, std::int64_t now, const DecayTable& decay) noexcept {
        if constexpr (Pairing::resets) entries[i] = {1.0, now};  // the old value is not even read
        else entries[i] = {at(i, now, decay) + 1.0, now};
    }
    void save(Snapshot& snapshot, const std::string& name) const {
        std::vector<double> values;
        std::vector<std::int64_t> steps;
        for (const Entry& e : entries) {
            values.push_back(e.value);
            steps.push_back(e.step);
        }
        snapshot.put(name + "/value", std::move(values));
        snapshot.put(name + "/step", std::move(steps));
    }
    void restore(const Snapshot& snapshot, const std::string& name) {
        const auto& values = snapshot.get<double>(name + "/value", entries.size());
        const auto& steps = snapshot.get<std::int64_t>(name + "/step", entries.size());
        for (std::size_t i = 0; i < entries.size(); ++i) entries[i] = {values[i], steps[i]};
    }
};

template <PlasticityRule Rule, TracePairing Pairing = AllToAllPairing>
class PlasticProjection final : public Projection {
public:
    PlasticProjection(std::string name, std::size_t pre, std::size_t post, int channel,
                      SynapseStore store, const typename Rule::Params& params, double dt,
                      std::size_t n_pre, std::size_t n_post, const Partition& post_partition, bool direct)
        : Projection(std::move(name), pre, post, channel), store_(std::move(store)), params_(params),
          pre_decay_(params.tau_plus, dt), post_decay_(params.tau_minus, dt),
          arrivals_(store_.constant_delay), post_partition_(post_partition) {
        direct_ = direct;
        pre_traces_.resize(n_pre);
        post_traces_.resize(n_post);
        build_incoming();
    }

    void begin_step(std::int64_t step, SpikeLists previous) override {
        arrivals_.push(step, previous);
        for (const std::uint32_t pre : arrivals_.arriving(step)) pre_traces_.spike<Pairing>(pre, step, pre_decay_);
    }

    // Depression of the synapses the arriving spikes reach, whose weights then go to the post
    // neurons' input: into this step's input row before the update, or (direct) into the
    // input columns after it, before learn() sees this step's post spikes either way.
    void deliver(int part_index, std::int64_t step, SpikeLists, Population& post) override {
        if (direct_) post.input_column(channel()).visit([&](auto* column) { depress_and_deliver(part_index, step, column); });
        else depress_and_deliver(part_index, step, post.input().row(step, channel()));
    }

private:
    template <class Target>
    void depress_and_deliver(int part_index, std::int64_t step, Target* row) {
        SynapsePart& part = store_.parts[part_index];
        std::uint64_t events = 0;
        for (const std::uint32_t pre : arrivals_.arriving(step)) {
            events += part.row_start[pre + 1] - part.row_start[pre];
            for (std::uint64_t s = part.row_start[pre]; s < part.row_start[pre + 1]; ++s) {
                const std::uint32_t i = part.post[s];
                const float w = Rule::on_pre(params_, part.weight[s], post_traces_.at(i, step, post_decay_));
                part.weight[s] = w;
                row[i] += static_cast<Target>(w);
            }
        }
        count_events(part_index, events);
    }

public:

    void learn(int part_index, std::int64_t step, std::span<const std::uint32_t> post_spikes) override {
        SynapsePart& part = store_.parts[part_index];
        const Incoming& in = incoming_[part_index];
        const std::size_t first = post_partition_.begin(part_index);
        for (const std::uint32_t i : post_spikes) {
            const std::size_t local = i - first;
            for (std::uint64_t q = in.start[local]; q < in.start[local + 1]; ++q) {
                // The synapses of one post neuron are scattered through the pre-major store.
                __builtin_prefetch(&part.weight[in.synapse[std::min(q + 8, in.start[local + 1] - 1)]], 1);
                const std::uint64_t s = in.synapse[q];
                part.weight[s] = Rule::on_post(params_, part.weight[s], pre_traces_.at(in.pre[q], step, pre_decay_));
            }
            post_traces_.spike<Pairing>(i, step, post_decay_);
        }
    }

    void save(Snapshot& snapshot, const std::string& prefix) const override {
        pre_traces_.save(snapshot, prefix + "/pre_trace");
        post_traces_.save(snapshot, prefix + "/post_trace");
        arrivals_.save(snapshot, prefix + "/queue");
    }
    void restore(const Snapshot& snapshot, const std::string& prefix, std::size_t pre_size) override {
        pre_traces_.restore(snapshot, prefix + "/pre_trace");
        post_traces_.restore(snapshot, prefix + "/post_trace");
        arrivals_.restore(snapshot, prefix + "/queue", pre_size);
    }

    bool plastic() const override { return true; }
    std::size_t size() const override { return store_.size(); }
    std::size_t bytes() const override {
        std::size_t n = store_.bytes();
        for (const auto& in : incoming_)
            n += in.start.size() * sizeof(std::uint64_t) + in.synapse.size() * sizeof(std::uint32_t) +
                 in.pre.size() * sizeof(std::uint32_t);
        return n + (pre_traces_.entries.size() + post_traces_.entries.size()) * sizeof(LazyTraces::Entry);
    }
    std::int64_t max_delay() const override { return store_.max_delay; }
    ConnectionTable connections() const override { return connection_table(store_); }

private:
    // The post -> synapse index of each part, for potentiation: for each post neuron the
    // synapses ending on it and their pre neurons.
    struct Incoming {
        std::vector<std::uint64_t> start;
        std::vector<std::uint32_t> synapse, pre;
    };

    void build_incoming() {
        incoming_.resize(store_.parts.size());
        for (std::size_t t = 0; t < store_.parts.size(); ++t) {
            const SynapsePart& part = store_.parts[t];
            Incoming& in = incoming_[t];
            const std::size_t first = post_partition_.begin(static_cast<int>(t));
            const std::size_t count = post_partition_.end(static_cast<int>(t)) - first;
            in.start.assign(count + 1, 0);
            for (const std::uint32_t i : part.post) ++in.start[i - first + 1];
            for (std::size_t k = 0; k < count; ++k) in.start[k + 1] += in.start[k];
            in.synapse.resize(part.post.size());
            in.pre.resize(part.post.size());
            std::vector<std::uint64_t> cursor(in.start.begin(), in.start.end() - 1);
            const std::size_t n_pre = part.row_start.size() - 1;
            for (std::size_t pre = 0; pre < n_pre; ++pre)
                for (std::uint64_t s = part.row_start[pre]; s < part.row_start[pre + 1]; ++s) {
                    const std::uint64_t at = cursor[part.post[s] - first]++;
                    in.synapse[at] = static_cast<std::uint32_t>(s);
                    in.pre[at] = static_cast<std::uint32_t>(pre);
                }
        }
    }

    SynapseStore store_;
    typename Rule::Params params_;
    DecayTable pre_decay_, post_decay_;
    LazyTraces pre_traces_, post_traces_;
    SpikeQueue arrivals_;  // pre spikes by arrival step
    std::vector<Incoming> incoming_;
    Partition post_partition_;
};

}  // namespace myelin::sim
