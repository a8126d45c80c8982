// What a neuron model provides to the engine (STYLE.md "A neuron model"): parameter fields with
// units and defaults, state columns, propagators prepared once per (Params, dt), and a pure
// per-neuron `step`. The engine owns the loop and calls `step` behind one virtual call per
// population.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
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

// One state variable column: recordable and settable through `init`.
template <class State>
struct StateField {
    std::string_view name;
    std::string_view unit;
    std::vector<double> State::*column;
};

template <class M>
concept NeuronModel = requires(const typename M::Params& params, typename M::State& state,
                               const typename M::Propagators& propagators, double dt) {
    { M::name } -> std::convertible_to<std::string_view>;
    { M::receptors } -> std::convertible_to<int>;  // input channels: 1 (delta) or 2 (exc, inh)
    { M::conductance_based } -> std::convertible_to<bool>;
    M::param_fields;
    M::state_fields;
    M::validate(params);                                          // throws ParamError
    { M::prepare(params, dt) } -> std::same_as<typename M::Propagators>;
    state.resize(std::size_t{}, params);                          // sized and at rest
    { M::step(params, propagators, state, std::size_t{}, 0.0, 0.0) } -> std::same_as<bool>;
};

}  // namespace myelin::sim
