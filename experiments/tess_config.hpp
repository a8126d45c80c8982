// The [tess] table of `myelin train` (docs/learning.md, "TESS"): the network, the rule and its
// mode, the learners to run on the identical network (TESS, its BPTT reference) and the dataset,
// validated with file:line errors.
#pragma once

#include "io/toml_reader.hpp"
#include "learning/tess_training.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

struct TessSpec {
    learning::TessSettings settings;
    std::vector<learning::TessLearner> learners{learning::TessLearner::tess};  // run in this order
    std::string dataset = "fashion-mnist";  // io::dataset_names()
    std::size_t train_samples = 0;          // the first this many training images; 0: all
    std::size_t test_samples = 0;           // the first this many test images; 0: all
};

std::vector<std::string> tess_keys();
void read_tess(const io::TableReader& table, TessSpec& spec);

}  // namespace myelin::cli
