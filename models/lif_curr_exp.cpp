// Parameter checks and propagators for IF_curr_exp (ALGORITHMS.md 1.2).
#include "models/lif_curr_exp.hpp"

#include "models/lif_propagators.hpp"
#include "sim/param_check.hpp"

namespace myelin::models {

template <class Real>
void BasicLifCurrExp<Real>::validate(const Params& p) {
    sim::require_positive("cm", p.cm, "nF");
    sim::require_positive("tau_m", p.tau_m, "ms");
    sim::require_non_negative("tau_refrac", p.tau_refrac, "ms");
    sim::require_positive("tau_syn_E", p.tau_syn_E, "ms");
    sim::require_positive("tau_syn_I", p.tau_syn_I, "ms");
    sim::require_finite("v_rest", p.v_rest, "mV");
    sim::require_finite("v_thresh", p.v_thresh, "mV");
    sim::require_finite("i_offset", p.i_offset, "nA");
    sim::require(std::isfinite(p.v_reset) && p.v_reset < p.v_thresh, "v_reset", p.v_reset,
                 "must be below v_thresh = " + sim::format_number(p.v_thresh), "mV");
}

template <class Real>
typename BasicLifCurrExp<Real>::Propagators BasicLifCurrExp<Real>::prepare(const Params& p, double dt) {
    Propagators k{};
    k.p22 = static_cast<Real>(std::exp(-dt / p.tau_m));
    k.p21_exc = static_cast<Real>(current_to_membrane(dt, p.tau_m, p.tau_syn_E, p.cm));
    k.p21_inh = static_cast<Real>(current_to_membrane(dt, p.tau_m, p.tau_syn_I, p.cm));
    k.v_constant = relaxation_constant(p.v_rest + p.tau_m / p.cm * p.i_offset, dt, p.tau_m, k.p22);
    k.p11_exc = static_cast<Real>(std::exp(-dt / p.tau_syn_E));
    k.p11_inh = static_cast<Real>(std::exp(-dt / p.tau_syn_I));
    k.refrac_steps = refractory_steps(p.tau_refrac, dt);
    return k;
}

template struct BasicLifCurrExp<double>;
template struct BasicLifCurrExp<float>;

}  // namespace myelin::models
