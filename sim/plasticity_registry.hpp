// The catalogue of plasticity rules a projection can name, by rule and weight dependence.
// Filled explicitly by learning/register_rules.cpp, like the model registry.
#pragma once

#include "sim/model_registry.hpp"
#include "sim/plastic_projection.hpp"

namespace myelin::sim {

// What a plastic projection's factory gets besides the rule's spec.
struct PlasticProjectionParts {
    std::string name;
    std::size_t pre = 0, post = 0;  // population indices
    int channel = 0;
    SynapseStore store;
    double dt = 0.1;
    std::size_t n_pre = 0, n_post = 0;
    Partition post_partition;
    bool direct = false;  // deliver into the post population's input columns
};

struct PlasticityInfo {
    std::string rule, weight_dependence;
    std::vector<ParamInfo> params;
    std::function<void(const PlasticitySpec&)> validate;  // throws ParamError naming the key
    std::function<std::unique_ptr<Projection>(PlasticProjectionParts&&, const PlasticitySpec&)> create;
};

class PlasticityRegistry {
public:
    template <PlasticityRule Rule>
    void add() {
        PlasticityInfo info;
        info.rule = std::string(Rule::name);
        info.weight_dependence = std::string(Rule::weight_dependence);
        const typename Rule::Params defaults{};
        for (const auto& f : Rule::param_fields)
            info.params.push_back({std::string(f.key), std::string(f.unit), defaults.*(f.member)});
        info.validate = [](const PlasticitySpec& spec) { Rule::validate(params_from<Rule>(spec.params)); };
        info.create = [](PlasticProjectionParts&& parts, const PlasticitySpec& spec) {
            if (spec.pairing == NearestPairing::name) return create<Rule, NearestPairing>(std::move(parts), spec);
            if (spec.pairing == AllToAllPairing::name) return create<Rule, AllToAllPairing>(std::move(parts), spec);
            throw InternalError("pairing \"" + spec.pairing + "\" was not validated; please report");
        };
        if (find(info.rule, info.weight_dependence))
            throw InternalError("plasticity rule " + info.rule + "/" + info.weight_dependence + " registered twice");
        rules_.push_back(std::move(info));
    }

    const PlasticityInfo* find(std::string_view rule, std::string_view weight_dependence) const;
    std::vector<std::string> rule_names() const;
    std::vector<std::string> weight_dependences(std::string_view rule) const;
    const std::vector<PlasticityInfo>& rules() const { return rules_; }

    // The values of a projection's `pairing` key; every rule takes each of them.
    static std::vector<std::string> pairings() {
        return {std::string(AllToAllPairing::name), std::string(NearestPairing::name)};
    }

private:
    std::vector<PlasticityInfo> rules_;

    template <class Rule, class Pairing>
    static std::unique_ptr<Projection> create(PlasticProjectionParts&& parts, const PlasticitySpec& spec) {
        return std::make_unique<PlasticProjection<Rule, Pairing>>(
            std::move(parts.name), parts.pre, parts.post, parts.channel, std::move(parts.store),
            params_from<Rule>(spec.params), parts.dt, parts.n_pre, parts.n_post, parts.post_partition, parts.direct);
    }

    template <class Rule>
    static typename Rule::Params params_from(const std::map<std::string, double>& given) {
        typename Rule::Params params{};
        for (const auto& [key, value] : given) {
            const auto* field = std::find_if(Rule::param_fields.begin(), Rule::param_fields.end(),
                                             [&](const auto& f) { return f.key == key; });
            if (field == Rule::param_fields.end()) {
                std::vector<std::string> keys{"rule", "weight_dependence", "pairing"};
                for (const auto& f : Rule::param_fields) keys.emplace_back(f.key);
                throw ParamError(key, "unknown parameter \"" + key + "\" for plasticity rule " +
                                          std::string(Rule::name) + did_you_mean(key, keys) +
                                          "; valid: " + join(keys));
            }
            params.*(field->member) = value;
        }
        return params;
    }
};

}  // namespace myelin::sim
