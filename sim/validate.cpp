// Whole-network validation before the first step (network.hpp). Every message names the item
// and the value; SpecError carries the key path so io/ can point at the config line.
#include "sim/network.hpp"
#include "sim/param_check.hpp"

#include <cmath>
#include <set>

namespace myelin::sim {
namespace {

using Section = SpecError::Section;

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// Runs `check`, turning a ParamError into a SpecError at `prefix + key`.
template <class Check>
void locate(Section section, std::size_t index, const std::string& item, const std::string& prefix, Check&& check) {
    try {
        check();
    } catch (const ParamError& e) {
        throw SpecError(section, index, prefix + e.key(), item + ": " + e.what());
    }
}

void validate_value(const ValueSpec& v, const std::string& key, const std::string& unit) {
    switch (v.kind) {
        case ValueSpec::Kind::constant: require_finite(key, v.a, unit); break;
        case ValueSpec::Kind::uniform:
            require_finite(key + ".uniform", v.a, unit);
            require(std::isfinite(v.b) && v.b >= v.a, key + ".uniform", v.b,
                    "(upper bound) must be >= the lower bound " + format_number(v.a), unit);
            break;
        case ValueSpec::Kind::normal:
            require_finite(key + ".normal", v.a, unit);
            require_non_negative(key + ".normal", v.b, unit);
            if (v.clip)
                require(std::isfinite(v.clip->first) && v.clip->second >= v.clip->first, key + ".clip",
                        v.clip->second, "(upper bound) must be >= the lower bound " + format_number(v.clip->first), unit);
            break;
        case ValueSpec::Kind::values:
            for (const double x : v.values) require_finite(key, x, unit);
            break;
    }
}

// The smallest and largest value a spec can produce (infinite for an unclipped normal).
std::pair<double, double> value_range(const ValueSpec& v) {
    switch (v.kind) {
        case ValueSpec::Kind::constant: return {v.a, v.a};
        case ValueSpec::Kind::uniform: return {v.a, v.b};
        case ValueSpec::Kind::normal:
            if (v.clip) return *v.clip;
            if (v.b == 0.0) return {v.a, v.a};
            return {-INFINITY, INFINITY};
        case ValueSpec::Kind::values:
            if (v.values.empty()) return {0.0, 0.0};
            return {*std::min_element(v.values.begin(), v.values.end()), *std::max_element(v.values.begin(), v.values.end())};
    }
    return {0.0, 0.0};
}

void validate_weight_sign(double low, double high, bool conductance, Receptor receptor, const std::string& key) {
    if (conductance) {
        require(low >= 0.0, key, low, "must be >= 0: conductance-based weights are conductances (uS); use receptor = \"inhibitory\" for inhibition");
    } else if (receptor == Receptor::excitatory) {
        require(low >= 0.0, key, low, "must be >= 0 on the excitatory receptor (current-based inhibitory weights are negative, on receptor \"inhibitory\", as in PyNN)");
    } else {
        require(high <= 0.0, key, high, "must be <= 0 on the inhibitory receptor of a current-based model (PyNN convention)");
    }
}

void validate_delay(const ValueSpec& delay, double dt) {
    validate_value(delay, "delay", "ms");
    const auto [low, high] = value_range(delay);
    // A delay below one step cannot be represented in a clock-driven loop (a small tolerance
    // lets 0.1 pass with dt = 0.1 despite binary rounding).
    require(low >= dt * (1.0 - 1e-9), "delay", low,
            "is below one time step (dt = " + format_number(dt) + " ms); the shortest delay is dt", "ms");
    require(high / dt <= 65535.0, "delay", high, "is longer than 65535 steps", "ms");
}

// Names a state variable of `population` (a reset or a graded projection's source).
void require_state_variable(const ModelInfo& model, const PopulationSpec& population, const std::string& name,
                            const std::string& key) {
    std::vector<std::string> vars;
    for (const auto& s : state_variables(model, population)) vars.push_back(s.name);
    if (std::find(vars.begin(), vars.end(), name) == vars.end())
        throw ParamError(key, quoted(name) + " is not a state variable of " + model.name + " (population " +
                                  quoted(population.name) + ")" + did_you_mean(name, vars) +
                                  (vars.empty() ? "" : "; valid: " + join(vars)));
}

void validate_reset(const PeriodicResetSpec& reset, const ModelInfo& model, const PopulationSpec& p, double dt) {
    require_positive("reset.every", reset.every, "ms");
    const double steps = reset.every / dt;
    require(std::fabs(steps - std::round(steps)) <= 1e-9 * steps, "reset.every", reset.every,
            "must be a whole number of steps (dt = " + format_number(dt) + " ms)", "ms");
    require_non_negative("reset.start", reset.start, "ms");
    if (reset.values.empty()) throw ParamError("reset.values", "reset.values names no state variable");
    for (const auto& [name, value] : reset.values) {
        require_state_variable(model, p, name, "reset.values." + name);
        require_finite("reset.values." + name, value);
    }
}

void validate_populations(const NetworkSpec& spec, const ModelRegistry& models) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < spec.populations.size(); ++i) {
        const PopulationSpec& p = spec.populations[i];
        const std::string item = "population " + quoted(p.name);
        if (p.name.empty()) throw SpecError(Section::population, i, "name", "a population needs a non-empty name");
        if (!names.insert(p.name).second)
            throw SpecError(Section::population, i, "name", "population name " + quoted(p.name) + " is used twice");
        if (p.size == 0) throw SpecError(Section::population, i, "size", item + ": size = 0 must be >= 1");
        if (p.size > 0xFFFFFFFFull) throw SpecError(Section::population, i, "size", item + ": size must be below 2^32");
        const ModelInfo* model = models.find(p.model);
        if (!model)
            throw SpecError(Section::population, i, "model",
                            item + ": unknown model " + quoted(p.model) + did_you_mean(p.model, models.names()) +
                                "; known models: " + join(models.names()));
        locate(Section::population, i, item, "params.", [&] { model->validate(p, spec.dt); });
        if (!p.spike_times.empty() && model->name != "SpikeSourceArray")
            throw SpecError(Section::population, i, "params.spike_times", item + ": spike_times is only for SpikeSourceArray");
        if (p.homeostasis) {
            if (!model->adaptive_threshold)
                throw SpecError(Section::population, i, "homeostasis",
                                item + ": model " + model->name + " has no adaptive threshold; homeostasis works on " +
                                    join(models.adaptive_threshold_names()));
            locate(Section::population, i, item, "homeostasis.",
                   [&] { threshold_homeostasis_from(p.homeostasis->params); });
        }
        if (p.reset) locate(Section::population, i, item, "", [&] { validate_reset(*p.reset, *model, p, spec.dt); });
        for (const auto& [var, value] : p.init) {
            std::vector<std::string> vars;
            for (const auto& s : state_variables(*model, p)) vars.push_back(s.name);
            if (std::find(vars.begin(), vars.end(), var) == vars.end())
                throw SpecError(Section::population, i, "init." + var,
                                item + ": " + quoted(var) + " is not a state variable of " + model->name +
                                    did_you_mean(var, vars) + (vars.empty() ? "" : "; valid: " + join(vars)));
            locate(Section::population, i, item, "init.", [&] { validate_value(value, var, ""); });
            if (model->validate_init) {
                const std::pair<double, double> range = value_range(value);
                locate(Section::population, i, item, "init.", [&] { model->validate_init(var, range.first, range.second); });
            }
            if (value.kind == ValueSpec::Kind::values && value.values.size() != p.size)
                throw SpecError(Section::population, i, "init." + var,
                                item + ": init." + var + " has " + std::to_string(value.values.size()) +
                                    " values for " + std::to_string(p.size) + " neurons");
        }
    }
}

