// The plasticity catalogue (plasticity_registry.hpp).
#include "sim/plasticity_registry.hpp"

namespace myelin::sim {

const PlasticityInfo* PlasticityRegistry::find(std::string_view rule, std::string_view weight_dependence) const {
    for (const auto& r : rules_)
        if (r.rule == rule && r.weight_dependence == weight_dependence) return &r;
    return nullptr;
}

std::vector<std::string> PlasticityRegistry::rule_names() const {
    std::vector<std::string> out;
    for (const auto& r : rules_)
        if (std::find(out.begin(), out.end(), r.rule) == out.end()) out.push_back(r.rule);
    return out;
}

std::vector<std::string> PlasticityRegistry::weight_dependences(std::string_view rule) const {
    std::vector<std::string> out;
    for (const auto& r : rules_)
        if (r.rule == rule) out.push_back(r.weight_dependence);
    return out;
}

}  // namespace myelin::sim
