// TessLIF: the discrete-time LIF with soft reset of the TESS hidden layers (Apolinario, Roy,
// Frenkel 2025; ALGORITHMS.md 4.2). One engine step is one step t of the trainer; v, the input
// and the threshold are dimensionless (weight units).
//   v[t] = beta v[t-1] + I[t] + i_offset;  spike iff v[t] >= v_thresh;  v[t] <- v[t] - v_thresh
// I[t] is the input arriving in step t (a spike's weight). IF_curr_delta differs twice: it
// resets to v_reset instead of subtracting the threshold, and its leak relaxes towards v_rest.
#pragma once

#include "sim/model_traits.hpp"

#include <array>
#include <span>

namespace myelin::models {

struct TessLif {
    static constexpr std::string_view name = "TessLIF";
    static constexpr int receptors = 1;  // signed weights on one channel, as IF_curr_delta
    static constexpr bool conductance_based = false;

    struct Params {  // the paper's symbols: beta = sigmoid(leak), theta = max(threshold, 0.5)
        double beta = 0.8807970779778823;  // decay factor per step, in (0, 1]: sigmoid(2), linear layers
        double v_thresh = 0.6;             // theta, > 0: also what the soft reset subtracts
        double i_offset = 0.0;             // constant input added every step (a bias)
    };
    static constexpr std::array<sim::ParamField<Params>, 3> param_fields{{
        {"beta", "1", &Params::beta},
        {"v_thresh", "1", &Params::v_thresh},
        {"i_offset", "1", &Params::i_offset},
    }};

    struct State {
        std::span<double> v;  // membrane after the reset
    };
    static constexpr std::array<sim::StateField<State, Params>, 1> state_fields{{
        {"v", "1", &State::v, [](const Params&) { return 0.0; }}}};  // the trainer starts at u = 0
    static constexpr std::array<sim::CounterField<State>, 0> counter_fields{};

    struct Propagators {};

    static void validate(const Params& p);
    static Propagators prepare(const Params&, double /*dt: the model is per step*/) { return {}; }

    // One step for neuron i. The comparison is v - theta >= 0, as the trainer writes H(u - theta).
    static bool step(const Params& p, const Propagators&, const State& s, std::size_t i, double input,
                     double /*single channel*/) noexcept {
        const double v = p.beta * s.v[i] + (input + p.i_offset);
        const bool spike = v - p.v_thresh >= 0.0;
        s.v[i] = spike ? v - p.v_thresh : v;
        return spike;
    }
};

}  // namespace myelin::models