std::vector<std::string> population_names(const NetworkSpec& spec) {
    std::vector<std::string> names;
    for (const auto& p : spec.populations) names.push_back(p.name);
    return names;
}

const PopulationSpec& named_population(const NetworkSpec& spec, Section section, std::size_t index,
                                       const std::string& key, const std::string& item, const std::string& name) {
    if (const PopulationSpec* p = spec.find_population(name)) return *p;
    throw SpecError(section, index, key,
                    item + ": unknown population " + quoted(name) + did_you_mean(name, population_names(spec)) +
                        "; populations: " + join(population_names(spec)));
}

void validate_connector(const ProjectionSpec& proj, const PopulationSpec& pre, const PopulationSpec& post) {
    const ConnectorSpec& c = proj.connect;
    const bool same = proj.pre == proj.post;
    using Rule = ConnectorSpec::Rule;
    if (c.rule == Rule::fixed_probability)
        require(c.p >= 0.0 && c.p <= 1.0, "connect.p", c.p, "must be within [0, 1]");
    if (c.rule == Rule::one_to_one && pre.size != post.size)
        throw ParamError("connect.rule", "one_to_one needs equal sizes, but " + quoted(pre.name) + " has " +
                                             std::to_string(pre.size) + " neurons and " + quoted(post.name) +
                                             " has " + std::to_string(post.size));
    if (c.rule == Rule::fixed_number_pre || c.rule == Rule::fixed_number_post) {
        const std::uint64_t pool = (c.rule == Rule::fixed_number_pre ? pre.size : post.size) -
                                   (same && !c.allow_self ? 1 : 0);
        if (!c.allow_multiple && c.n > pool)
            throw ParamError("connect.n", "connect.n = " + std::to_string(c.n) + " is more than the " +
                                              std::to_string(pool) + " distinct candidates (set allow_multiple = true to draw with replacement)");
        if (c.allow_multiple && c.n > 0 && pool == 0)
            throw ParamError("connect.n", "connect.n = " + std::to_string(c.n) + " but there are no candidates");
    }
    if (c.rule == Rule::fixed_total_number) {
        if (!c.allow_multiple)
            throw ParamError("connect.allow_multiple", "fixed_total_number draws pairs with replacement: allow_multiple = false is not supported");
        const std::uint64_t pool = pre.size - (same && !c.allow_self ? 1 : 0);
        if (c.n > 0 && pool == 0)
            throw ParamError("connect.n", "connect.n = " + std::to_string(c.n) + " but there are no candidates");
    }
    if (c.rule == Rule::table) {
        MYELIN_ASSERT(c.table);
        const ConnectionTable& t = *c.table;
        if (t.post.size() != t.pre.size() || t.weight.size() != t.pre.size() || t.delay.size() != t.pre.size())
            throw ParamError("connections", "the columns of the connection table differ in length");
        for (std::size_t k = 0; k < t.pre.size(); ++k) {
            if (t.pre[k] >= pre.size || t.post[k] >= post.size)
                throw ParamError("connections", "connection (" + std::to_string(t.pre[k]) + ", " + std::to_string(t.post[k]) +
                                                    ") is outside the populations (" + std::to_string(pre.size) + " x " +
                                                    std::to_string(post.size) + ")");
            if (k > 0 && (t.pre[k] < t.pre[k - 1] || (t.pre[k] == t.pre[k - 1] && t.post[k] < t.post[k - 1])))
                throw ParamError("connections", "the connection table is not sorted by pre, then post neuron");
            if (t.delay[k] == 0) throw ParamError("connections", "a connection has a delay of 0 steps");
        }
    }
    if (c.rule == Rule::from_list)
        for (const auto& entry : c.list) {
            if (entry.pre >= pre.size || entry.post >= post.size)
                throw ParamError("connect.list", "connection (" + std::to_string(entry.pre) + ", " +
                                                     std::to_string(entry.post) + ") is outside the populations (" +
                                                     std::to_string(pre.size) + " x " + std::to_string(post.size) + ")");
            if (same && !c.allow_self && entry.pre == entry.post)
                throw ParamError("connect.list", "connection (" + std::to_string(entry.pre) + ", " +
                                                     std::to_string(entry.post) + ") is a self-connection, but allow_self = false");
        }
}

