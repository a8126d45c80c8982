// Import of a NIR graph as a Myelin config (docs/export.md "NIR"): neuron nodes become
// populations, Linear/Affine (+ Delay) paths from_list projections, Input nodes spike sources.
// Anything without an exact Myelin equivalent is refused by node name.
#pragma once

#include "io/nir_export.hpp"
#include "io/nir_format.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace myelin::io {

struct NirImportOptions {
    // NIR files carry no time unit: Myelin's own files say it in their metadata; for others
    // the user must (--time-unit). Given both and different, the import is refused.
    std::optional<NirTimeUnit> time_unit;
    std::optional<double> dt;        // ms; default: the file's metadata "dt", else required
    std::optional<double> duration;  // ms; default: the file's metadata, else 1000
};

struct NirImport {
    std::string config_text;
    std::vector<std::pair<std::string, std::string>> side_files;  // name (next to the config), content
    std::vector<std::string> notes;                                // choices the user should know
};

// Maps `graph` to a config whose side files are named after `config_stem` (they sit next to
// the config). Throws Error naming the node or setting that stops the import.
NirImport from_nir(const NirGraph& graph, const std::string& config_stem, const NirImportOptions& options);

// Reads `nir_path` and writes the config to `config_path` plus its side files, all or nothing.
std::vector<std::string> import_nir(const std::string& nir_path, const std::string& config_path,
                                    const NirImportOptions& options);

}  // namespace myelin::io
