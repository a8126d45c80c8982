// The config of a spatial-pattern study (docs/learning.md, "Davies spatial patterns"): which
// pattern sets to train, the training network's timing and STDP rule, and the homeostatic factor.
#pragma once

#include "experiments/spatial_patterns.hpp"

#include <string>

namespace myelin::cli {

struct SpatialPatternStudy {
    SpatialPatternSetup setup;
    std::vector<std::vector<std::uint32_t>> trained;  // one experiment per list of patterns
    bool simulate_evaluation = true;                  // false: the idealised model only
};

// Throws ConfigError naming file:line:column and the key; rules and parameters are validated.
SpatialPatternStudy parse_spatial_patterns(const std::string& text, const std::string& path, const Catalogue& catalogue);
SpatialPatternStudy load_spatial_patterns(const std::string& path, const Catalogue& catalogue);

}  // namespace myelin::cli
