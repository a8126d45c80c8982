// The [data] and [sym_stdp] tables of `myelin train` with algorithm = "sym_stdp" (docs/learning.md):
// which images, how many, and every parameter of the Hao et al. network (ALGORITHMS.md 3).
#pragma once

#include "io/toml_reader.hpp"
#include "learning/sym_stdp_network.hpp"
#include "learning/sym_stdp_training.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace myelin::cli {

struct ImageDataSpec {
    std::string dataset = "mnist";      // io::dataset_names()
    std::string directory;              // empty: the reader's default
    std::size_t train_samples = 0;      // 0: all; else a fixed Philox subset of this many
    std::size_t test_samples = 0;
    std::size_t validation_samples = 0; // > 0: hold out this many training images and evaluate on them, not on the test set
    std::vector<int> classes;           // empty: all ten
    double mean_pixel = 0.0;            // > 0: scale each image to this mean grey level (Fashion: 30)
};

struct SymStdpSpec {
    learning::SymStdpNetworkParams network;
    learning::SymStdpSchedule schedule; // what learns in which epoch
    double vote_memory = 10000.0;       // samples the vote readout averages over
    std::size_t report_every = 1000;    // progress line every this many samples
    ImageDataSpec data;
};

void read_image_data(const io::TableReader& table, ImageDataSpec& data);
void read_sym_stdp(const io::TableReader& table, SymStdpSpec& spec);
std::vector<std::string> image_data_keys();
std::vector<std::string> sym_stdp_keys();

}  // namespace myelin::cli
