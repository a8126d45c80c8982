// The [task] (kind = "poisson_rates" or "renewal") and [meta] tables of `myelin train` with algorithm = "meta"
// (docs/learning.md "Meta neuron"): the synthetic Poisson task of ALGORITHMS.md 6.4 and the
// meta-neuron trainer's settings, validated with file:line:column errors.
#pragma once

#include "io/toml_reader.hpp"
#include "learning/meta_training.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

// K classes; a sample of class c is `inputs` independent trains at rates[c] Hz, binned at dt:
// Poisson trains (kind "poisson_rates"), or, for kind "renewal", gamma renewal trains of shape
// shapes[c] at one rate for every class (rates then holds that rate K times), so that only the
// trains' regularity, not their rate, tells the classes apart.
struct PoissonTaskSpec {
    std::vector<double> rates{10.0, 20.0, 30.0};  // Hz, one per class
    std::vector<double> shapes;                   // renewal: gamma shape per class (1 = Poisson)
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
