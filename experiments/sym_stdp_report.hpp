// The HDF5 report of `myelin train` for algorithm = "sym_stdp" (docs/learning.md): accuracy per
// epoch with both readouts, confusion matrices, learned weights as receptive fields, written to a
// temporary file and renamed, so the output is whole or absent.
#pragma once

#include "experiments/train_config.hpp"
#include "learning/sym_stdp_training.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

struct SymStdpReport {
    std::vector<learning::SymStdpEpochResult> epochs;
    std::size_t train_images = 0, test_images = 0, image_rows = 28, image_columns = 28;
    int threads = 1;
    double seconds = 0.0;
    std::string evaluated_on = "test";   // or "validation": images held out of the training split
};

// /meta (attributes), /epochs/<per-epoch columns>, /confusion/{supervised,vote} [10][10] of the last
// test, /weights/input_exc [n_exc][pixels] (attributes rows, columns), /weights/exc_cls [n_exc][10],
// /theta [n_exc], /assignments [n_exc]. Throws IoError; nothing is left behind then.
void write_sym_stdp_report(const std::string& path, const TrainSpec& spec, const SymStdpReport& report,
                           const learning::SymStdpTrainer& trainer);

}  // namespace myelin::cli
