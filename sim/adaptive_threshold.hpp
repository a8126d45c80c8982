// Rate-target homeostasis of intrinsic excitability: each neuron's threshold is moved by an
// offset theta that integrates the gap between a running estimate of its own rate and a target
// (SORN's intrinsic plasticity, Lazar, Pipa & Triesch 2009, with a low-pass rate estimate as
// the detector; docs/learning.md "Adaptive threshold"). With r in Hz and t in ms:
//
//     dr/dt = -r/tau + (1000/tau) sum_k delta(t - t_k)      (r: the neuron's rate, Hz)
//     dtheta/dt = (eta/1000) (r - target_rate)              (eta: mV per spike = mV/(Hz s))
//     the neuron fires when v >= v_thresh + theta
//
// Both are integrated exactly over a step (r decays between spikes; a spike joins r at the end
// of its step). Over any interval, theta changes by eta*(spikes - target_rate*T/1000) up to what
// the rate estimate still holds, so where theta settles the neuron fires at exactly target_rate.
//
// AdaptiveThreshold<M> is itself a neuron model, a second type rather than a branch in M's loop
// (STYLE.md), so a population without homeostasis runs M's loop exactly as before.
#pragma once

#include "sim/model_traits.hpp"

#include <array>
#include <cmath>
#include <map>
#include <string>
#include <utility>

namespace myelin::sim {

struct ThresholdHomeostasisParams {
    double target_rate = 5.0;  // Hz
    double tau = 1000.0;       // ms, time constant of the rate estimate
    double eta = 0.1;          // mV per spike: theta's long-run change per spike above target
};

inline constexpr std::array<ParamField<ThresholdHomeostasisParams>, 3> threshold_homeostasis_fields{{
    {"target_rate", "Hz", &ThresholdHomeostasisParams::target_rate},
    {"tau", "ms", &ThresholdHomeostasisParams::tau},
    {"eta", "mV/spike", &ThresholdHomeostasisParams::eta},
}};

// The state columns the mechanism adds to the model's: name and unit.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 2> threshold_homeostasis_state{{
    {"theta", "mV"},
    {"rate", "Hz"},
}};

// From the keys a config's `homeostasis` table gave; throws ParamError naming the key for an
// unknown key or a value out of range.
ThresholdHomeostasisParams threshold_homeostasis_from(const std::map<std::string, double>& given);

// A model whose `step` fires exactly when v >= p.v_thresh and whose propagators do not depend on
// v_thresh declares `static constexpr bool adaptive_threshold = true`. Double-precision forms
// only: theta and rate are double columns beside the model's own.
template <class M>
concept ThresholdAdaptable = NeuronModel<M> && !StochasticNeuronModel<M> && std::same_as<model_real_t<M>, double> &&
                             requires(typename M::Params& p) {
    requires M::adaptive_threshold;
    { p.v_thresh } -> std::same_as<double&>;
};

template <class M>
struct AdaptiveThresholdState : M::State {
    std::span<double> theta;  // mV, added to v_thresh
    std::span<double> rate;   // Hz, the running rate estimate r
};

namespace detail {
// input_columns exactly when M has them (sim/neuron_population.hpp detects the member).
template <class M, bool = requires { M::input_columns; }>
struct AdaptiveThresholdInputs {};
template <class M>
struct AdaptiveThresholdInputs<M, true> {
    static constexpr auto input_columns = [] {
        std::array<std::span<double> AdaptiveThresholdState<M>::*, M::input_columns.size()> out{};
        for (std::size_t c = 0; c < out.size(); ++c) out[c] = M::input_columns[c];
        return out;
    }();
};
}  // namespace detail

template <ThresholdAdaptable M>
struct AdaptiveThreshold : detail::AdaptiveThresholdInputs<M> {
    static constexpr std::string_view name = M::name;
    static constexpr int receptors = M::receptors;
    static constexpr bool conductance_based = M::conductance_based;

    struct Params : M::Params {
        ThresholdHomeostasisParams homeostasis;
    };
    static constexpr auto& param_fields = M::param_fields;  // the model's keys; homeostasis has its own table

    using State = AdaptiveThresholdState<M>;
    template <std::size_t K>
    static double initial(const Params& p) { return M::state_fields[K].initial(p); }
    static constexpr std::size_t model_columns = M::state_fields.size();
    static constexpr auto state_fields = [] {
        return []<std::size_t... K>(std::index_sequence<K...>) {
            return std::array<StateField<State, Params>, model_columns + 2>{{
                {M::state_fields[K].name, M::state_fields[K].unit, M::state_fields[K].column, &initial<K>}...,
                {threshold_homeostasis_state[0].first, threshold_homeostasis_state[0].second, &State::theta,
                 [](const Params&) { return 0.0; }},
                {threshold_homeostasis_state[1].first, threshold_homeostasis_state[1].second, &State::rate,
                 [](const Params&) { return 0.0; }},
            }};
        }(std::make_index_sequence<model_columns>{});
    }();
    static constexpr auto counter_fields = [] {
        return []<std::size_t... K>(std::index_sequence<K...>) {
            return std::array<CounterField<State>, sizeof...(K)>{{{M::counter_fields[K].name, M::counter_fields[K].column}...}};
        }(std::make_index_sequence<M::counter_fields.size()>{});
    }();

    struct Propagators {
        typename M::Propagators model;
        double rate_decay;      // exp(-dt/tau)
        double rate_jump;       // Hz added to r by one spike: 1000/tau
        double theta_per_rate;  // mV per Hz: (eta/1000) * integral of exp(-t/tau) over a step
        double theta_drift;     // mV per step: (eta/1000) * target_rate * dt
    };

    static void validate(const Params& p);
    static Propagators prepare(const Params& p, double dt) {
        const ThresholdHomeostasisParams& h = p.homeostasis;
        const double decay = std::exp(-dt / h.tau);
        return {M::prepare(p, dt), decay, 1000.0 / h.tau, h.eta / 1000.0 * h.tau * (1.0 - decay),
                h.eta / 1000.0 * h.target_rate * dt};
    }

    static bool step(const Params& p, const Propagators& k, const State& s, std::size_t i, double in_0,
                     double in_1) noexcept {
        typename M::Params moved = p;  // only v_thresh differs; the compiler keeps the rest in registers
        moved.v_thresh = p.v_thresh + s.theta[i];
        const bool spike = M::step(moved, k.model, s, i, in_0, in_1);
        s.theta[i] += k.theta_per_rate * s.rate[i] - k.theta_drift;
        s.rate[i] = k.rate_decay * s.rate[i] + (spike ? k.rate_jump : 0.0);
        return spike;
    }
};

void validate_threshold_homeostasis(const ThresholdHomeostasisParams& p);

template <ThresholdAdaptable M>
void AdaptiveThreshold<M>::validate(const Params& p) {
    M::validate(p);
    validate_threshold_homeostasis(p.homeostasis);
}

}  // namespace myelin::sim
