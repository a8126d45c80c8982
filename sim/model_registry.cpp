// The model catalogue (model_registry.hpp).
#include "sim/model_registry.hpp"

namespace myelin::sim {

void ModelRegistry::add(ModelInfo info) {
    if (find(info.name)) throw InternalError("model \"" + info.name + "\" registered twice");
    models_.push_back(std::move(info));
}

const ModelInfo* ModelRegistry::find(std::string_view name) const {
    for (const auto& m : models_)
        if (m.name == name) return &m;
    return nullptr;
}

const ModelInfo& ModelRegistry::at(std::string_view name) const {
    if (const ModelInfo* m = find(name)) return *m;
    throw Error("unknown model \"" + std::string(name) + "\"" + did_you_mean(name, names()) +
                "; known models: " + join(names()));
}

std::vector<std::string> ModelRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& m : models_) out.push_back(m.name);
    return out;
}

std::vector<std::string> ModelRegistry::adaptive_threshold_names() const {
    std::vector<std::string> out;
    for (const auto& m : models_)
        if (m.adaptive_threshold) out.push_back(m.name);
    return out;
}

std::vector<StateInfo> state_variables(const ModelInfo& model, const PopulationSpec& spec) {
    std::vector<StateInfo> out = model.state;
    if (spec.homeostasis && model.adaptive_threshold)
        for (const auto& [name, unit] : threshold_homeostasis_state) out.push_back({std::string(name), std::string(unit)});
    return out;
}

}  // namespace myelin::sim
