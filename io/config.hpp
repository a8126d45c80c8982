// Reading an experiment config (TOML, docs/config.md) into a RunSpec, validated whole: every
// error names file:line:column and the key, with a suggestion for near-miss keys.
#pragma once

#include "io/run_spec.hpp"
#include "sim/model_registry.hpp"
#include "sim/plasticity_registry.hpp"

#include <string>
#include <vector>

namespace myelin::io {

struct ConfigOverrides {
    std::vector<std::string> set;  // "key.path=value", value in TOML syntax (bare strings allowed)
};

// Throws ConfigError (file:line:column: message) for anything invalid; nothing is built.
RunSpec load_config(const std::string& path, const ConfigOverrides& overrides,
                    const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules);

// The same from text, for tests; `path` names it in messages and anchors relative file names.
RunSpec parse_config(const std::string& text, const std::string& path, const ConfigOverrides& overrides,
                     const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules);

}  // namespace myelin::io
