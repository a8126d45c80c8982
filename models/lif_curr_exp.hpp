// Leaky integrate-and-fire neuron with exponential current synapses, integrated exactly
// (Rotter & Diesmann 1999; NEST iaf_psc_exp). Equations and acceptance tests: ALGORITHMS.md 1.2.
#pragma once

#include "sim/host_device.hpp"
#include "sim/model_traits.hpp"

#include <cstdint>
#include <span>
#include <vector>

// The hand-vectorised range loop exists where the compiler targets AVX-512 (not in device code).
#if defined(__AVX512F__) && defined(__AVX512VL__) && !defined(__CUDACC__)
#define MYELIN_LIF_CURR_EXP_AVX512 1
#include "models/lif_curr_exp_avx512.hpp"
#endif

namespace myelin::models {

struct LifCurrExpParams {  // PyNN names and defaults
    double cm = 1.0;           // nF
    double tau_m = 20.0;       // ms
    double tau_refrac = 0.1;   // ms
    double tau_syn_E = 5.0;    // ms
    double tau_syn_I = 5.0;    // ms
    double v_rest = -65.0;     // mV
    double v_reset = -65.0;    // mV
    double v_thresh = -50.0;   // mV
    double i_offset = 0.0;     // nA
};

// `Real`: the state's and the arithmetic's precision (double; float for precision = "single").
template <class RealT>
struct BasicLifCurrExp {
    using Real = RealT;
    using Params = LifCurrExpParams;
    static constexpr std::string_view name = "IF_curr_exp";
    static constexpr int receptors = 2;
    static constexpr bool conductance_based = false;
    // step fires exactly when v >= v_thresh and prepare ignores v_thresh: the threshold may adapt
    // per neuron (`homeostasis`, sim/adaptive_threshold.hpp).
    static constexpr bool adaptive_threshold = true;

    static constexpr std::array<sim::ParamField<Params>, 9> param_fields{{
        {"cm", "nF", &Params::cm},
        {"tau_m", "ms", &Params::tau_m},
        {"tau_refrac", "ms", &Params::tau_refrac},
        {"tau_syn_E", "ms", &Params::tau_syn_E},
        {"tau_syn_I", "ms", &Params::tau_syn_I},
        {"v_rest", "mV", &Params::v_rest},
        {"v_reset", "mV", &Params::v_reset},
        {"v_thresh", "mV", &Params::v_thresh},
        {"i_offset", "nA", &Params::i_offset},
    }};

    struct State {  // columns owned by the engine
        std::span<Real> v, i_exc, i_inh;        // mV, nA, nA
        std::span<std::int32_t> refrac_left;    // steps still clamped at v_reset
    };
    static constexpr std::array<sim::StateField<State, Params, Real>, 3> state_fields{{
        {"v", "mV", &State::v, [](const Params& p) { return p.v_rest; }},
        {"i_exc", "nA", &State::i_exc, [](const Params&) { return 0.0; }},
        {"i_inh", "nA", &State::i_inh, [](const Params&) { return 0.0; }}}};
    static constexpr std::array<sim::CounterField<State>, 1> counter_fields{{{"refrac_left", &State::refrac_left}}};
    // Input joins these after the membrane update (the step below adds in_exc/in_inh there
    // too), so the engine may add it to them directly once the update is done.
    static constexpr std::array<std::span<Real> State::*, 2> input_columns{&State::i_exc, &State::i_inh};

    struct Propagators {  // computed in double, then rounded to Real
        Real p22;                 // membrane decay over one step
        Real p21_exc, p21_inh;    // synaptic current -> membrane, mV per nA
        Real v_constant;          // v_rest*(1 - p22) + p20*i_offset, mV
        Real p11_exc, p11_inh;    // synaptic current decay
        std::int32_t refrac_steps;
    };

    static void validate(const Params& p);
    static Propagators prepare(const Params& p, double dt);

    // One step for neuron i (NEST order): the membrane moves with the currents as they were at
    // the start of the step, then this step's input joins the currents, so input arriving now
    // moves v from the next step on. Written without branches so the loop vectorises.
    MYELIN_HOST_DEVICE static bool step(const Params& p, const Propagators& k, const State& s, std::size_t i,
                     Real in_exc, Real in_inh) noexcept {
        const std::int32_t refrac = s.refrac_left[i];
        const Real v_free = k.p22 * s.v[i] + k.p21_exc * s.i_exc[i] + k.p21_inh * s.i_inh[i] +
                            k.v_constant;
        const Real v = refrac > 0 ? s.v[i] : v_free;
        s.i_exc[i] = k.p11_exc * s.i_exc[i] + in_exc;
        s.i_inh[i] = k.p11_inh * s.i_inh[i] + in_inh;
        // From Params, not the propagators: the threshold may adapt per neuron (homeostasis).
        // Rounded to Real unconditionally, before the selects: a conversion inside one arm
        // could trap, so the compiler would not turn the arms into vector blends.
        const Real v_thresh = static_cast<Real>(p.v_thresh), v_reset = static_cast<Real>(p.v_reset);
        const bool spike = v >= v_thresh;
        s.v[i] = spike ? v_reset : v;
        s.refrac_left[i] = spike ? k.refrac_steps : (refrac > 0 ? refrac - 1 : 0);
        return spike;
    }

#ifdef MYELIN_LIF_CURR_EXP_AVX512
    // `step` for neurons [begin, end), appending the ones that fire to `spikes`; bit-identical
    // to the loop over `step` and faster (models/lif_curr_exp_avx512.hpp says why). `in_exc` and
    // `in_inh` are this step's input rows, or null when input joins the currents directly.
    static void advance_range(const Params& p, const Propagators& k, const State& s, std::size_t begin,
                              std::size_t end, float* in_exc, float* in_inh, std::vector<std::uint32_t>& spikes) {
        avx512::advance_lif_curr_exp<BasicLifCurrExp>(p, k, s, begin, end, in_exc, in_inh, spikes);
    }
#endif
};

using LifCurrExp = BasicLifCurrExp<double>;
using LifCurrExpSingle = BasicLifCurrExp<float>;

}  // namespace myelin::models
