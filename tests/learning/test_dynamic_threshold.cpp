// The dynamic threshold (ALGORITHMS.md 3.3, 3.9): the increment at theta = 20 mV is c_theta, the
// increment shrinks as theta grows, and 1 s of decay multiplies theta by exp(-1000/tau_theta).
#include "learning/dynamic_threshold.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace myelin::learning;

TEST_CASE("the theta increment is exactly 0.07 mV at theta = 20 mV (MNIST, N_E = 400)", "[learning][sym_stdp][threshold]") {
    const DynamicThresholdParams p{.tau_theta = 6e6, .c_theta = 0.07, .theta_offset = 20.0};
    CHECK(theta_after_spike(p, 20.0) - 20.0 == Approx(0.07).epsilon(1e-12));
    // c_theta * 10/|theta - 10|: at theta = 30 mV half as much.
    CHECK(theta_after_spike(p, 30.0) - 30.0 == Approx(0.035).epsilon(1e-12));
}

TEST_CASE("theta decays over 1 s by the factor exp(-1000/tau_theta)", "[learning][sym_stdp][threshold]") {
    // F-MNIST's tau_theta = 5e7 ms lowers theta by 2e-7 mV per step: below half a float ulp at 20 mV,
    // so this also checks that theta is kept in enough precision to decay at all.
    for (const double tau_theta : {6e6, 5e7}) {
        CAPTURE(tau_theta);
        const DynamicThresholdParams p{.tau_theta = tau_theta, .c_theta = 0.07, .theta_offset = 20.0};
        double theta = 20.0;
        const double dt = 0.5;
        for (int k = 0; k < 2000; ++k) theta = theta_decay(p, theta, dt);
        // Euler (1 - dt/tau)^2000 differs from exp(-1000/tau) by ~2000*(dt/tau)^2/2 < 1e-11 relative.
        CHECK(theta / 20.0 == Approx(std::exp(-1000.0 / tau_theta)).epsilon(1e-10));
        CHECK(theta < 20.0);
    }
}
