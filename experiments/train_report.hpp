// The HDF5 report of `myelin train` (docs/learning.md): progress per cycle and learned weights,
// written to a temporary file and renamed, so the output is whole or absent.
#pragma once

#include "experiments/train_config.hpp"
#include "learning/tempotron_training.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

struct TrainReport {
    std::vector<learning::CycleResult> cycles;
    std::vector<double> weights;   // learned weights, one per afferent
    double seconds = 0.0;          // wall time of training
};

// /meta (attributes: algorithm, config text, seed, version), /cycles/{cycle,accuracy,sweep_errors},
// /weights. Throws IoError if the file cannot be written; nothing is left behind then.
void write_train_report(const std::string& path, const TrainSpec& spec, const TrainReport& report);

}  // namespace myelin::cli
