// The [task] (kind = "poisson_rates") and [meta] tables of `myelin train` with algorithm = "meta"
// (docs/learning.md "Meta neuron"): the synthetic Poisson task of ALGORITHMS.md 6.4 and the
// meta-neuron trainer's settings, validated with file:line:column errors.
#pragma once

#include "io/toml_reader.hpp"
#include "learning/meta_training.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

// K classes; a sample of class c is `inputs` independent Poisson trains at rates[c] Hz, binned at dt.
struct PoissonTaskSpec {
    std::vector<double> rates{10.0, 20.0, 30.0};  // Hz, one per class
    std::size_t inputs = 20;
    double duration = 1000.0;  // ms
    double dt = 1.0;           // ms
    std::size_t train_per_class = 200, test_per_class = 200;
    std::size_t steps() const;
};

struct MetaSpec {
    PoissonTaskSpec task;
    learning::MetaTrainParams train;
};

// Reads [task] and [meta] of `top` (either may be absent: defaults). Throws ConfigError.
void read_meta_tables(const io::TableReader& top, MetaSpec& spec);

}  // namespace myelin::cli
