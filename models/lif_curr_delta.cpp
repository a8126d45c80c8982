// Parameter checks and propagators for IF_curr_delta (ALGORITHMS.md 1.3).
#include "models/lif_curr_delta.hpp"

#include "models/lif_propagators.hpp"
#include "sim/param_check.hpp"

namespace myelin::models {

template <class Real>
void BasicLifCurrDelta<Real>::validate(const Params& p) {
    sim::require_positive("cm", p.cm, "nF");
    sim::require_positive("tau_m", p.tau_m, "ms");
    sim::require_non_negative("tau_refrac", p.tau_refrac, "ms");
    sim::require_finite("v_rest", p.v_rest, "mV");
    sim::require_finite("v_thresh", p.v_thresh, "mV");
    sim::require_finite("i_offset", p.i_offset, "nA");
    sim::require(std::isfinite(p.v_reset) && p.v_reset < p.v_thresh, "v_reset", p.v_reset,
                 "must be below v_thresh = " + sim::format_number(p.v_thresh), "mV");
}

template <class Real>
typename BasicLifCurrDelta<Real>::Propagators BasicLifCurrDelta<Real>::prepare(const Params& p, double dt) {
    Propagators k{};
    k.p22 = static_cast<Real>(std::exp(-dt / p.tau_m));
    k.v_constant = relaxation_constant(p.v_rest + p.tau_m / p.cm * p.i_offset, dt, p.tau_m, k.p22);
    k.refrac_steps = refractory_steps(p.tau_refrac, dt);
    return k;
}

template struct BasicLifCurrDelta<double>;
template struct BasicLifCurrDelta<float>;

}  // namespace myelin::models
