// Izhikevich (2003) neuron: v' = 0.04 v^2 + 5 v + 140 - u + I, u' = a (b v - u); at v >= 30 mV,
// v = c and u += d. PyNN's Izhikevich names, units and defaults; delta synapses (each input
// moves v by its weight in mV, as in PyNN and NEST). Integrated with Boost.Odeint like AdEx, the
// spike time located within the step, rather than with the paper's Euler scheme. docs/models.md.
#pragma once

#include "models/threshold_ode.hpp"
#include "sim/model_traits.hpp"

#include <array>
#include <span>

namespace myelin::models {

struct Izhikevich {
    static constexpr std::string_view name = "Izhikevich";
    static constexpr int receptors = 1;  // excitatory and inhibitory jumps share one channel
    static constexpr bool conductance_based = false;

    struct Params {  // PyNN names and defaults
        double a = 0.02;        // 1/ms (recovery rate)
        double b = 0.2;         // 1/ms (sensitivity of u to v)
        double c = -65.0;       // mV (reset of v)
        double d = 2.0;         // mV/ms (jump of u at a spike)
        double i_offset = 0.0;  // nA; enters I as 1000*i_offset mV/ms (PyNN -> NEST: pA, 1 pF)
    };
    static constexpr std::array<sim::ParamField<Params>, 5> param_fields{{
        {"a", "1/ms", &Params::a},
        {"b", "1/ms", &Params::b},
        {"c", "mV", &Params::c},
        {"d", "mV/ms", &Params::d},
        {"i_offset", "nA", &Params::i_offset},
    }};

    static constexpr double v_peak = 30.0;   // mV: the paper's spike cutoff
    static constexpr double v_initial = -70.0;  // mV: PyNN's initial v (u starts at b*v)

    struct State {  // columns owned by the engine
        std::span<double> v, u;  // mV, mV/ms
    };
    static constexpr std::array<sim::StateField<State, Params>, 2> state_fields{{
        {"v", "mV", &State::v, [](const Params&) { return v_initial; }},
        {"u", "mV/ms", &State::u, [](const Params& p) { return p.b * v_initial; }}}};
    static constexpr std::array<sim::CounterField<State>, 0> counter_fields{};

    using Vector = std::array<double, 2>;  // v (mV), u (mV/ms)

    struct Propagators {
        double dt;        // ms
        double drive;     // 140 + 1000*i_offset, mV/ms
        OdeTolerance tolerance;
    };

    static void validate(const Params& p);
    static Propagators prepare(const Params& p, double dt);

    // The quadratic stops growing at v_peak: the trajectory up to the cutoff is unchanged, and
    // a trial step past it stays finite for the stepper to reject.
    static void derivatives(const Params& p, const Propagators& k, const Vector& x, Vector& dxdt) noexcept {
        const double v = x[0], u = x[1], capped = std::min(v, v_peak);
        dxdt[0] = 0.04 * capped * capped + 5.0 * v + k.drive - u;
        dxdt[1] = p.a * (p.b * v - u);
    }

    struct StepResult {
        int spikes = 0;
        double first_spike = 0.0;  // ms after the step's start, if spikes > 0
    };
    // Advances x over one step of length k.dt: integration up to each crossing of v_peak and
    // reset there; then `jump` (this step's input, mV) moves v at the step's end, and a jump
    // to v_peak or above fires there.
    static StepResult advance(const Params& p, const Propagators& k, Vector& x, double jump) noexcept;

    // One engine step for neuron i; input arriving now moves v at the step's end (as
    // IF_curr_delta). Several crossings in one step report one spike.
    static bool step(const Params& p, const Propagators& k, const State& s, std::size_t i,
                     double jump, double /*unused second channel*/) noexcept {
        Vector x{s.v[i], s.u[i]};
        const StepResult result = advance(p, k, x, jump);
        s.v[i] = x[0];
        s.u[i] = x[1];
        return result.spikes > 0;
    }
};
static_assert(sim::NeuronModel<Izhikevich>);

}  // namespace myelin::models
