// Leaky integrate-and-fire neuron with delta synapses: each input spike makes the membrane
// jump by its weight in mV (NEST iaf_psc_delta, PyNN IF_curr_delta; Brunel 2000).
// Exact integration; input arriving while refractory is discarded, as NEST does. ALGORITHMS.md 1.3.
#pragma once

#include "sim/host_device.hpp"
#include "sim/model_traits.hpp"

#include <cstdint>
#include <span>
#include <vector>

// The hand-vectorised range loop exists where the compiler targets AVX-512 (not in device code).
#if defined(__AVX512F__) && defined(__AVX512VL__) && !defined(__CUDACC__)
#define MYELIN_LIF_CURR_DELTA_AVX512 1
#include "models/lif_curr_delta_avx512.hpp"
#endif

namespace myelin::models {

struct LifCurrDeltaParams {  // PyNN names and defaults
    double cm = 1.0;           // nF
    double tau_m = 20.0;       // ms
    double tau_refrac = 0.1;   // ms
    double v_rest = -65.0;     // mV
    double v_reset = -65.0;    // mV
    double v_thresh = -50.0;   // mV
    double i_offset = 0.0;     // nA
};

// `Real`: the state's and the arithmetic's precision (double; float for precision = "single").
template <class RealT>
struct BasicLifCurrDelta {
    using Real = RealT;
    using Params = LifCurrDeltaParams;
    static constexpr std::string_view name = "IF_curr_delta";
    static constexpr int receptors = 1;  // excitatory and inhibitory jumps share one channel
    static constexpr bool conductance_based = false;
    // step fires exactly when v >= v_thresh and prepare ignores v_thresh: the threshold may adapt
    // per neuron (`homeostasis`, sim/adaptive_threshold.hpp).
    static constexpr bool adaptive_threshold = true;

    static constexpr std::array<sim::ParamField<Params>, 7> param_fields{{
        {"cm", "nF", &Params::cm},
        {"tau_m", "ms", &Params::tau_m},
        {"tau_refrac", "ms", &Params::tau_refrac},
        {"v_rest", "mV", &Params::v_rest},
        {"v_reset", "mV", &Params::v_reset},
        {"v_thresh", "mV", &Params::v_thresh},
        {"i_offset", "nA", &Params::i_offset},
    }};

    struct State {  // columns owned by the engine
        std::span<Real> v;                      // mV
        std::span<std::int32_t> refrac_left;    // steps still clamped at v_reset
    };
    static constexpr std::array<sim::StateField<State, Params, Real>, 1> state_fields{{
        {"v", "mV", &State::v, [](const Params& p) { return p.v_rest; }}}};
    static constexpr std::array<sim::CounterField<State>, 1> counter_fields{{{"refrac_left", &State::refrac_left}}};

    struct Propagators {  // computed in double, then rounded to Real
        Real p22;                 // membrane decay over one step
        Real v_constant;          // relaxation towards v_rest + R*i_offset over one step, mV
        std::int32_t refrac_steps;
    };

    static void validate(const Params& p);
    static Propagators prepare(const Params& p, double dt);

    MYELIN_HOST_DEVICE static bool step(const Params& p, const Propagators& k, const State& s, std::size_t i,
                     Real jump, Real /*unused second channel*/) noexcept {
        const std::int32_t refrac = s.refrac_left[i];
        const Real v_free = k.p22 * s.v[i] + k.v_constant + jump;
        const Real v = refrac > 0 ? s.v[i] : v_free;
        // From Params, not the propagators: the threshold may adapt per neuron (homeostasis).
        // Rounded to Real unconditionally, before the selects: a conversion inside one arm
        // could trap, so the compiler would not turn the arms into vector blends.
        const Real v_thresh = static_cast<Real>(p.v_thresh), v_reset = static_cast<Real>(p.v_reset);
        const bool spike = v >= v_thresh;
        s.v[i] = spike ? v_reset : v;
        s.refrac_left[i] = spike ? k.refrac_steps : (refrac > 0 ? refrac - 1 : 0);
        return spike;
    }

#ifdef MYELIN_LIF_CURR_DELTA_AVX512
    // `step` for neurons [begin, end), appending the ones that fire to `spikes`; bit-identical
    // to the loop over `step` (models/lif_curr_delta_avx512.hpp). `in`: this step's input row
    // (null when nothing projects here); the second channel does not exist.
    static void advance_range(const Params& p, const Propagators& k, const State& s, std::size_t begin,
                              std::size_t end, float* in, float* /*unused*/, std::vector<std::uint32_t>& spikes) {
        avx512::advance_lif_curr_delta<BasicLifCurrDelta>(p, k, s, begin, end, in, spikes);
    }
#endif
};

using LifCurrDelta = BasicLifCurrDelta<double>;
using LifCurrDeltaSingle = BasicLifCurrDelta<float>;

}  // namespace myelin::models
