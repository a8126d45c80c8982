// What a neuron model provides to the engine (STYLE.md "A neuron model"): parameter fields with
// units and defaults, state columns, propagators prepared once per (Params, dt), and a pure
// per-neuron `step`. The engine owns the loop and calls `step` behind one virtual call per
// population.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace myelin::sim {

// One model parameter, spelled as its config key (PyNN names), with its unit.
template <class Params>
struct ParamField {
    std::string_view key;
    std::string_view unit;
    double Params::*member;
};

// One state variable column: recordable and settable through `init`. The engine owns the
// storage; State holds spans into it, so a copy of State is a handful of pointers that the
// compiler keeps in registers while it vectorises the update loop.
// `Real` is the column's element type: double, or float for a model's single-precision form.
template <class State, class Params, class Real = double>
struct StateField {
    std::string_view name;
    std::string_view unit;
    std::span<Real> State::*column;
    double (*initial)(const Params&);  // value of a neuron at rest
};

// An integer column the model keeps for itself (e.g. refractory steps left); starts at 0.
template <class State>
struct CounterField {
    std::string_view name;
    std::span<std::int32_t> State::*column;
};

// Optional: a model that draws random numbers (stochastic spiking, synaptic failure) declares
// how many uniform 32-bit words it needs per neuron and step, 1, 2 or 4, and takes them as the
// last argument of `step`. The engine draws them from Philox keyed by (seed, population,
// neuron, step), so they never depend on the thread count (sim/neuron_population.hpp).
template <class M>
concept StochasticNeuronModel =
    requires(const typename M::Params& params, const typename M::State& state,
             const typename M::Propagators& propagators, const std::uint32_t* random) {
        requires M::random_words == 1 || M::random_words == 2 || M::random_words == 4;
        { M::step(params, propagators, state, std::size_t{}, 0.0, 0.0, random) } -> std::same_as<bool>;
    };

// Optional: a model may run its step over a range of neurons itself (hand-vectorised), reading
// and clearing this step's input rows (null when input joins its columns directly) and appending
// the neurons that fire, in order; it must give exactly the results of the loop over `step`.
template <class M>
concept RangeAdvancingModel =
    requires(const typename M::Params& params, const typename M::State& state,
             const typename M::Propagators& propagators, float* input, std::vector<std::uint32_t>& spikes) {
        M::advance_range(params, propagators, state, std::size_t{}, std::size_t{}, input, input, spikes);
    };

// Optional: a model's state columns are `typename M::Real` (float for the single-precision
// form of the LIF models, ALGORITHMS.md 1.2-1.4 integrated in float); double when absent.
template <class M>
struct model_real {
    using type = double;
};
template <class M>
    requires requires { typename M::Real; }
struct model_real<M> {
    using type = typename M::Real;
};
template <class M>
using model_real_t = typename model_real<M>::type;

template <class M>
concept NeuronModel = requires(const typename M::Params& params, const typename M::State& state,
                               const typename M::Propagators& propagators, double dt) {
    { M::name } -> std::convertible_to<std::string_view>;
    { M::receptors } -> std::convertible_to<int>;  // input channels: 1 (delta) or 2 (exc, inh)
    { M::conductance_based } -> std::convertible_to<bool>;
    M::param_fields;
    M::state_fields;
    M::counter_fields;
    M::validate(params);                                          // throws ParamError
    { M::prepare(params, dt) } -> std::same_as<typename M::Propagators>;
} && (StochasticNeuronModel<M> ||
      requires(const typename M::Params& params, const typename M::State& state,
               const typename M::Propagators& propagators) {
          { M::step(params, propagators, state, std::size_t{}, 0.0, 0.0) } -> std::same_as<bool>;
      });

}  // namespace myelin::sim
