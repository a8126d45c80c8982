// The config of `myelin train` (docs/learning.md): a [train] table that names the algorithm,
// the task it learns and the algorithm's own table, validated whole with file:line errors.
#pragma once

#include "experiments/bptt_config.hpp"
#include "experiments/meta_config.hpp"
#include "experiments/sym_stdp_config.hpp"
#include "experiments/tess_config.hpp"
#include "learning/tempotron.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace myelin::cli {

// The random-latency task of ALGORITHMS.md 7.4 (models/synthetic_tasks.hpp).
struct LatencyTaskSpec {
    std::size_t afferents = 500;
    std::size_t patterns = 500;
    double duration = 500.0;  // ms
};

struct TrainSpec {
    std::string path, text;              // the config file and its text (stored in the report)
    std::string algorithm = "tempotron"; // one of train_algorithms()
    std::uint64_t seed = 1;              // task data, initial weights and pattern order
    std::size_t cycles = 500;            // most sweeps over the patterns; stops early at 100%; sym_stdp: epochs
    int threads = 0;                     // 0: all cores
    LatencyTaskSpec task;
    learning::TempotronParams tempotron;
    BpttSpec bptt;                       // [bptt]: algorithm = "bptt"
    MetaSpec meta;                       // algorithm "meta": [task] kind = "poisson_rates" and [meta]
    SymStdpSpec sym_stdp;                // [data] and [sym_stdp], for algorithm = "sym_stdp"
    TessSpec tess;                       // [tess]: algorithm = "tess"
    std::string output;                  // [output] file; empty: <config stem>.h5
};

std::vector<std::string> train_algorithms();

// Throws ConfigError (file:line:column, the key and the value) for any invalid or unknown key.
TrainSpec parse_train_config(const std::string& text, const std::string& path);
TrainSpec load_train_config(const std::string& path);

}  // namespace myelin::cli
