// Flattening a built network into a NetworkPlan for the GPU backend (host code, g++ only).
#pragma once

#include "sim/cuda/network_plan.hpp"
#include "sim/network.hpp"

namespace myelin::sim::cuda {

// The plan for `steps` steps of `copies` (one validated spec per copy, as io::batch_specs gives;
// they differ only in neuron parameters and seeds), with `first`, copy 0 built on the CPU
// (on any number of threads). Throws Error naming what the GPU backend does not run (plasticity, release
// probability, models other than IF_curr_exp, IF_cond_exp, IF_curr_delta, SpikeSourceArray,
// SpikeSourcePoisson, Poisson means above 10 per step).
NetworkPlan make_plan(const std::vector<NetworkSpec>& copies, const Network& first, std::int64_t steps,
                      const ModelRegistry& models, const PlasticityRegistry& rules);

}  // namespace myelin::sim::cuda
