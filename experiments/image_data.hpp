// A dataset split as the gradient trainers' input (BPTT, TESS): intensities in [0, 1].
#pragma once

#include "io/datasets.hpp"
#include "io/toml_reader.hpp"
#include "learning/image_encoding.hpp"

#include <string>

namespace myelin::cli {

// The first `limit` images (0: all) of `split` of dataset `name` (io::dataset_names()).
learning::ImageData load_image_data(const std::string& name, io::Split split, std::size_t limit);

// The `dataset` key of a trainer's table (default `fallback`): a name of io::dataset_names(), or a
// ConfigError at the key with a "did you mean".
std::string read_dataset_key(const io::TableReader& table, const std::string& fallback);

// A count key of a gradient trainer's table (sizes, steps, epochs, samples): an integer within
// [1, 2^30] ([0, 2^30] with `zero_ok`), or a ConfigError at the key.
std::size_t read_count(const io::TableReader& table, const std::string& key, std::size_t fallback, bool zero_ok);

}  // namespace myelin::cli
