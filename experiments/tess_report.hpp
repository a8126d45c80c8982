// The HDF5 report of `myelin train` with algorithm = "tess" (docs/learning.md): per learner
// (TESS, its BPTT reference) the epochs, the peak state and the trained network; the fixed LSG
// projections; written whole or not at all.
#pragma once

#include "experiments/epoch_report.hpp"
#include "experiments/train_config.hpp"
#include "learning/tess_training.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

struct TessRun {
    learning::TessLearner learner = learning::TessLearner::tess;
    std::vector<EpochRecord> epochs;
    std::vector<float> parameters;     // the trained network (TessLayout)
    std::size_t peak_state_bytes = 0;  // per 32-sample part (TessTrainer::peak_state_bytes)
    std::size_t peak_resident_kib = 0; // the process's peak resident set while this learner trained
    double best_accuracy = 0.0;
    std::size_t best_epoch = 0;
    double seconds = 0.0;
};

struct TessReport {
    std::vector<TessRun> runs;
    std::size_t train_samples = 0, test_samples = 0;
    double input_mean = 0.0, input_std = 1.0;
    double seconds = 0.0;
};

// /meta (attributes); /<learner>/epochs/{epoch, loss, train_accuracy, spike_rate, test_loss,
// test_accuracy, test_spike_rate, seconds}; /<learner>/network/{w1, w2, ... [n_l][n_{l-1}],
// head_w [classes][n_L], head_b} with attributes peak_state_bytes, peak_resident_kib,
// best_test_accuracy, best_epoch, wall_seconds; /lsg/projection1, ... [classes][n_l]. Throws IoError.
void write_tess_report(const std::string& path, const TrainSpec& spec, const TessReport& report);

}  // namespace myelin::cli
