// The HDF5 report of a meta-neuron training run (docs/learning.md "Meta neuron"): settings,
// per-epoch progress, test accuracies, and the learned weights and intrinsic parameters in the
// engine's MetaNeuron units. Written to a temporary file and renamed: whole or absent.
#pragma once

#include "experiments/meta_experiment.hpp"
#include "experiments/train_config.hpp"

#include <string>

namespace myelin::cli {

// /meta (attributes), /epochs/{epoch,loss,train_accuracy}, /test (attributes: count_accuracy,
// lzc_accuracy, seconds_per_sample, synaptic_events, mean_rate_hz), /weights [neuron * inputs]
// (attributes neurons, inputs), /intrinsics/{tau_m,v_thresh,temperature}. Throws IoError.
void write_meta_report(const std::string& path, const TrainSpec& spec, const MetaRun& run);

}  // namespace myelin::cli

namespace myelin::cli {

// One cell of the --compare table: a (rule, fixed or learned, seed) run.
struct MetaCompareRow {
    std::string rule;
    bool learned = false;
    std::uint64_t seed = 0;
    double lzc_accuracy = 0.0, rule_accuracy = 0.0, seconds = 0.0;  // rule_accuracy: the rule's own read-out (NaN: none)
};

// /meta (attributes), /compare/{rule,learned,seed,lzc_accuracy,rule_accuracy,seconds}: one entry per run.
void write_meta_compare_report(const std::string& path, const TrainSpec& spec, const std::vector<MetaCompareRow>& rows);

}  // namespace myelin::cli
