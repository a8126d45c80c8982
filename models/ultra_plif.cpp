// Parameter checks for UltraPLIF (ALGORITHMS.md 5.3).
#include "models/ultra_plif.hpp"

#include "sim/param_check.hpp"

namespace myelin::models {

void UltraPlif::validate(const Params& p) {
    sim::require(std::isfinite(p.tau) && p.tau >= std::exp(log_tau_min) && p.tau <= std::exp(log_tau_max), "tau",
                 p.tau, "must be in [exp(-2.3), exp(-0.01)] = [0.1003, 0.99005] (the learnable range)");
    sim::require_positive("eps", p.eps);
    sim::require(std::isfinite(p.v_thresh) && p.v_thresh > 0.0, "v_thresh", p.v_thresh,
                 "must be > 0 (the reset pulls v towards 0)");
    sim::require_finite("i_offset", p.i_offset);
}

void UltraPlif::validate_init(const std::string& variable, double low, double high) {
    if (variable != "tau") return;
    for (const double tau : {low, high})
        sim::require(std::isfinite(tau) && tau > 0.0, "tau", tau,
                     "must be > 0 (each neuron's log(tau) is clamped to [-2.3, -0.01])");
}

UltraPlif::Propagators UltraPlif::prepare(const Params& p, double /*dt: the model is per step*/) {
    return {1.0 / p.eps};
}

}  // namespace myelin::models
