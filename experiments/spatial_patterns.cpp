// The spatial-pattern protocol of Davies et al. (spatial_patterns.hpp; ALGORITHMS.md 2.2-2.5).
#include "experiments/spatial_patterns.hpp"

#include "models/lif_curr_delta.hpp"
#include "models/synthetic_tasks.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace myelin::cli {
namespace {

constexpr double delay_ms = 1.0;          // relays and learned synapses, as in the reference code
constexpr double teacher_delay_ms = 2.0;
constexpr double dt_ms = 1.0;             // ALGORITHMS.md 2.6

sim::PopulationSpec delta_population(std::string name, std::uint64_t size) {
    sim::PopulationSpec p;
    p.name = std::move(name);
    p.size = size;
    p.model = "IF_curr_delta";  // sPyNNaker defaults (ALGORITHMS.md 2.6)
    return p;
}

sim::ProjectionSpec projection(std::string name, std::string pre, std::string post, sim::ConnectorSpec::Rule rule,
                               double weight, double delay) {
    sim::ProjectionSpec p;
    p.name = std::move(name);
    p.pre = std::move(pre);
    p.post = std::move(post);
    p.connect.rule = rule;
    p.weight = sim::ValueSpec::constant(weight);
    p.delay = sim::ValueSpec::constant(delay);
    return p;
}

// Inputs and one relay per source, the front end shared by both networks.
void add_inputs(sim::NetworkSpec& net, const SpatialPatternSetup& setup, std::vector<std::vector<double>> times) {
    sim::PopulationSpec input;
    input.name = "input";
    input.size = 2 * static_cast<std::uint64_t>(setup.bits);
    input.model = "SpikeSourceArray";
    input.spike_times = std::move(times);
    net.populations.push_back(std::move(input));
    net.populations.push_back(delta_population("relay", 2 * static_cast<std::uint64_t>(setup.bits)));
    net.projections.push_back(projection("input_relay", "input", "relay", sim::ConnectorSpec::Rule::one_to_one,
                                         setup.relay_weight, delay_ms));
}

// One spike-count network run, with its output population's spikes counted.
std::vector<std::uint64_t> run(const sim::NetworkSpec& spec, double duration, const Catalogue& catalogue,
                               sim::Network* keep = nullptr) {
    sim::validate(spec, catalogue.models, catalogue.rules);
    sim::Network network = sim::build(spec, catalogue.models, catalogue.rules, 1);
    sim::Simulation simulation(network);
    simulation.run(std::llround(duration / spec.dt));
    std::vector<std::uint64_t> counts = simulation.spike_counts();
    if (keep) *keep = std::move(network);
    return counts;
}

double ratio(int num, int den) { return den == 0 ? 0.0 : static_cast<double>(num) / den; }

}  // namespace

double Confusion::accuracy() const { return ratio(tp + tn, tp + tn + fp + fn); }
double Confusion::precision() const { return ratio(tp, tp + fp); }
double Confusion::npv() const { return ratio(tn, tn + fn); }
double Confusion::sensitivity() const { return ratio(tp, tp + fn); }
double Confusion::specificity() const { return ratio(tn, tn + fp); }

double firing_gap_mv() {
    const models::LifCurrDelta::Params p{};
    return p.v_thresh - p.v_rest;
}

sim::NetworkSpec training_network(const SpatialPatternSetup& setup, std::uint32_t pattern) {
    sim::NetworkSpec net;
    net.dt = dt_ms;
    auto times = models::bit_pattern_spike_times(pattern, setup.bits, setup.channel1_time);
    for (int j = 0; j < setup.bits; ++j)
        for (double& t : times[static_cast<std::size_t>(setup.bits + j)]) t = setup.channel0_time;
    add_inputs(net, setup, std::move(times));
    net.populations.push_back(delta_population("out", 2));  // OUT1 = 0, OUT0 = 1
    sim::PopulationSpec teacher;
    teacher.name = "teacher";
    teacher.size = 1;
    teacher.model = "SpikeSourceArray";
    teacher.spike_times = {{setup.teacher_time}};
    net.populations.push_back(std::move(teacher));

    // Channel-1 relays learn onto OUT1 and channel-0 relays onto OUT0. Both are excitatory here:
    // the channel-0 weights get their inhibitory sign only in the recognition network (2.3).
    for (int channel : {1, 0}) {
        auto learn = projection(channel == 1 ? "learn_1" : "learn_0", "relay", "out",
                                sim::ConnectorSpec::Rule::from_list, 0.0, delay_ms);
        const auto first = static_cast<std::uint32_t>(channel == 1 ? 0 : setup.bits);
        for (std::uint32_t j = 0; j < static_cast<std::uint32_t>(setup.bits); ++j)
            learn.connect.list.push_back({first + j, channel == 1 ? 0u : 1u, 0.0, delay_ms});
        learn.plasticity = setup.stdp;
        net.projections.push_back(std::move(learn));
    }
    net.projections.push_back(projection("teacher_out", "teacher", "out", sim::ConnectorSpec::Rule::all_to_all,
                                         setup.teacher_weight, teacher_delay_ms));
    return net;
}

LearnedWeights train_pattern(const SpatialPatternSetup& setup, std::uint32_t pattern, const Catalogue& catalogue) {
    const sim::NetworkSpec spec = training_network(setup, pattern);
    sim::Network network;
    run(spec, setup.training_duration, catalogue, &network);
    const auto bits = static_cast<std::size_t>(setup.bits);
    LearnedWeights w{std::vector<double>(bits, 0.0), std::vector<double>(bits, 0.0)};
    for (const auto& proj : network.projections) {
        if (proj->name() != "learn_1" && proj->name() != "learn_0") continue;
        const sim::ConnectionTable table = proj->connections();
        for (std::size_t s = 0; s < table.pre.size(); ++s) {
            const std::size_t pre = table.pre[s];
            const double weight = table.per_synapse_weight ? table.weight[s] : table.weight.at(0);
            (pre < bits ? w.w1[pre] : w.w0[pre - bits]) = weight;
        }
    }
    return w;
}

