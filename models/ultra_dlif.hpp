// UltraDLIF: UltraLIF's spike and reset with a "diffusion" update that couples each neuron to
// its two ring neighbours (ALGORITHMS.md 5.3, the paper's code: neighbours along the feature axis,
// circular wrap), generalised by a coupling strength g:
//   V_i[t] = lse_eps(V_{i-1}[t-1] + log g, V_i[t-1], V_{i+1}[t-1] + log g) + I_i[t]
// g = 1 is the paper's form; g = 0 drops the neighbour terms (V_i[t] = V_i[t-1] + I_i[t]).
// Neighbours are i-1 and i+1 mod N, counted twice when they coincide (N <= 2), as the paper's
// torch.roll does.
#pragma once

#include "models/ultra_soft_spike.hpp"
#include "sim/log_sum_exp.hpp"
#include "sim/model_traits.hpp"

#include <algorithm>
#include <cstdint>
#include <span>

namespace myelin::models {

struct UltraDlif {
    static constexpr std::string_view name = "UltraDLIF";
    static constexpr int receptors = 1;
    static constexpr bool conductance_based = false;

    struct Params {
        double coupling = 1.0;  // g: weight of each neighbour in the linear domain, >= 0
        double eps = 1.0;       // temperature, > 0
        double v_thresh = 1.0;  // theta
        double i_offset = 0.0;  // constant input added to I every step
    };
    static constexpr std::array<sim::ParamField<Params>, 4> param_fields{{
        {"coupling", "1", &Params::coupling},
        {"eps", "1", &Params::eps},
        {"v_thresh", "1", &Params::v_thresh},
        {"i_offset", "1", &Params::i_offset},
    }};

    struct State {
        std::span<double> v, s;   // as UltraLIF
        std::span<double> v_start;  // V of every neuron at the start of the step (the coupling reads it)
    };
    static constexpr std::array<sim::StateField<State, Params>, 3> state_fields{{
        {"v", "1", &State::v, [](const Params&) { return 0.0; }},
        {"s", "1", &State::s, [](const Params&) { return 0.0; }},
        {"v_start", "1", &State::v_start, [](const Params&) { return 0.0; }}}};
    static constexpr std::array<sim::CounterField<State>, 0> counter_fields{};

    struct Propagators {
        double log_coupling;  // log g, added to the neighbour terms
        double inv_eps;
        bool coupled;         // g > 0
    };

    static void validate(const Params& p);
    static Propagators prepare(const Params& p, double dt);

    // Determinism: the engine calls this once per step, on one thread, before any range of
    // neurons is updated; `step` then reads neighbours only from the snapshot, so the result does
    // not depend on how the population is split between threads.
    static void before_update(const Params&, const State& s) noexcept {
        std::copy(s.v.begin(), s.v.end(), s.v_start.begin());
    }

    static bool step(const Params& p, const Propagators& k, const State& s, std::size_t i,
                     double input, double /*single channel*/) noexcept {
        const std::size_t n = s.v_start.size();
        const double self = s.v_start[i];
        double v = self;
        if (k.coupled) {
            const double left = s.v_start[i == 0 ? n - 1 : i - 1] + k.log_coupling;
            const double right = s.v_start[i + 1 == n ? 0 : i + 1] + k.log_coupling;
            v = sim::lse(left, self, right, p.eps);
        }
        v += input + p.i_offset;
        return soft_spike_and_reset(v, p.v_thresh, k.inv_eps, s.v, s.s, i);
    }
};

}  // namespace myelin::models
