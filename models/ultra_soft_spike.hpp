// The soft spike and soft reset shared by UltraLIF, UltraPLIF and UltraDLIF (ALGORITHMS.md 5.3):
// s = sigmoid((V - theta)/eps), V <- V*(1 - s). The engine's spike event is the eps -> 0 limit
// of s: V >= theta (s >= 1/2).
#pragma once

#include "models/ultra_float_math.hpp"

#include <cmath>
#include <span>

namespace myelin::models {

// Writes s into soft[i] and the reset potential into v[i]; true if V reached the threshold.
// 1 - s is computed as its own fraction (not 1 - s), so the reset stays accurate when s is
// near 1, and one division serves both. Float precision (ultra_float_math.hpp); the spike
// decision itself compares doubles. Branch-free: the neuron loops vectorise.
inline bool soft_spike_and_reset(double v, double v_thresh, double inv_eps, std::span<double> v_out,
                                 std::span<double> soft, std::size_t i) noexcept {
    const double x = (v - v_thresh) * inv_eps;
    const float e_float = exp_nonpositive_float(static_cast<float>(-std::fabs(x)));  // in (0, 1]
    const double e = e_float, r = 1.0f / (1.0f + e_float);
    const bool above = x >= 0.0;
    soft[i] = above ? r : e * r;
    v_out[i] = v * (above ? e * r : r);
    return above;
}

}  // namespace myelin::models
