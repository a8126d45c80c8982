// The [bptt] table of `myelin train` (docs/learning.md, "BPTT through Ultra* neurons"): the
// network, the training schedule and the dataset, validated with file:line errors.
#pragma once

#include "io/toml_reader.hpp"
#include "learning/bptt_training.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

struct BpttSpec {
    learning::BpttSettings settings;
    std::string dataset = "fashion-mnist";  // io::dataset_names()
    std::size_t train_samples = 0;          // the first this many training images; 0: all
    std::size_t test_samples = 0;           // the first this many test images; 0: all
};

std::vector<std::string> bptt_keys();
void read_bptt(const io::TableReader& table, BpttSpec& spec);

}  // namespace myelin::cli
