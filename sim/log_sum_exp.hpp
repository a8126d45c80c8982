// The log-sum-exp ("soft max-plus") operator with temperature eps, its softmax derivatives and
// the eps-sigmoid of the Ultra* neurons (ALGORITHMS.md 5.2; Minoza 2026). Branch-free, so a
// neuron loop that calls it still vectorises; every function is exact to a few ulp (tested
// against std::log1p/std::exp in tests/models/test_log_sum_exp.cpp).
//
//   lse(a_1..a_n; eps) = eps*log(sum_k exp(a_k/eps)) = m + eps*log(sum_k exp((a_k - m)/eps)),
//   m = max_k a_k, so no exponential ever sees a positive argument: stable for any |a_k|/eps.
//   max(a) <= lse <= max(a) + eps*log(n); d lse/d a_k = softmax(a/eps)_k.
#pragma once

#include "sim/vector_exp.hpp"

#include <cmath>
#include <cstddef>
#include <span>

namespace myelin::sim {

// log(1 + y) for y in [0, 1] without library calls. log(1+y) = 2*atanh(t), t = y/(2+y); above
// y = sqrt(2) - 1 the same on (1+y)/2 plus log 2, so |t| <= 0.1716 and 11 odd terms of the
// atanh series reach 1e-17 (t^22/23 < 1e-18). t = y/(2+y) keeps full precision for tiny y.
inline double log1p_unit(double y) noexcept {
    const bool high = y > 0.41421356237309503;
    const double t = high ? (y - 1.0) / (y + 3.0) : y / (2.0 + y);
    const double t2 = t * t;
    double p = 1.0 / 21.0;
    p = p * t2 + 1.0 / 19.0;
    p = p * t2 + 1.0 / 17.0;
    p = p * t2 + 1.0 / 15.0;
    p = p * t2 + 1.0 / 13.0;
    p = p * t2 + 1.0 / 11.0;
    p = p * t2 + 1.0 / 9.0;
    p = p * t2 + 1.0 / 7.0;
    p = p * t2 + 1.0 / 5.0;
    p = p * t2 + 1.0 / 3.0;
    const double atanh2 = 2.0 * t + 2.0 * t * t2 * p;
    return (high ? 0.6931471805599453 : 0.0) + atanh2;
}

// log(1 + exp(-x)) for x >= 0: the correction lse adds to the larger of two arguments.
inline double softplus_of_negative(double x) noexcept { return log1p_unit(exp_nonpositive(-x)); }

// Two arguments: max(a, b) + eps*log(1 + exp(-|a - b|/eps)). eps > 0.
inline double lse(double a, double b, double eps) noexcept {
    const double m = a > b ? a : b;
    const double gap = a > b ? a - b : b - a;
    return m + eps * softplus_of_negative(gap / eps);
}

// Three arguments (UltraDLIF's neighbourhood): the two smaller enter relative to the largest.
inline double lse(double a, double b, double c, double eps) noexcept {
    const double m = std::fmax(a, std::fmax(b, c));
    const double sum = exp_nonpositive((a - m) / eps) + exp_nonpositive((b - m) / eps) +
                       exp_nonpositive((c - m) / eps);  // in [1, 3]
    return m + eps * std::log(sum);
}

// Any number of arguments (n >= 1). Arguments of -infinity contribute nothing.
inline double lse(std::span<const double> a, double eps) noexcept {
    double m = a[0];
    for (const double x : a) m = x > m ? x : m;
    double sum = 0.0;
    for (const double x : a) sum += std::exp((x - m) / eps);
    return m + eps * std::log(sum);
}

// d lse / d a_k = softmax(a/eps)_k, written into `weights` (same length as `a`); they lie in
// (0, 1] and sum to 1.
inline void lse_weights(std::span<const double> a, double eps, std::span<double> weights) noexcept {
    double m = a[0];
    for (const double x : a) m = x > m ? x : m;
    double sum = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) sum += weights[k] = std::exp((a[k] - m) / eps);
    for (double& w : weights) w /= sum;
}

// d lse(a, b) / d a; the derivative by b is 1 minus this.
inline double lse_weight_first(double a, double b, double eps) noexcept {
    const double x = (a - b) / eps;
    const double e = exp_nonpositive(-std::fabs(x));
    return x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// d lse / d eps = (lse - sum_k softmax_k * a_k) / eps: the entropy of the softmax weights.
inline double lse_deps(std::span<const double> a, double eps, std::span<double> scratch) noexcept {
    lse_weights(a, eps, scratch);
    double mean = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) mean += scratch[k] * a[k];
    return (lse(a, eps) - mean) / eps;
}

// The soft spike sigmoid((v - theta)/eps), from exp of a non-positive argument only: 0 and 1
// at the far ends, never NaN.
inline double sigmoid_eps(double v, double theta, double eps) noexcept {
    const double x = (v - theta) / eps;
    const double e = exp_nonpositive(-std::fabs(x));
    return x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// d sigmoid_eps / d v = s(1 - s)/eps, at most 1/(4 eps).
inline double sigmoid_eps_dv(double s, double eps) noexcept { return s * (1.0 - s) / eps; }

}  // namespace myelin::sim
