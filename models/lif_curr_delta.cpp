// Parameter checks and propagators for IF_curr_delta (ALGORITHMS.md 1.3).
#include "models/lif_curr_delta.hpp"

#include "models/lif_propagators.hpp"
#include "sim/param_check.hpp"

namespace myelin::models {

void LifCurrDelta::validate(const Params& p) {
    sim::require_positive("cm", p.cm, "nF");
    sim::require_positive("tau_m", p.tau_m, "ms");
    sim::require_non_negative("tau_refrac", p.tau_refrac, "ms");
    sim::require_finite("v_rest", p.v_rest, "mV");
    sim::require_finite("v_thresh", p.v_thresh, "mV");
    sim::require_finite("i_offset", p.i_offset, "nA");
    sim::require(std::isfinite(p.v_reset) && p.v_reset < p.v_thresh, "v_reset", p.v_reset,
                 "must be below v_thresh = " + sim::format_number(p.v_thresh), "mV");
}

LifCurrDelta::Propagators LifCurrDelta::prepare(const Params& p, double dt) {
    Propagators k{};
    k.p22 = std::exp(-dt / p.tau_m);
    k.v_constant = -(p.v_rest + p.tau_m / p.cm * p.i_offset) * std::expm1(-dt / p.tau_m);
    k.refrac_steps = refractory_steps(p.tau_refrac, dt);
    return k;
}

}  // namespace myelin::models
