// Parameter checks and step constants for IF_cond_exp (ALGORITHMS.md 1.4).
#include "models/lif_cond_exp.hpp"

#include "models/lif_propagators.hpp"
#include "sim/param_check.hpp"

namespace myelin::models {

void LifCondExp::validate(const Params& p) {
    sim::require_positive("cm", p.cm, "nF");
    sim::require_positive("tau_m", p.tau_m, "ms");
    sim::require_non_negative("tau_refrac", p.tau_refrac, "ms");
    sim::require_positive("tau_syn_E", p.tau_syn_E, "ms");
    sim::require_positive("tau_syn_I", p.tau_syn_I, "ms");
    sim::require_finite("v_rest", p.v_rest, "mV");
    sim::require_finite("v_thresh", p.v_thresh, "mV");
    sim::require_finite("e_rev_E", p.e_rev_E, "mV");
    sim::require_finite("e_rev_I", p.e_rev_I, "mV");
    sim::require_finite("i_offset", p.i_offset, "nA");
    sim::require(std::isfinite(p.v_reset) && p.v_reset < p.v_thresh, "v_reset", p.v_reset,
                 "must be below v_thresh = " + sim::format_number(p.v_thresh), "mV");
}

LifCondExp::Propagators LifCondExp::prepare(const Params& p, double dt) {
    Propagators k{};
    k.g_leak = p.cm / p.tau_m;
    k.leak_drive = k.g_leak * p.v_rest + p.i_offset;
    k.minus_dt_over_cm = -dt / p.cm;
    k.decay_exc = std::exp(-dt / p.tau_syn_E);
    k.decay_inh = std::exp(-dt / p.tau_syn_I);
    k.refrac_steps = refractory_steps(p.tau_refrac, dt);
    return k;
}

}  // namespace myelin::models
