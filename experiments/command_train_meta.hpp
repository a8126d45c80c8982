// myelin train with algorithm = "meta" (docs/learning.md "Meta neuron"): one training run with a
// progress display and an HDF5 report, or --compare: fixed against learned intrinsic parameters
// for every rule over several seeds, printed as the paper-style table with a paired t-test.
#pragma once

#include "experiments/commands.hpp"
#include "experiments/train_config.hpp"

namespace myelin::cli {

int train_meta(const TrainOptions& options, const TrainSpec& spec, bool compare);

}  // namespace myelin::cli
