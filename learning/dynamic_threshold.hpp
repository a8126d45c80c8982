// The dynamic threshold (intrinsic plasticity) of Hao et al. 2020 (ALGORITHMS.md 3.3), in the
// reference code's form: theta decays as theta -= theta*dt/tau_theta each step and grows by
// c_theta*(theta_offset - 10)/|theta - 10| at each spike, so the increment shrinks as theta grows.
// The neuron fires when V > v_thresh + theta - theta_offset.
#pragma once

#include <cmath>

namespace myelin::learning {

struct DynamicThresholdParams {
    double tau_theta = 6e6;      // ms
    double c_theta = 0.07;       // mV, the increment at theta = theta_offset
    double theta_offset = 20.0;  // mV; also theta's initial value, so the threshold starts at v_thresh
};

void validate_dynamic_threshold(const DynamicThresholdParams& p);  // ParamError naming the key

// One Euler step of the decay (the reference code's form, not the exact exponential). Theta is a
// double: at tau_theta = 5e7 ms one step lowers theta = 20 mV by 2e-7 mV, under half a float ulp.
inline double theta_decay(const DynamicThresholdParams& p, double theta, double dt) noexcept {
    return theta - theta * dt / p.tau_theta;
}

// The increment at a spike. Its pole at theta = 10 mV is never reached: theta starts at
// theta_offset = 20 and only the (slow) decay lowers it.
inline double theta_after_spike(const DynamicThresholdParams& p, double theta) noexcept {
    return theta + p.c_theta * (p.theta_offset - 10.0) / std::abs(theta - 10.0);
}

}  // namespace myelin::learning
