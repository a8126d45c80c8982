// The input of the data encoders: one intensity in [0, 1] per neuron, held in a state column
// named "intensity" and set before the first step from `init.intensity` or, in a config, from
// a dataset image (`encoder = { dataset = ... }`, docs/encoders.md).
#pragma once

#include "sim/network_spec.hpp"

#include <string_view>

namespace myelin::models {

inline constexpr std::string_view intensity_variable = "intensity";

// Throws ParamError (key "intensity") when a population spec gives no intensities or values
// outside [0, 1]. Runs before the build, as every check does.
void validate_intensity_init(const sim::PopulationSpec& spec, std::string_view model);

}  // namespace myelin::models
