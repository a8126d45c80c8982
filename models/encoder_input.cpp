// Checks of the encoders' intensity input (encoder_input.hpp).
#include "models/encoder_input.hpp"

#include "sim/param_check.hpp"

#include <algorithm>
#include <string>

namespace myelin::models {

void validate_intensity_init(const sim::PopulationSpec& spec, std::string_view model) {
    const std::string key(intensity_variable);
    const auto it = spec.init.find(key);
    if (it == spec.init.end())
        throw ParamError(key, std::string(model) + " needs intensities: give encoder = { dataset = \"mnist\", "
                              "split = \"test\", index = 0 } or init = { intensity = ... } (values in [0, 1])");
    const sim::ValueSpec& v = it->second;
    const auto check = [&](double x) {
        sim::require(x >= 0.0 && x <= 1.0, "init.intensity", x, "must be within [0, 1]");
    };
    switch (v.kind) {
        case sim::ValueSpec::Kind::constant: check(v.a); break;
        case sim::ValueSpec::Kind::uniform: check(v.a); check(v.b); break;
        case sim::ValueSpec::Kind::normal:
            // Only a clipped normal stays inside [0, 1].
            if (!v.clip) throw ParamError(key, "init.intensity: a normal distribution needs clip = [lo, hi] within [0, 1]");
            check(v.clip->first);
            check(v.clip->second);
            break;
        case sim::ValueSpec::Kind::values: std::for_each(v.values.begin(), v.values.end(), check); break;
    }
}

}  // namespace myelin::models
