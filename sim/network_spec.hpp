// A network described as plain data: what io/ builds from a config and sim/ builds a Network
// from. Units are PyNN's (ms, mV, nA, nF, uS, Hz). Nothing here is validated; see validate.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace myelin::sim {

// A constant or a random distribution: weights, delays and initial state values.
struct ValueSpec {
    enum class Kind { constant, uniform, normal, values };
    Kind kind = Kind::constant;
    double a = 0.0;  // constant value; uniform low; normal mean
    double b = 0.0;  // uniform high; normal standard deviation
    std::optional<std::pair<double, double>> clip;  // normal: clamp into [low, high]
    std::vector<double> values;                     // Kind::values: one value per item

    static ValueSpec constant(double value) { return {Kind::constant, value, 0.0, {}, {}}; }
    bool is_constant() const { return kind == Kind::constant; }
};

enum class Receptor { excitatory = 0, inhibitory = 1 };

struct ListConnection {
    std::uint32_t pre = 0, post = 0;
    double weight = 0.0, delay = 0.0;  // used when the list has those columns
};

// All connections of a built projection in a thread-independent order (by pre, then post,
// multapses in the order they are delivered), with how they were stored: recordings,
// checkpoints, exporters and tests read it, and a checkpoint rebuilds a projection from it.
struct ConnectionTable {
    std::vector<std::uint32_t> pre, post;
    std::vector<float> weight;
    std::vector<std::uint16_t> delay;  // steps
    bool per_synapse_weight = false;   // stored per synapse (else one constant)
    bool per_synapse_delay = false;
};

struct ConnectorSpec {
    // `table`: the connections of a projection restored from a checkpoint, not a config rule.
    // fixed_total_number: n (pre, post) pairs drawn uniformly with replacement (PyNN's
    // FixedTotalNumberConnector, NEST's fixed_total_number with multapses).
    enum class Rule { all_to_all, one_to_one, fixed_probability, fixed_number_pre,
                      fixed_number_post, from_list, table, fixed_total_number };
    Rule rule = Rule::all_to_all;
    double p = 0.0;             // fixed_probability
    std::uint64_t n = 0;        // fixed_number_pre / fixed_number_post / fixed_total_number
    bool allow_self = true;     // self-connections when pre and post are one population
    bool allow_multiple = false;  // fixed_number_*: draw with replacement (multapses)
    std::vector<ListConnection> list;  // from_list
    bool list_has_weight = false, list_has_delay = false;
    std::shared_ptr<const ConnectionTable> table;  // Rule::table
};

struct PlasticitySpec {
    std::string rule;                       // e.g. "stdp"
    std::string weight_dependence;          // e.g. "additive"
    std::map<std::string, double> params;   // keys given in the config; the rest default
    std::string pairing = "all_to_all";     // or "nearest" (sim/plastic_projection.hpp)
};

struct ProjectionSpec {
    std::string name, pre, post;
    Receptor receptor = Receptor::excitatory;
    ConnectorSpec connect;
    ValueSpec weight = ValueSpec::constant(0.0);  // nA, uS or mV (delta synapses)
    ValueSpec delay = ValueSpec::constant(0.1);   // ms
    std::optional<PlasticitySpec> plasticity;
    // Each synaptic event is transmitted with this probability (NEST's bernoulli_synapse
    // p_transmit), drawn per (step, pre, post): the same on any thread count.
    double release_probability = 1.0;
    // Empty: the projection carries spike events. Otherwise graded transmission: every step,
    // each synapse carries weight * (this state variable of its pre neuron, as it was at the end
    // of the step the delay counts from), e.g. "s", the soft spike of the Ultra* models
    // (sim/graded_projection.hpp). Clock-driven: its cost is synapses x steps, not spikes.
    std::string transmit;
};

// The precision of a population's state and arithmetic: double, or single (float) for the
// models that have a single-precision form (ModelInfo::single_precision).
enum class Precision { double_precision, single_precision };

// Rate-target homeostasis of the threshold (sim/adaptive_threshold.hpp): the keys given.
struct HomeostasisSpec {
    std::map<std::string, double> params;
};

// State variables set to fixed values in the steps at t = start, start + every, ... (ms),
// before the update: trials that each start from the same state, such as one input sample per
// trial in a network trained sample by sample (docs/config.md, "reset").
struct PeriodicResetSpec {
    double every = 0.0;                    // ms, > 0
    double start = 0.0;                    // ms, >= 0
    std::map<std::string, double> values;  // state variable -> value
};

struct PopulationSpec {
    std::string name;
    std::uint64_t size = 0;
    std::string model;
    Precision precision = Precision::double_precision;
    std::map<std::string, double> params;   // keys given in the config; the rest default
    std::map<std::string, ValueSpec> init;  // state variable -> initial values
    std::vector<std::vector<double>> spike_times;  // SpikeSourceArray: ms, one list per neuron
    std::optional<HomeostasisSpec> homeostasis;    // adaptive threshold, if enabled
    std::optional<PeriodicResetSpec> reset;         // trials (see PeriodicResetSpec)
    // ImageSequenceEncoder: the images it presents one after another, [image][neuron] in [0, 1]
    // (io/ fills it from a dataset; shared, as batch copies present the same images).
    std::shared_ptr<const std::vector<float>> frames;
};

// Independent Poisson trains into every neuron of a population, each of `rate` Hz summed over
// the train's sources (Brian2's PoissonInput, NEST's poisson_generator connected all-to-all).
struct PoissonInputSpec {
    std::string target;
    Receptor receptor = Receptor::excitatory;
    double rate = 0.0;    // Hz per target neuron
    double weight = 0.0;  // per event, in the target's input units
    double start = 0.0;   // ms
    double stop = -1.0;   // ms; negative: until the end
};

struct NetworkSpec {
    double dt = 0.1;  // ms
    std::uint64_t seed = 42;
    // Which copy of a batched run this is (sim/batch.hpp): its state, sources and drives draw
    // from copy_seed(seed, copy); connectivity, weights and delays from `seed`, shared by all.
    std::uint32_t copy = 0;
    std::vector<PopulationSpec> populations;
    std::vector<ProjectionSpec> projections;
    std::vector<PoissonInputSpec> poisson_inputs;

    const PopulationSpec* find_population(const std::string& name) const {  // null if none
        for (const auto& p : populations)
            if (p.name == name) return &p;
        return nullptr;
    }
};

}  // namespace myelin::sim
