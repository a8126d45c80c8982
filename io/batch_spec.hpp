// Batch mode from the command line (docs/config.md, "Batch mode"): B copies of one config, and
// --sweep KEY=FROM:TO:COUNT, which gives COUNT copies with KEY evenly spaced from FROM to TO.
#pragma once

#include "io/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace myelin::io {

struct Sweep {
    std::string key;             // a neuron parameter: population.NAME.params.KEY
    std::vector<double> values;  // one per copy
};

// Parses "population.exc.params.i_offset=0.1:0.5:16"; throws ConfigError naming --sweep.
Sweep parse_sweep(const std::string& text);

// The validated spec of every copy: copy b is the config with the overrides (and the sweep's
// value b), seeded as copy b (sim/batch.hpp). `batch`: from --batch (0: the config's). Throws
// ConfigError when the sweep and the batch size disagree or a copy's config is invalid.
std::vector<RunSpec> batch_specs(const std::string& path, const ConfigOverrides& overrides, int batch,
                                 const std::optional<Sweep>& sweep, const sim::ModelRegistry& models,
                                 const sim::PlasticityRegistry& rules);

}  // namespace myelin::io
