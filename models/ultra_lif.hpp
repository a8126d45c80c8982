// UltraLIF: the LIF recursion ultradiscretized to max-plus and relaxed with log-sum-exp at
// temperature eps (Minoza 2026, arXiv 2602.11206; ALGORITHMS.md 5.3). Discrete time: one
// engine step is one step t of the paper, and V, I, theta are dimensionless.
//   V[t] = lse_eps(V[t-1] + log(tau), I[t]),  I[t] = input arriving in step t + i_offset
//   s[t] = sigmoid((V[t] - theta)/eps),  V[t] <- V[t]*(1 - s[t]);  spike event iff V[t] >= theta
#pragma once

#include "models/ultra_float_math.hpp"
#include "models/ultra_soft_spike.hpp"
#include "sim/model_traits.hpp"

#include <cstdint>
#include <span>

namespace myelin::models {

struct UltraLif {
    static constexpr std::string_view name = "UltraLIF";
    static constexpr int receptors = 1;  // signed weights on one channel, as IF_curr_delta
    static constexpr bool conductance_based = false;

    struct Params {  // the paper's symbols: tau, eps, theta (= v_thresh)
        double tau = 0.9;       // decay factor per step, in (0, 1]
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
        std::span<double> v;  // V after the reset
        std::span<double> s;  // soft spike of the last step, in (0, 1)
    };
    static constexpr std::array<sim::StateField<State, Params>, 2> state_fields{{
        {"v", "1", &State::v, [](const Params&) { return 0.0; }},  // the paper starts at V = 0
        {"s", "1", &State::s, [](const Params&) { return 0.0; }}}};
    static constexpr std::array<sim::CounterField<State>, 0> counter_fields{};

    struct Propagators {
        double log_tau;  // added to V each step (the paper's code adds log(tau), not eps*log(tau))
        double inv_eps;
    };

    static void validate(const Params& p);
    static Propagators prepare(const Params& p, double dt);

    // The membrane update without the spike: lse_eps(v + log_tau, input), the correction
    // eps*log(1 + exp(-gap/eps)) in float precision (ultra_float_math.hpp; sim::lse is the
    // double reference). It lies in [0, eps*log 2]: V keeps double precision where it matters.
    static double relax(double v, double log_tau, double input, double eps, double inv_eps) noexcept {
        const double a = v + log_tau;
        const double m = a > input ? a : input;
        const double gap = a > input ? a - input : input - a;
        const float correction = log1p_unit_float(exp_nonpositive_float(static_cast<float>(-gap * inv_eps)));
        return m + eps * static_cast<double>(correction);
    }

    static bool step(const Params& p, const Propagators& k, const State& s, std::size_t i,
                     double input, double /*single channel*/) noexcept {
        const double v = relax(s.v[i], k.log_tau, input + p.i_offset, p.eps, k.inv_eps);
        return soft_spike_and_reset(v, p.v_thresh, k.inv_eps, s.v, s.s, i);
    }
};

}  // namespace myelin::models
