// exp(x) for x <= 0 without branches or library calls, so loops that need one exponential per
// neuron (conductance-based membranes) still vectorise. glibc's vector exp is only declared
// under -ffast-math, which the engine does not use. Relative error below 2e-16 (tested against
// std::exp in tests/sim/test_vector_exp.cpp).
#pragma once

#include "sim/host_device.hpp"

#include <bit>
#include <cmath>
#include <cstdint>

namespace myelin::sim {

MYELIN_HOST_DEVICE MYELIN_FORCE_INLINE double exp_nonpositive(double x) noexcept {
    // Below -708 the result is subnormal; the membrane factors that use this are then 0 anyway.
    x = x < -708.0 ? -708.0 : x;
    // x = n*ln2 + r with |r| <= ln2/2; ln2 split in two parts so n*ln2_high is exact.
    const double n = std::nearbyint(x * 1.4426950408889634);
    const double r = (x - n * 0.6931471805598903) - n * 5.497923018708371e-14;
    // Taylor series of exp(r) to degree 13: the next term is below 1e-17 for |r| <= 0.347.
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // 2^n assembled in the exponent bits (n >= -1022 here, so the result is normal).
    const auto exponent = static_cast<std::int64_t>(n) + 1023;
    return p * std::bit_cast<double>(static_cast<std::uint64_t>(exponent) << 52);
}

}  // namespace myelin::sim
