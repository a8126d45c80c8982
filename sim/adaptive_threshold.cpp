// Parameters of the adaptive threshold (adaptive_threshold.hpp).
#include "sim/adaptive_threshold.hpp"

#include "sim/error.hpp"
#include "sim/param_check.hpp"
#include "sim/suggest.hpp"

#include <algorithm>

namespace myelin::sim {

ThresholdHomeostasisParams threshold_homeostasis_from(const std::map<std::string, double>& given) {
    ThresholdHomeostasisParams params;
    for (const auto& [key, value] : given) {
        const auto* field = std::find_if(threshold_homeostasis_fields.begin(), threshold_homeostasis_fields.end(),
                                         [&](const auto& f) { return f.key == key; });
        if (field == threshold_homeostasis_fields.end()) {
            std::vector<std::string> keys;
            for (const auto& f : threshold_homeostasis_fields) keys.emplace_back(f.key);
            throw ParamError(key, "unknown homeostasis parameter \"" + key + "\"" + did_you_mean(key, keys) +
                                      "; valid: " + join(keys));
        }
        params.*(field->member) = value;
    }
    validate_threshold_homeostasis(params);
    return params;
}

void validate_threshold_homeostasis(const ThresholdHomeostasisParams& p) {
    require_non_negative("target_rate", p.target_rate, "Hz");
    require_positive("tau", p.tau, "ms");
    require_non_negative("eta", p.eta, "mV/spike");
}

}  // namespace myelin::sim
