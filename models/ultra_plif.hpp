// UltraPLIF: UltraLIF with a decay factor tau per neuron, kept as a state column so trainers can
// learn it (ALGORITHMS.md 5.3: the paper learns log_tau, clamped to [-2.3, -0.01] in the update).
//   V[t] = lse_eps(V[t-1] + clamp(log(tau_i), -2.3, -0.01), I[t]), then UltraLIF's spike and reset.
#pragma once

#include "models/ultra_lif.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace myelin::models {

struct UltraPlif {
    static constexpr std::string_view name = "UltraPLIF";
    static constexpr int receptors = 1;
    static constexpr bool conductance_based = false;

    // The clamp of the paper's code, on log(tau): tau is used within [0.1003, 0.99005].
    static constexpr double log_tau_min = -2.3, log_tau_max = -0.01;

    struct Params {
        double tau = 0.9;       // initial decay factor per step of every neuron (the `tau` column)
        double eps = 1.0;       // temperature, > 0
        double v_thresh = 1.0;  // theta
        double i_offset = 0.0;  // constant input added to I every step
    };
    static constexpr std::array<sim::ParamField<Params>, 4> param_fields{{
        {"tau", "1", &Params::tau},
        {"eps", "1", &Params::eps},
        {"v_thresh", "1", &Params::v_thresh},
        {"i_offset", "1", &Params::i_offset},
    }};

    struct State {
        std::span<double> v, s;  // as UltraLIF
        std::span<double> tau;   // per-neuron decay factor (learnable; set it with `init`)
    };
    static constexpr std::array<sim::StateField<State, Params>, 3> state_fields{{
        {"v", "1", &State::v, [](const Params&) { return 0.0; }},
        {"s", "1", &State::s, [](const Params&) { return 0.0; }},
        {"tau", "1", &State::tau, [](const Params& p) { return p.tau; }}}};
    static constexpr std::array<sim::CounterField<State>, 0> counter_fields{};

    struct Propagators {
        double inv_eps;
    };

    static void validate(const Params& p);
    // `init` values of the tau column (the engine's optional hook): must be > 0, as log(tau) is used.
    static void validate_init(const std::string& variable, double low, double high);
    static Propagators prepare(const Params& p, double dt);

    static double log_tau_of(double tau) noexcept {
        return std::clamp(std::log(tau), log_tau_min, log_tau_max);
    }

    static bool step(const Params& p, const Propagators& k, const State& s, std::size_t i,
                     double input, double /*single channel*/) noexcept {
        const double v = UltraLif::relax(s.v[i], log_tau_of(s.tau[i]), input + p.i_offset, p.eps, k.inv_eps);
        return soft_spike_and_reset(v, p.v_thresh, k.inv_eps, s.v, s.s, i);
    }
};

}  // namespace myelin::models
