// Single-precision exp and log1p for the Ultra* neuron loops. The engine's input rows are
// float32 and the paper trains in float32, so the loops evaluate the log-sum-exp correction and
// the soft spike to float precision (relative error ~1e-7): half the polynomial terms of the
// double versions in sim/log_sum_exp.hpp, which measured twice the speed per neuron-step
// (bench/README.md). Trainers use the double operator. Branch-free, so the loops vectorise.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace myelin::models {

// exp(x) for x <= 0. x = n*ln2 + r, |r| <= ln2/2, ln2 split in two so n*ln2_high is exact; the
// degree-7 Taylor series then errs by at most 0.347^8/8! = 5e-9, below a float ulp.
inline float exp_nonpositive_float(float x) noexcept {
    x = x < -87.0f ? -87.0f : x;  // 2^-126: the smallest normal float; below, the result is ~0 anyway
    const float n = std::nearbyint(x * 1.44269504f);
    const float r = (x - n * 0.693145752f) - n * 1.42860677e-6f;
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    return p * std::bit_cast<float>(static_cast<std::int32_t>(n + 127.0f) << 23);
}

// log(1 + y) for y in [0, 1]: 2*atanh(t) as in sim::log1p_unit, |t| <= 0.1716, so six odd
// terms reach 0.1716^12/13 = 5e-11.
inline float log1p_unit_float(float y) noexcept {
    const bool high = y > 0.41421356f;
    const float t = high ? (y - 1.0f) / (y + 3.0f) : y / (2.0f + y);
    const float t2 = t * t;
    float p = 1.0f / 11.0f;
    p = p * t2 + 1.0f / 9.0f;
    p = p * t2 + 1.0f / 7.0f;
    p = p * t2 + 1.0f / 5.0f;
    p = p * t2 + 1.0f / 3.0f;
    return (high ? 0.693147182f : 0.0f) + (2.0f * t + 2.0f * t * t2 * p);
}

}  // namespace myelin::models