void validate_projections(const NetworkSpec& spec, const ModelRegistry& models, const PlasticityRegistry& rules) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < spec.projections.size(); ++i) {
        const ProjectionSpec& proj = spec.projections[i];
        const std::string item = "projection " + quoted(proj.name);
        if (!names.insert(proj.name).second)
            throw SpecError(Section::projection, i, "name", "projection name " + quoted(proj.name) + " is used twice");
        const PopulationSpec& pre = named_population(spec, Section::projection, i, "pre", item, proj.pre);
        const PopulationSpec& post = named_population(spec, Section::projection, i, "post", item, proj.post);
        const ModelInfo& post_model = models.at(post.model);
        if (post_model.spike_source)
            throw SpecError(Section::projection, i, "post",
                            item + ": post population " + quoted(post.name) + " is a spike source (" + post_model.name + ") and takes no input");
        locate(Section::projection, i, item, "", [&] {
            validate_connector(proj, pre, post);
            validate_value(proj.weight, "weight", "");
            const auto [low, high] = value_range(proj.weight);
            validate_weight_sign(low, high, post_model.conductance_based, proj.receptor, "weight");
            if (proj.connect.list_has_weight)
                for (const auto& entry : proj.connect.list)
                    validate_weight_sign(entry.weight, entry.weight, post_model.conductance_based, proj.receptor, "connect.list (weight column)");
            validate_delay(proj.delay, spec.dt);
            require(proj.release_probability >= 0.0 && proj.release_probability <= 1.0, "release_probability",
                    proj.release_probability, "must be within [0, 1]");
            if (proj.plasticity && proj.release_probability < 1.0)
                throw ParamError("release_probability", "release_probability < 1 is not supported on plastic projections yet");
            if (proj.connect.list_has_delay)
                for (const auto& entry : proj.connect.list)
                    validate_delay(ValueSpec::constant(entry.delay), spec.dt);
            if (!proj.transmit.empty()) {
                require_state_variable(models.at(pre.model), pre, proj.transmit, "transmit");
                if (proj.plasticity)
                    throw ParamError("transmit", "a graded projection (transmit = " + quoted(proj.transmit) +
                                                     ") cannot be plastic: plasticity rules learn from spike events");
                if (proj.release_probability < 1.0)
                    throw ParamError("release_probability", "release_probability < 1 needs spike events; a graded "
                                                            "projection (transmit) carries values every step");
            }
        });
        if (proj.plasticity) {
            const PlasticitySpec& plasticity = *proj.plasticity;
            const auto rule_names = rules.rule_names();
            if (std::find(rule_names.begin(), rule_names.end(), plasticity.rule) == rule_names.end())
                throw SpecError(Section::projection, i, "plasticity.rule",
                                item + ": unknown plasticity rule " + quoted(plasticity.rule) +
                                    did_you_mean(plasticity.rule, rule_names) + "; known rules: " + join(rule_names));
            const PlasticityInfo* info = rules.find(plasticity.rule, plasticity.weight_dependence);
            if (!info) {
                const auto choices = rules.weight_dependences(plasticity.rule);
                throw SpecError(Section::projection, i, "plasticity.weight_dependence",
                                item + ": unknown weight_dependence " + quoted(plasticity.weight_dependence) +
                                    did_you_mean(plasticity.weight_dependence, choices) + "; valid: " + join(choices));
            }
            const auto pairings = PlasticityRegistry::pairings();
            if (std::find(pairings.begin(), pairings.end(), plasticity.pairing) == pairings.end())
                throw SpecError(Section::projection, i, "plasticity.pairing",
                                item + ": unknown pairing " + quoted(plasticity.pairing) +
                                    did_you_mean(plasticity.pairing, pairings) + "; valid: " + join(pairings));
            locate(Section::projection, i, item, "plasticity.", [&] { info->validate(plasticity); });
            if (!proj.delay.is_constant() || proj.connect.list_has_delay)
                throw SpecError(Section::projection, i, "delay",
                                item + ": a plastic projection needs one delay for all its synapses (a constant)");
        }
    }
}

