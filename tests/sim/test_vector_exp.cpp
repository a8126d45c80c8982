// The branch-free exponential used in vectorised neuron updates, against std::exp.
#include "sim/vector_exp.hpp"

#include <catch2/catch.hpp>

#include <cmath>

TEST_CASE("exp_nonpositive agrees with std::exp to a few ulp over its range", "[sim][math]") {
    double worst = 0.0;
    for (double x = -700.0; x <= 0.0; x += 0.0137) {
        const double expected = std::exp(x);
        worst = std::max(worst, std::abs(myelin::sim::exp_nonpositive(x) - expected) / expected);
    }
    for (double x = -1e-3; x <= 0.0; x += 1e-7) {
        const double expected = std::exp(x);
        worst = std::max(worst, std::abs(myelin::sim::exp_nonpositive(x) - expected) / expected);
    }
    CHECK(worst < 1e-15);
    CHECK(myelin::sim::exp_nonpositive(0.0) == 1.0);
    CHECK(myelin::sim::exp_nonpositive(-1e6) < 1e-300);  // clamped, not NaN or garbage
}
