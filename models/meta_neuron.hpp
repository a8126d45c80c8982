// The probabilistic meta neuron: a leaky membrane with delta synapses that spikes with
// probability sigmoid((v - v_thresh)/temperature), an optional synaptic release probability,
// and per-neuron intrinsic parameters kept as state columns so trainers can learn them.
// ALGORITHMS.md 6.5 (project reconstruction) and 8.2 (stochastic binary neuron).
#pragma once

#include "sim/model_traits.hpp"
#include "sim/vector_exp.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

namespace myelin::models {

struct MetaNeuron {
    static constexpr std::string_view name = "MetaNeuron";
    static constexpr int receptors = 1;  // delta synapses: excitatory and inhibitory share one channel
    static constexpr bool conductance_based = false;
    static constexpr int random_words = 2;  // per neuron and step: release, spike

    // Population defaults. tau_m, v_thresh, v_reset, temperature and p_release only initialise
    // the per-neuron columns of the same names; `init` may set those neuron by neuron.
    struct Params {
        double cm = 1.0;           // nF
        double tau_m = 20.0;       // ms
        double v_rest = -65.0;     // mV
        double v_reset = -65.0;    // mV
        double v_thresh = -50.0;   // mV
        double temperature = 1.0;  // mV; 0: deterministic threshold
        double p_release = 1.0;    // probability that a step's input is transmitted
        double i_offset = 0.0;     // nA
    };
    static constexpr std::array<sim::ParamField<Params>, 8> param_fields{{
        {"cm", "nF", &Params::cm},
        {"tau_m", "ms", &Params::tau_m},
        {"v_rest", "mV", &Params::v_rest},
        {"v_reset", "mV", &Params::v_reset},
        {"v_thresh", "mV", &Params::v_thresh},
        {"temperature", "mV", &Params::temperature},
        {"p_release", "1", &Params::p_release},
        {"i_offset", "nA", &Params::i_offset},
    }};

    struct State {  // columns owned by the engine; all but v are intrinsic parameters
        std::span<double> v;            // mV
        std::span<double> tau_m;        // ms
        std::span<double> v_thresh;     // mV
        std::span<double> temperature;  // mV
        std::span<double> v_reset;      // mV
        std::span<double> p_release;    // 1
    };
    static constexpr std::array<sim::StateField<State, Params>, 6> state_fields{{
        {"v", "mV", &State::v, [](const Params& p) { return p.v_rest; }},
        {"tau_m", "ms", &State::tau_m, [](const Params& p) { return p.tau_m; }},
        {"v_thresh", "mV", &State::v_thresh, [](const Params& p) { return p.v_thresh; }},
        {"temperature", "mV", &State::temperature, [](const Params& p) { return p.temperature; }},
        {"v_reset", "mV", &State::v_reset, [](const Params& p) { return p.v_reset; }},
        {"p_release", "1", &State::p_release, [](const Params& p) { return p.p_release; }}}};
    static constexpr std::array<sim::CounterField<State>, 0> counter_fields{};

    struct Propagators {
        double minus_dt;        // -dt, ms: the decay is exp(-dt/tau_m) per neuron
        double v_rest;          // mV
        double drive_per_ms;    // i_offset/cm, mV/ms: v relaxes to v_rest + tau_m*drive_per_ms
    };

    static void validate(const Params& p);
    // Ranges of the per-neuron columns an `init` may set (tau_m > 0, temperature >= 0, ...).
    static void validate_init(const std::string& variable, double low, double high);
    static Propagators prepare(const Params& p, double dt);

    // A uniform number in (0, 1) from a 32-bit word: never 0 or 1, so probability 0 never and
    // probability 1 always passes `u < p`.
    static double open_unit(std::uint32_t word) noexcept { return (word + 0.5) * 0x1.0p-32; }

    // sigmoid(d/t) for temperature t >= 0; t = 0 is the step H(d) (d = 0 fires, as in LIF).
    // Built from e = exp(-|d|/t), which never overflows, as (d >= 0 ? 1 : e) / (1 + e); t = 0
    // sets e = 0. No operation depends on a condition, only values are selected: GCC moves
    // work that only one side of a condition uses into a branch, where a division or a
    // comparison "could trap", and a loop with branches does not vectorise.
    static double firing_probability(double d, double t) noexcept {
        const double e = sim::exp_nonpositive(-std::abs(d) / std::max(t, 1e-300)) * (t > 0.0 ? 1.0 : 0.0);
        return (d >= 0.0 ? 1.0 : e) / (1.0 + e);
    }

    // One step for neuron i: this step's input (released with probability p_release, one
    // draw per neuron and step) jumps v after the exact leak, as in IF_curr_delta; then the
    // neuron fires with probability sigmoid((v - v_thresh)/temperature) and resets to v_reset.
    static bool step(const Params&, const Propagators& k, const State& s, std::size_t i,
                     double input, double /*unused second channel*/, const std::uint32_t* random) noexcept {
        const double tau_m = s.tau_m[i], v_reset = s.v_reset[i];  // loaded whatever happens: no branch
        const double v_inf = k.v_rest + tau_m * k.drive_per_ms;
        const double decay = sim::exp_nonpositive(k.minus_dt / tau_m);
        // A factor, not `released ? input : 0`: GCC would move the float -> double conversion
        // of the input into that branch, where it "could trap", and not vectorise the loop.
        const double released = open_unit(random[0]) < s.p_release[i] ? 1.0 : 0.0;
        const double v = v_inf + decay * (s.v[i] - v_inf) + released * input;
        const bool spike = open_unit(random[1]) < firing_probability(v - s.v_thresh[i], s.temperature[i]);
        s.v[i] = spike ? v_reset : v;
        return spike;
    }
};

}  // namespace myelin::models
