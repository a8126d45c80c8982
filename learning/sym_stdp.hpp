// The sym-STDP rule of Hao et al. 2020 (ALGORITHMS.md 3.4): both pairing orders potentiate,
// dw(s) = eta * a * exp(-|s|/tau) for one isolated pair, weights clipped at w_max from above only.
// Depression comes from synaptic scaling (synaptic_scaling.hpp), not from the rule.
#pragma once

#include <algorithm>
#include <cmath>

namespace myelin::learning {

struct SymStdpParams {
    double tau_trace = 20.0;        // ms, decay of the pre and post traces
    double trace_increment = 0.1;   // a: added to a neuron's trace at each of its spikes
    double eta = 0.005;             // learning rate, the same for the pre and the post branch
    double w_max = 1.0;             // upper bound of the weight (no lower bound is needed: dw >= 0)
};

void validate_sym_stdp(const SymStdpParams& p, const char* eta_key, const char* w_max_key);  // ParamError

// At a pre spike: potentiate by the post trace as it is before this step's post spikes.
inline float sym_stdp_on_pre(const SymStdpParams& p, float w, float post_trace) noexcept {
    return std::min(w + static_cast<float>(p.eta) * post_trace, static_cast<float>(p.w_max));
}

// At a post spike: potentiate by the pre trace, which already holds this step's pre spikes, so a
// coincident pair counts once (ALGORITHMS.md 1.5, discrete order).
inline float sym_stdp_on_post(const SymStdpParams& p, float w, float pre_trace) noexcept {
    return std::min(w + static_cast<float>(p.eta) * pre_trace, static_cast<float>(p.w_max));
}

// The pair window dw(s) for s = t_post - t_pre in ms: the analytic form the rule must follow.
inline double sym_stdp_window(const SymStdpParams& p, double s) noexcept {
    return p.eta * p.trace_increment * std::exp(-std::abs(s) / p.tau_trace);
}

}  // namespace myelin::learning
