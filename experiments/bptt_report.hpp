// The HDF5 report of `myelin train` with algorithm = "bptt" (docs/learning.md): loss, accuracy
// and spike rate per epoch and the trained network, written whole or not at all.
#pragma once

#include "experiments/train_config.hpp"
#include "learning/bptt_training.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

struct BpttEpochRecord {
    std::size_t epoch = 0;
    learning::BpttEvaluation train;  // running means during the epoch
    learning::BpttEvaluation test;   // after the epoch
    double eps = 0.0;                // the Ultra layer's temperature after the epoch
    double seconds = 0.0;            // wall time of the epoch (training and test)
};

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
