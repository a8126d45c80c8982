// Integrator: a non-spiking readout that sums its input, v[t] = v[t-1] + gain*(I[t] + i_offset).
// With a periodic reset (PopulationSpec::reset) every T steps and gain 1/T it holds the mean
// over a trial of its input: the readout of the BPTT-trained networks (docs/learning.md,
// "Running a trained network in the engine"), whose logits are the mean over T steps of the
// linear readout of the soft spikes.
#pragma once

#include "sim/model_traits.hpp"

#include <array>
#include <span>

namespace myelin::models {

struct Integrator {
    static constexpr std::string_view name = "Integrator";
    static constexpr int receptors = 1;  // signed input on one channel, as IF_curr_delta
    static constexpr bool conductance_based = false;

    struct Params {
        double gain = 1.0;      // 1 (v per unit of input)
        double i_offset = 0.0;  // added to the input every step (input units)
    };
    static constexpr std::array<sim::ParamField<Params>, 2> param_fields{{
        {"gain", "1", &Params::gain},
        {"i_offset", "1", &Params::i_offset},
    }};

    struct State {
        std::span<double> v;  // the sum of gain * input since the start (or the last reset)
    };
    static constexpr std::array<sim::StateField<State, Params>, 1> state_fields{{
        {"v", "1", &State::v, [](const Params&) { return 0.0; }}}};
    static constexpr std::array<sim::CounterField<State>, 0> counter_fields{};

    struct Propagators {};

    static void validate(const Params& p);
    static Propagators prepare(const Params&, double) { return {}; }

    static bool step(const Params& p, const Propagators&, const State& s, std::size_t i, double input,
                     double /*single channel*/) noexcept {
        s.v[i] += p.gain * (input + p.i_offset);
        return false;  // never spikes: a readout
    }
};

}  // namespace myelin::models
