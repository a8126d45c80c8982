// Synaptic scaling (Hao et al. 2020; ALGORITHMS.md 3.5): before every sample, each post neuron's
// input weights are multiplied so that they sum to a fixed total. Weights are stored dense as
// [pre][post] (row = one pre neuron), the layout in which spike delivery reads a contiguous row.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace myelin::learning {

// Scales column i of the row-major [n_pre][n_post] matrix `w` to sum `target` for every i.
// `sums` is scratch space of n_post doubles. A column summing to zero is left as it is (there is
// nothing to scale). Sums are accumulated in double, in pre order, so the result is exact to
// float rounding and independent of threads.
void scale_columns_to_sum(std::span<float> w, std::size_t n_pre, std::size_t n_post, double target,
                          std::vector<double>& sums);

}  // namespace myelin::learning
