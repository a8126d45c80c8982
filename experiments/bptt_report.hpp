// The HDF5 report of `myelin train` with algorithm = "bptt" (docs/learning.md): loss, accuracy
// and spike rate per epoch and the trained network, written whole or not at all.
#pragma once

#include "experiments/epoch_report.hpp"
#include "experiments/train_config.hpp"
#include "learning/bptt_training.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

using BpttEpochRecord = EpochRecord;

struct BpttReport {
    std::vector<BpttEpochRecord> epochs;
    std::size_t train_samples = 0, test_samples = 0;
    double seconds = 0.0;
};

// /meta (attributes), /epochs/{epoch, loss, train_accuracy, spike_rate, test_loss,
// test_accuracy, test_spike_rate, eps, seconds}, /network/{w1 [hidden][inputs], b1,
// w2 [classes][hidden], b2, tau [hidden], eps}. Throws IoError; leaves nothing behind then.
void write_bptt_report(const std::string& path, const TrainSpec& spec, const BpttReport& report,
                       const learning::BpttTrainer& trainer);

}  // namespace myelin::cli
