// `myelin train` for algorithm = "sym_stdp" (docs/learning.md): Hao et al. on MNIST/Fashion-MNIST.
#pragma once

#include "experiments/commands.hpp"
#include "experiments/train_config.hpp"

namespace myelin::cli {

int train_sym_stdp(const TrainOptions& options, const TrainSpec& spec, int threads);

}  // namespace myelin::cli
