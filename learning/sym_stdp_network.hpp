// The network of Hao et al. 2020 (ALGORITHMS.md 3.2-3.6): Poisson input P -> excitatory E (sym-STDP,
// synaptic scaling, dynamic threshold) with soft winner-take-all through one-to-one E -> I and
// all-but-partner I -> E, and a class layer C that is a Poisson teacher in training and a LIF
// readout in testing. A dedicated, event-driven loop rather than the generic engine: the protocol
// rescales every weight column between samples, re-presents a sample with rising intensity, and
// swaps C between source and neuron; docs/learning.md says why and what it costs.
#pragma once

#include "learning/dynamic_threshold.hpp"
#include "learning/sym_stdp.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace myelin::learning {

struct SymStdpNetworkParams {
    std::size_t n_input = 784, n_exc = 400, n_classes = 10;
    double dt = 0.5;                   // ms, forward Euler as in the reference
    // Excitatory layer E (conductances dimensionless, voltages in mV).
    double exc_tau_m = 100.0, exc_v_rest = -65.0, exc_v_reset = -65.0, exc_v_thresh = -52.0;
    double exc_tau_refrac = 2.0;       // ms
    double exc_v_init = -105.0;        // mV, clipped at once to v_floor as in the reference
    double v_floor = -100.0;           // mV, lower bound of E's membrane
    // Inhibitory layer I and the class layer C in test mode (C has no refractory period).
    double inh_tau_m = 10.0, inh_v_rest = -60.0, inh_v_reset = -45.0, inh_v_thresh = -40.0, inh_tau_refrac = 2.0;
    double cls_tau_m = 10.0, cls_v_rest = -60.0, cls_v_reset = -45.0, cls_v_thresh = -40.0;
    double tau_syn_input = 1.0, tau_syn_exc_inh = 1.0, tau_syn_inh_exc = 2.0, tau_syn_exc_cls = 1.0;  // ms
    double e_rev_exc = 0.0, e_rev_inh = -100.0;                                                      // mV
    double w_exc_inh = 10.4, w_inh_exc = 17.0;
    // I -> E in testing is w_inh_exc times this (1: as in training). Below 1 the winner-take-all
    // is softer in testing, so a test image is answered by several similar fields, not one or two.
    double test_inhibition_scale = 1.0;
    double w_init_max = 0.3;           // plastic weights start uniform in [0, w_init_max)
    SymStdpParams input_rule{20.0, 0.1, 0.005, 1.0};   // P -> E
    SymStdpParams class_rule{20.0, 0.1, 0.04, 8.0};    // E -> C
    double input_weight_sum = 78.4;    // S_E: each E neuron's inputs sum to this before every sample
    double class_weight_sum = 320.0;   // S_C: each C neuron's inputs sum to this before every training sample
    DynamicThresholdParams threshold;
    // Protocol (ALGORITHMS.md 3.6).
    double present_ms = 350.0, rest_ms = 150.0;
    double intensity = 2.0;            // k: rate = (pixel/8) * k Hz
    double intensity_max = 32.0;       // re-present with k + 1 while E fires < min_exc_spikes and k < this
    double min_exc_spikes = 5.0;
    double teacher_rate = 200.0;       // Hz, the true label's C neuron in training
};

void validate_sym_stdp_network(const SymStdpNetworkParams& p);  // ParamError naming the config key

// Everything that evolves per neuron; weights and theta live in SymStdpWeights.
struct SymStdpState {
    std::vector<float> v_exc, g_input, g_inh_exc, refrac_exc;
    std::vector<float> v_inh, g_exc_inh, refrac_inh;
    std::vector<float> v_cls, g_exc_cls;
    std::vector<float> x_input, y_exc, x_exc, y_cls;   // sym-STDP traces
    std::vector<std::uint8_t> input_spiked;            // the reference bars two input spikes in a row
    void reset(const SymStdpNetworkParams& p, double v_exc_start);
};

struct SymStdpWeights {
    std::vector<float> input_exc;   // [n_input][n_exc]: row j = the weights of input pixel j
    std::vector<float> exc_cls;     // [n_exc][n_classes]
    std::vector<double> theta;      // [n_exc], mV (double: dynamic_threshold.hpp says why)
};

// What one sample produced: spike counts of E and C in the last (accepted) presentation.
struct SampleResponse {
    std::vector<std::uint16_t> exc_counts, cls_counts;
    int presentations = 0;
};

enum class Phase { train, test };

// What learns in a training sample (ALGORITHMS.md 3.6 schedule). `hidden`: P -> E sym-STDP and
// the dynamic threshold; off, the hidden layer is frozen as in the reference's FIXED_HIDDEN_LAYER
// second stage (P -> E static, tau_theta = 1e10, c_theta = 0). `classes`: E -> C sym-STDP.
// `input_eta_scale` multiplies eta_input and `class_eta_scale` eta_class (per-epoch learning-rate schedules).
struct Plasticity {
    bool hidden = true, classes = true;
    double input_eta_scale = 1.0;
    double class_eta_scale = 1.0;
};

class SymStdpNetwork {
public:
    SymStdpNetwork(const SymStdpNetworkParams& params, std::uint64_t seed);

    // One sample through the whole protocol. Training: scale, learn (P -> E, E -> C, theta), C is
    // the teacher for `label`. Testing: weights and theta frozen, C driven by E, `state` is the
    // caller's (so samples can run in parallel from a reset state). `serial` keys the random
    // numbers: the same (phase, serial, image) gives the same spikes on any thread.
    SampleResponse train(std::span<const std::uint8_t> image, int label, std::uint32_t serial);
    SampleResponse test(std::span<const std::uint8_t> image, std::uint32_t serial, SymStdpState& state) const;

    SymStdpState fresh_state() const;   // every neuron at rest, no conductance, no trace
    const SymStdpWeights& weights() const { return weights_; }
    SymStdpWeights& weights() { return weights_; }
    const SymStdpNetworkParams& params() const { return params_; }
    void scale_weights(Phase phase);    // synaptic scaling of P -> E (and E -> C in training)
    // E -> C back to the weights it was built with (the same Philox draws): the readout is then
    // learned afresh, e.g. on a hidden layer that has stopped moving (schedule relearn_readouts).
    void reset_class_weights();
    void set_plasticity(const Plasticity& plasticity) { plasticity_ = plasticity; }
    const Plasticity& plasticity() const { return plasticity_; }

private:
    struct Presentation;
    SampleResponse run_sample(std::span<const std::uint8_t> image, int label, std::uint32_t serial, Phase phase,
                              SymStdpState& state, SymStdpWeights& weights, std::vector<double>* scratch) const;
    void run_phase(Presentation& run, std::size_t steps, bool inputs_on) const;
    void fill_initial_weights(std::vector<float>& w, std::size_t rows, std::size_t columns, std::uint32_t projection) const;

    SymStdpNetworkParams params_;
    std::uint64_t seed_;
    SymStdpWeights weights_;
    SymStdpState state_;   // the training network's state, carried from sample to sample
    std::vector<double> scratch_;
    Plasticity plasticity_;
};

}  // namespace myelin::learning