LearnedWeights train_patterns(const SpatialPatternSetup& setup, std::span<const std::uint32_t> patterns,
                              const Catalogue& catalogue) {
    const auto bits = static_cast<std::size_t>(setup.bits);
    LearnedWeights sum{std::vector<double>(bits, 0.0), std::vector<double>(bits, 0.0)};
    for (const std::uint32_t p : patterns) {
        const LearnedWeights w = train_pattern(setup, p, catalogue);
        for (std::size_t j = 0; j < bits; ++j) {
            sum.w1[j] += w.w1[j];
            sum.w0[j] += w.w0[j];
        }
    }
    return sum;
}

sim::NetworkSpec recognition_network(const SpatialPatternSetup& setup, const LearnedWeights& weights, double h,
                                     std::uint32_t input) {
    sim::NetworkSpec net;
    net.dt = dt_ms;
    add_inputs(net, setup, models::bit_pattern_spike_times(input, setup.bits, setup.test_time));
    net.populations.push_back(delta_population("out", 1));
    // Channel-1 relay j excites by h*w1_j and inhibits by h*w0_j; channel-0 relay j the reverse.
    // IF_curr_delta adds both jumps of a relay in the same step, so each relay gets one synapse
    // of the net weight, excitatory or inhibitory by its sign. Summing the two separately in the
    // float input ring would cancel large terms and lose the 1e-5 margin the factor's grid
    // leaves over the threshold (ALGORITHMS.md 2.4), flipping inputs that sit exactly on it.
    auto excitatory = projection("excitatory", "relay", "out", sim::ConnectorSpec::Rule::from_list, 0.0, delay_ms);
    auto inhibitory = projection("inhibitory", "relay", "out", sim::ConnectorSpec::Rule::from_list, 0.0, delay_ms);
    inhibitory.receptor = sim::Receptor::inhibitory;
    const auto bits = static_cast<std::uint32_t>(setup.bits);
    for (std::uint32_t j = 0; j < 2 * bits; ++j) {
        const std::uint32_t bit = j % bits;
        const double jump = h * (j < bits ? weights.w1[bit] - weights.w0[bit] : weights.w0[bit] - weights.w1[bit]);
        if (jump > 0.0) excitatory.connect.list.push_back({j, 0, jump, delay_ms});
        if (jump < 0.0) inhibitory.connect.list.push_back({j, 0, jump, delay_ms});
    }
    for (auto* p : {&excitatory, &inhibitory}) {
        p->connect.list_has_weight = p->connect.list_has_delay = true;
        if (!p->connect.list.empty()) net.projections.push_back(std::move(*p));
    }
    return net;
}

int recognition_spikes(const SpatialPatternSetup& setup, const LearnedWeights& weights, double h,
                       std::uint32_t input, const Catalogue& catalogue) {
    const auto counts = run(recognition_network(setup, weights, h, input), setup.test_duration, catalogue);
    return static_cast<int>(counts.back());  // "out" is the last population
}

double drive_mv(const LearnedWeights& weights, std::uint32_t input) {
    const int bits = static_cast<int>(weights.w1.size());
    double sum = 0.0;
    for (int j = 0; j < bits; ++j) {
        const double s = models::bit_of(input, bits, j) ? 1.0 : -1.0;
        sum += s * (weights.w1[static_cast<std::size_t>(j)] - weights.w0[static_cast<std::size_t>(j)]);
    }
    return sum;
}

FactorResult homeostatic_factor(const SpatialPatternSetup& setup, const LearnedWeights& weights,
                                std::span<const std::uint32_t> patterns, const Catalogue& catalogue) {
    FactorResult result;
    for (const std::uint32_t p : patterns) {
        if (setup.closed_form_factor)
            result.per_pattern.push_back(
                learning::closed_form_factor(setup.homeostasis, firing_gap_mv(), drive_mv(weights, p)));
        else
            result.per_pattern.push_back(learning::search_factor(setup.homeostasis, [&](double h) {
                return recognition_spikes(setup, weights, h, p, catalogue);
            }));
    }
    result.global = learning::global_factor(result.per_pattern);
    return result;
}

namespace {
template <class Fires>
Confusion count(int bits, std::span<const std::uint32_t> patterns, Fires fires) {
    const std::set<std::uint32_t> positives(patterns.begin(), patterns.end());
    Confusion c;
    for (const std::uint32_t x : models::all_bit_codes(bits)) {
        const bool fired = fires(x), positive = positives.contains(x);
        (fired ? (positive ? c.tp : c.fp) : (positive ? c.fn : c.tn)) += 1;
    }
    return c;
}
}  // namespace

Confusion evaluate(const SpatialPatternSetup& setup, const LearnedWeights& weights, double h,
                   std::span<const std::uint32_t> patterns, const Catalogue& catalogue) {
    return count(setup.bits, patterns,
                 [&](std::uint32_t x) { return recognition_spikes(setup, weights, h, x, catalogue) > 0; });
}

Confusion evaluate_idealised(const SpatialPatternSetup& setup, const LearnedWeights& weights, double h,
                             std::span<const std::uint32_t> patterns) {
    const double gap = firing_gap_mv();
    return count(setup.bits, patterns, [&](std::uint32_t x) { return h * drive_mv(weights, x) >= gap; });
}

}  // namespace myelin::cli
