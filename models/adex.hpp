// Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005) with exponentially
// decaying synaptic conductances: PyNN's EIF_cond_exp_isfa_ista names, units and defaults.
// Integrated with Boost.Odeint (Dormand-Prince, dense output); the spike time is located within
// the step and the reset, adaptation jump and refractory period start there. docs/models.md.
#pragma once

#include "models/threshold_ode.hpp"
#include "sim/model_traits.hpp"

#include <array>
#include <span>

namespace myelin::models {

struct AdEx {
    static constexpr std::string_view name = "AdEx";
    static constexpr int receptors = 2;
    // Conductance synapses, as in Brette & Gerstner 2005 and PyNN's AdEx: the drive of an input
    // shrinks as V nears its reversal potential, which bounds V under strong input.
    static constexpr bool conductance_based = true;

    struct Params {  // PyNN EIF_cond_exp_isfa_ista names and defaults
        double cm = 0.281;          // nF
        double tau_m = 9.3667;      // ms
        double v_rest = -70.6;      // mV (E_L)
        double v_thresh = -50.4;    // mV (V_T, where the exponential takes over)
        double delta_T = 2.0;       // mV (slope factor; 0 = LIF with threshold v_thresh)
        double v_spike = -40.0;     // mV (spike detection, the peak V_peak)
        double v_reset = -70.6;     // mV
        double tau_refrac = 0.1;    // ms
        double a = 4.0;             // nS (subthreshold adaptation)
        double b = 0.0805;          // nA (spike-triggered adaptation)
        double tau_w = 144.0;       // ms
        double i_offset = 0.0;      // nA
        double tau_syn_E = 5.0;     // ms
        double tau_syn_I = 5.0;     // ms
        double e_rev_E = 0.0;       // mV
        double e_rev_I = -80.0;     // mV
    };
    static constexpr std::array<sim::ParamField<Params>, 16> param_fields{{
        {"cm", "nF", &Params::cm},
        {"tau_m", "ms", &Params::tau_m},
        {"v_rest", "mV", &Params::v_rest},
        {"v_thresh", "mV", &Params::v_thresh},
        {"delta_T", "mV", &Params::delta_T},
        {"v_spike", "mV", &Params::v_spike},
        {"v_reset", "mV", &Params::v_reset},
        {"tau_refrac", "ms", &Params::tau_refrac},
        {"a", "nS", &Params::a},
        {"b", "nA", &Params::b},
        {"tau_w", "ms", &Params::tau_w},
        {"i_offset", "nA", &Params::i_offset},
        {"tau_syn_E", "ms", &Params::tau_syn_E},
        {"tau_syn_I", "ms", &Params::tau_syn_I},
        {"e_rev_E", "mV", &Params::e_rev_E},
        {"e_rev_I", "mV", &Params::e_rev_I},
    }};

    struct State {  // columns owned by the engine
        std::span<double> v, w, g_exc, g_inh;   // mV, nA, uS, uS
        std::span<double> refrac_left;          // ms still clamped at v_reset (ends off the grid)
    };
    static constexpr std::array<sim::StateField<State, Params>, 5> state_fields{{
        {"v", "mV", &State::v, [](const Params& p) { return p.v_rest; }},
        {"w", "nA", &State::w, [](const Params&) { return 0.0; }},
        {"g_exc", "uS", &State::g_exc, [](const Params&) { return 0.0; }},
        {"g_inh", "uS", &State::g_inh, [](const Params&) { return 0.0; }},
        {"refrac_left", "ms", &State::refrac_left, [](const Params&) { return 0.0; }}}};
    static constexpr std::array<sim::CounterField<State>, 0> counter_fields{};
    // Input joins the conductances after the step's integration (as in IF_cond_exp).
    static constexpr std::array<std::span<double> State::*, 2> input_columns{&State::g_exc, &State::g_inh};

    // The integrated variables, in this order: V (mV), w (nA), g_exc, g_inh (uS).
    using Vector = std::array<double, 4>;

    struct Propagators {
        double dt;                     // ms
        double g_leak;                 // uS
        double inv_cm;                 // 1/nF
        double exp_gain;               // g_leak*delta_T, nA (0: no exponential term)
        double inv_delta_T;            // 1/mV
        double a_us;                   // uS
        double inv_tau_w, inv_tau_syn_E, inv_tau_syn_I;  // 1/ms
        double decay_exc, decay_inh;   // conductance decay over one step
        double detect;                 // mV: v_spike, or v_thresh when delta_T = 0
        OdeTolerance tolerance;
    };

    static void validate(const Params& p);
    static Propagators prepare(const Params& p, double dt);

    // dx/dt for the integrated variables (free membrane; refractory time is handled apart).
    // The exponential's argument stops growing at the detection threshold: the trajectory up
    // to the threshold is unchanged, and a trial step that overshoots it stays finite, so the
    // stepper rejects it instead of meeting inf/NaN (TOOLCHAIN.md "Boost.Odeint").
    static void derivatives(const Params& p, const Propagators& k, const Vector& x, Vector& dxdt) noexcept {
        const double v = x[0], w = x[1], g_e = x[2], g_i = x[3];
        const double spike_drive =
            k.exp_gain > 0.0 ? k.exp_gain * std::exp((std::min(v, k.detect) - p.v_thresh) * k.inv_delta_T) : 0.0;
        const double current = k.g_leak * (p.v_rest - v) + spike_drive + g_e * (p.e_rev_E - v) +
                               g_i * (p.e_rev_I - v) - w + p.i_offset;
        dxdt[0] = current * k.inv_cm;
        dxdt[1] = (k.a_us * (v - p.v_rest) - w) * k.inv_tau_w;
        dxdt[2] = -g_e * k.inv_tau_syn_E;
        dxdt[3] = -g_i * k.inv_tau_syn_I;
    }

    struct StepResult {
        int spikes = 0;             // threshold crossings in the step
        double first_spike = 0.0;   // ms after the step's start, if spikes > 0
    };
    // Advances x and refrac_left over one step of length k.dt with no input: integration up to
    // each threshold crossing, then reset (V = v_reset, w += b) and the refractory period
    // (V held, w and g exact), then on to the step's end.
    static StepResult advance(const Params& p, const Propagators& k, Vector& x, double& refrac_left) noexcept;

    // One engine step for neuron i; input arriving now joins the conductances at the step's
    // end. Several crossings in one step (only with tau_refrac < dt) report one spike.
    static bool step(const Params& p, const Propagators& k, const State& s, std::size_t i,
                     double in_exc, double in_inh) noexcept {
        Vector x{s.v[i], s.w[i], s.g_exc[i], s.g_inh[i]};
        double refrac_left = s.refrac_left[i];
        const StepResult result = advance(p, k, x, refrac_left);
        s.v[i] = x[0];
        s.w[i] = x[1];
        // The conductances' exact decay, not the stepper's approximation of it.
        s.g_exc[i] = k.decay_exc * s.g_exc[i] + in_exc;
        s.g_inh[i] = k.decay_inh * s.g_inh[i] + in_inh;
        s.refrac_left[i] = refrac_left;
        return result.spikes > 0;
    }
};
static_assert(sim::NeuronModel<AdEx>);

}  // namespace myelin::models
