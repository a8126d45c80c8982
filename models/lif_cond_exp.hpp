// Leaky integrate-and-fire neuron with exponentially decaying synaptic conductances (PyNN
// IF_cond_exp). The membrane is advanced by exponential Euler with the conductances frozen at
// their start-of-step values, which is exact for the linear ODE within the step; ALGORITHMS.md 1.4.
#pragma once

#include "sim/host_device.hpp"
#include "sim/model_traits.hpp"
#include "sim/vector_exp.hpp"

#include <cstdint>
#include <span>

namespace myelin::models {

struct LifCondExp {
    static constexpr std::string_view name = "IF_cond_exp";
    static constexpr int receptors = 2;
    static constexpr bool conductance_based = true;
    // step fires exactly when v >= v_thresh and prepare ignores v_thresh: the threshold may adapt
    // per neuron (`homeostasis`, sim/adaptive_threshold.hpp).
    static constexpr bool adaptive_threshold = true;

    struct Params {  // PyNN names and defaults
        double cm = 1.0;           // nF
        double tau_m = 20.0;       // ms
        double tau_refrac = 0.1;   // ms
        double tau_syn_E = 5.0;    // ms
        double tau_syn_I = 5.0;    // ms
        double v_rest = -65.0;     // mV
        double v_reset = -65.0;    // mV
        double v_thresh = -50.0;   // mV
        double e_rev_E = 0.0;      // mV
        double e_rev_I = -70.0;    // mV
        double i_offset = 0.0;     // nA
    };
    static constexpr std::array<sim::ParamField<Params>, 11> param_fields{{
        {"cm", "nF", &Params::cm},
        {"tau_m", "ms", &Params::tau_m},
        {"tau_refrac", "ms", &Params::tau_refrac},
        {"tau_syn_E", "ms", &Params::tau_syn_E},
        {"tau_syn_I", "ms", &Params::tau_syn_I},
        {"v_rest", "mV", &Params::v_rest},
        {"v_reset", "mV", &Params::v_reset},
        {"v_thresh", "mV", &Params::v_thresh},
        {"e_rev_E", "mV", &Params::e_rev_E},
        {"e_rev_I", "mV", &Params::e_rev_I},
        {"i_offset", "nA", &Params::i_offset},
    }};

    struct State {  // columns owned by the engine
        std::span<double> v, g_exc, g_inh;      // mV, uS, uS
        std::span<std::int32_t> refrac_left;    // steps still clamped at v_reset
    };
    static constexpr std::array<sim::StateField<State, Params>, 3> state_fields{{
        {"v", "mV", &State::v, [](const Params& p) { return p.v_rest; }},
        {"g_exc", "uS", &State::g_exc, [](const Params&) { return 0.0; }},
        {"g_inh", "uS", &State::g_inh, [](const Params&) { return 0.0; }}}};
    static constexpr std::array<sim::CounterField<State>, 1> counter_fields{{{"refrac_left", &State::refrac_left}}};
    // Input joins these after the membrane update (the step below adds in_exc/in_inh there
    // too), so the engine may add it to them directly once the update is done.
    static constexpr std::array<std::span<double> State::*, 2> input_columns{&State::g_exc, &State::g_inh};

    struct Propagators {
        double g_leak;              // cm / tau_m, uS
        double leak_drive;          // g_leak*v_rest + i_offset, nA
        double minus_dt_over_cm;    // ms / nF
        double decay_exc, decay_inh;
        std::int32_t refrac_steps;
    };

    static void validate(const Params& p);
    static Propagators prepare(const Params& p, double dt);

    MYELIN_HOST_DEVICE static bool step(const Params& p, const Propagators& k, const State& s, std::size_t i,
                     double in_exc, double in_inh) noexcept {
        const std::int32_t refrac = s.refrac_left[i];
        const double g_e = s.g_exc[i], g_i = s.g_inh[i];
        const double g_total = k.g_leak + g_e + g_i;
        const double v_inf = (k.leak_drive + g_e * p.e_rev_E + g_i * p.e_rev_I) / g_total;
        const double v_free =
            v_inf + (s.v[i] - v_inf) * sim::exp_nonpositive(k.minus_dt_over_cm * g_total);
        const double v = refrac > 0 ? s.v[i] : v_free;
        s.g_exc[i] = k.decay_exc * g_e + in_exc;
        s.g_inh[i] = k.decay_inh * g_i + in_inh;
        const bool spike = v >= p.v_thresh;
        s.v[i] = spike ? p.v_reset : v;
        s.refrac_left[i] = spike ? k.refrac_steps : (refrac > 0 ? refrac - 1 : 0);
        return spike;
    }
};

}  // namespace myelin::models
