// AdEx: parameter checks, step constants and the step's integration (Brette & Gerstner 2005).
#include "models/adex.hpp"

#include "sim/param_check.hpp"

#include <cmath>

namespace myelin::models {

namespace {

// Largest (v_spike - v_thresh)/delta_T accepted. The exponential is capped at v_spike (see
// AdEx::derivatives), so the stepper resolves the upswing to any peak (checked up to e^600:
// Brette & Gerstner's V_peak = 20 mV is e^35 with PyNN's v_thresh); beyond e^600 (~4e260) the
// right-hand side would near double overflow.
constexpr double max_exponent = 600.0;

// Spikes located in one step before the step gives up (tau_refrac = 0 and a reset above the
// threshold could otherwise spin); no physiological parameter set comes near it.
constexpr int max_spikes_per_step = 1000;

}  // namespace

void AdEx::validate(const Params& p) {
    sim::require_positive("cm", p.cm, "nF");
    sim::require_positive("tau_m", p.tau_m, "ms");
    sim::require_positive("tau_w", p.tau_w, "ms");
    sim::require_positive("tau_syn_E", p.tau_syn_E, "ms");
    sim::require_positive("tau_syn_I", p.tau_syn_I, "ms");
    sim::require_non_negative("tau_refrac", p.tau_refrac, "ms");
    sim::require_non_negative("delta_T", p.delta_T, "mV");
    sim::require_finite("v_rest", p.v_rest, "mV");
    sim::require_finite("v_thresh", p.v_thresh, "mV");
    sim::require_finite("v_spike", p.v_spike, "mV");
    sim::require_finite("a", p.a, "nS");
    sim::require_finite("b", p.b, "nA");
    sim::require_finite("i_offset", p.i_offset, "nA");
    sim::require_finite("e_rev_E", p.e_rev_E, "mV");
    sim::require_finite("e_rev_I", p.e_rev_I, "mV");
    if (p.delta_T > 0.0) {
        sim::require(p.v_spike > p.v_thresh, "v_spike", p.v_spike,
                     "must be above v_thresh = " + sim::format_number(p.v_thresh), "mV");
        sim::require((p.v_spike - p.v_thresh) / p.delta_T <= max_exponent, "v_spike", p.v_spike,
                     "is too far above v_thresh for delta_T = " + sim::format_number(p.delta_T) +
                         ": (v_spike - v_thresh)/delta_T must be <= " + sim::format_number(max_exponent) +
                         " or the exponential overflows; lower v_spike (v_thresh + 5*delta_T is usual) or "
                         "raise delta_T",
                     "mV");
        sim::require(std::isfinite(p.v_reset) && p.v_reset < p.v_spike, "v_reset", p.v_reset,
                     "must be below v_spike = " + sim::format_number(p.v_spike), "mV");
    } else {
        sim::require(std::isfinite(p.v_reset) && p.v_reset < p.v_thresh, "v_reset", p.v_reset,
                     "must be below v_thresh = " + sim::format_number(p.v_thresh) + " when delta_T = 0", "mV");
    }
}

AdEx::Propagators AdEx::prepare(const Params& p, double dt) {
    Propagators k{};
    k.dt = dt;
    k.g_leak = p.cm / p.tau_m;
    k.inv_cm = 1.0 / p.cm;
    k.exp_gain = k.g_leak * p.delta_T;
    k.inv_delta_T = p.delta_T > 0.0 ? 1.0 / p.delta_T : 0.0;
    k.a_us = p.a * 1e-3;  // nS -> uS, so that a*(V - E_L) is in nA
    k.inv_tau_w = 1.0 / p.tau_w;
    k.inv_tau_syn_E = 1.0 / p.tau_syn_E;
    k.inv_tau_syn_I = 1.0 / p.tau_syn_I;
    k.decay_exc = std::exp(-dt / p.tau_syn_E);
    k.decay_inh = std::exp(-dt / p.tau_syn_I);
    k.detect = p.delta_T > 0.0 ? p.v_spike : p.v_thresh;
    return k;
}

AdEx::StepResult AdEx::advance(const Params& p, const Propagators& k, Vector& x, double& refrac_left) noexcept {
    StepResult result;
    const auto rhs = [&p, &k](const Vector& y, Vector& dydt) { derivatives(p, k, y, dydt); };
    double t = 0.0;
    while (t < k.dt && result.spikes < max_spikes_per_step) {
        if (refrac_left > 0.0) {
            // V is held at v_reset: w relaxes linearly towards a*(v_reset - v_rest) and the
            // conductances decay, both solved exactly.
            const double span = std::min(refrac_left, k.dt - t);
            const double w_target = k.a_us * (p.v_reset - p.v_rest);
            x[0] = p.v_reset;
            x[1] = w_target + (x[1] - w_target) * std::exp(-span * k.inv_tau_w);
            x[2] *= std::exp(-span * k.inv_tau_syn_E);
            x[3] *= std::exp(-span * k.inv_tau_syn_I);
            refrac_left = span == refrac_left ? 0.0 : refrac_left - span;
            t += span;
            continue;
        }
        if (!(x[0] >= k.detect))  // at or above the threshold already (an initial value): fire now
            t = integrate_to_threshold(rhs, x, t, k.dt, k.detect, k.tolerance, k.dt);
        if (!(x[0] >= k.detect)) break;  // reached the step's end below it (or failed: NaN)
        if (result.spikes++ == 0) result.first_spike = t;
        x[0] = p.v_reset;
        x[1] += p.b;
        refrac_left = p.tau_refrac;
    }
    return result;
}

}  // namespace myelin::models
