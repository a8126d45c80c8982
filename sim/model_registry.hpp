// The catalogue of neuron models and spike sources a config can name. An ordinary object that
// main() fills (models/register_models.cpp) and passes down; no static registration.
#pragma once

#include "sim/adaptive_threshold.hpp"
#include "sim/error.hpp"
#include "sim/network_spec.hpp"
#include "sim/neuron_population.hpp"
#include "sim/suggest.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace myelin::sim {

struct ParamInfo {
    std::string key, unit;
    double default_value = 0.0;
};

struct StateInfo {
    std::string name, unit;
};

// What a population's factory gets besides its spec.
struct PopulationContext {
    double dt = 0.1;                  // ms
    std::uint64_t seed = 0;
    std::uint32_t population_index = 0;
};

struct ModelInfo {
    std::string name;
    std::string description;
    std::vector<ParamInfo> params;
    std::vector<StateInfo> state;
    bool spike_source = false;
    bool conductance_based = false;
    bool single_precision = false;  // has a float form, built when the spec's precision asks
    int receptors = 0;
    bool adaptive_threshold = false;  // takes `homeostasis` (sim/adaptive_threshold.hpp)
    bool image_sequence = false;      // presents PopulationSpec::frames (encoder = { first, count })
    // Throws ParamError naming the key (unknown keys included).
    std::function<void(const PopulationSpec&, double dt)> validate;
    // Optional: throws ParamError if `init.<variable>` may take a value in [low, high] that the
    // model cannot use (per-neuron parameters kept as state columns, such as a temperature).
    std::function<void(const std::string& variable, double low, double high)> validate_init;
    std::function<std::unique_ptr<Population>(const PopulationSpec&, const PopulationContext&)> create;
};

// Fills a model's Params from the keys a config gave; the others keep their defaults.
template <NeuronModel M>
typename M::Params params_from(const std::map<std::string, double>& given) {
    typename M::Params params{};
    for (const auto& [key, value] : given) {
        const auto* field = std::find_if(M::param_fields.begin(), M::param_fields.end(),
                                         [&](const auto& f) { return f.key == key; });
        if (field == M::param_fields.end()) {
            std::vector<std::string> keys;
            for (const auto& f : M::param_fields) keys.emplace_back(f.key);
            throw ParamError(key, "unknown parameter \"" + key + "\" for model " +
                                      std::string(M::name) + did_you_mean(key, keys) +
                                      "; valid: " + join(keys));
        }
        params.*(field->member) = value;
    }
    return params;
}

// The state variables of a population of `model` as `spec` configures it: the model's, and theta
// and rate where homeostasis is on. What `init` and `[[record]] state` may name.
std::vector<StateInfo> state_variables(const ModelInfo& model, const PopulationSpec& spec);

class ModelRegistry {
public:
    template <NeuronModel M>
    void add(std::string description) {
        add(describe<M>(std::move(description)));
    }
    // A model with a single-precision form `Single` (the same model with float state and
    // arithmetic), built when a population's spec asks for it.
    template <NeuronModel M, NeuronModel Single>
    void add(std::string description) {
        static_assert(M::name == Single::name);
        ModelInfo info = describe<M>(std::move(description));
        info.single_precision = true;
        info.create = [](const PopulationSpec& spec, const PopulationContext& context) {
            return spec.precision == Precision::single_precision ? create<Single>(spec, context) : create<M>(spec, context);
        };
        add(std::move(info));
    }
    void add(ModelInfo info);

    const ModelInfo* find(std::string_view name) const;
    const ModelInfo& at(std::string_view name) const;  // throws Error with a suggestion
    std::vector<std::string> names() const;
    std::vector<std::string> adaptive_threshold_names() const;  // the models that take `homeostasis`
    const std::vector<ModelInfo>& models() const { return models_; }

private:
    // A population of M, or of AdaptiveThreshold<M> when the spec has `homeostasis`.
    template <NeuronModel M>
    static std::unique_ptr<Population> create(const PopulationSpec& spec, const PopulationContext& context) {
        const RandomKey random_key = RandomKey::make(context.seed, RandomPurpose::neuron_model, context.population_index);
        if (spec.homeostasis) {
            if constexpr (ThresholdAdaptable<M>) {
                const typename AdaptiveThreshold<M>::Params params{params_from<M>(spec.params),
                                                                   threshold_homeostasis_from(spec.homeostasis->params)};
                return std::make_unique<NeuronPopulation<AdaptiveThreshold<M>>>(spec.name, spec.size, params, context.dt,
                                                                                random_key);
            }
            throw InternalError("homeostasis on model " + std::string(M::name) + " was not validated");
        }
        return std::make_unique<NeuronPopulation<M>>(spec.name, spec.size, params_from<M>(spec.params), context.dt, random_key);
    }

    template <NeuronModel M>
    static ModelInfo describe(std::string description) {
        ModelInfo info;
        info.name = std::string(M::name);
        info.description = std::move(description);
        const typename M::Params defaults{};
        for (const auto& f : M::param_fields)
            info.params.push_back({std::string(f.key), std::string(f.unit), defaults.*(f.member)});
        for (const auto& f : M::state_fields) info.state.push_back({std::string(f.name), std::string(f.unit)});
        info.conductance_based = M::conductance_based;
        info.receptors = M::receptors;
        info.validate = [](const PopulationSpec& spec, double) { M::validate(params_from<M>(spec.params)); };
        if constexpr (requires { M::validate_init(std::string{}, 0.0, 0.0); })
            info.validate_init = [](const std::string& variable, double low, double high) {
                M::validate_init(variable, low, high);
            };
        info.adaptive_threshold = ThresholdAdaptable<M>;
        info.create = &create<M>;
        return info;
    }

    std::vector<ModelInfo> models_;
};

}  // namespace myelin::sim
