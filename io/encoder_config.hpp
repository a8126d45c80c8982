// The `encoder` table of a [[population]] (docs/config.md): one dataset image as the
// intensities of an encoder population (PoissonEncoder, LatencyEncoder).
#pragma once

#include "io/toml_reader.hpp"
#include "sim/model_registry.hpp"
#include "sim/network_spec.hpp"

#include <filesystem>

namespace myelin::io {

// Reads `encoder = { dataset, split, index, path }` from the population table and sets
// spec.init["intensity"] to the image's grey levels / 255. Throws ConfigError at the key for
// a model without intensities, an unknown dataset or split, an index out of range, a size
// that is not the image's pixel count, or a missing dataset (naming the package to install).
void read_encoder(const TableReader& population, const sim::ModelRegistry& models,
                  const std::filesystem::path& config_directory, sim::PopulationSpec& spec);

}  // namespace myelin::io