void validate_poisson_inputs(const NetworkSpec& spec, const ModelRegistry& models) {
    for (std::size_t i = 0; i < spec.poisson_inputs.size(); ++i) {
        const PoissonInputSpec& in = spec.poisson_inputs[i];
        const std::string item = "poisson_input onto " + quoted(in.target);
        const PopulationSpec& target = named_population(spec, Section::poisson_input, i, "target", item, in.target);
        const ModelInfo& model = models.at(target.model);
        if (model.spike_source)
            throw SpecError(Section::poisson_input, i, "target", item + ": " + quoted(target.name) + " is a spike source and takes no input");
        locate(Section::poisson_input, i, item, "", [&] {
            require_non_negative("rate", in.rate, "Hz");
            validate_weight_sign(in.weight, in.weight, model.conductance_based, in.receptor, "weight");
            require_non_negative("start", in.start, "ms");
            require(in.stop < 0.0 || in.stop >= in.start, "stop", in.stop, "must be >= start", "ms");
            // The per-step mean rate*dt must stay where the sampler is exact and fast.
            require(in.rate * spec.dt / 1000.0 <= 1e6, "rate", in.rate, "is too high for one step", "Hz");
        });
    }
}

}  // namespace

void validate(const NetworkSpec& spec, const ModelRegistry& models, const PlasticityRegistry& rules) {
    if (!(spec.dt > 0.0) || !std::isfinite(spec.dt))
        throw SpecError(Section::simulation, 0, "dt", "dt = " + format_number(spec.dt) + " must be > 0 (ms)");
    validate_populations(spec, models);
    validate_projections(spec, models, rules);
    validate_poisson_inputs(spec, models);
}

}  // namespace myelin::sim
