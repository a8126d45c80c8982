// Supervised learning of ten-bit spatial patterns with STDP and a global homeostatic factor
// (Davies et al. 2025; ALGORITHMS.md 2.2-2.5), in the engine's terms: a training network run
// once per pattern (spike sources, relays, stdp_symmetric projections, a teacher), the
// recognition network of 2.3, the factor of 2.4 and the evaluation over all 2^bits inputs.
#pragma once

#include "experiments/catalogue.hpp"
#include "learning/homeostatic_factor.hpp"
#include "sim/network_spec.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace myelin::cli {

struct SpatialPatternSetup {
    int bits = 10;
    double relay_weight = 20.0;    // mV: one input spike fires its relay
    double teacher_weight = 20.0;  // mV: the teacher fires both outputs
    // Training spike times (ms). A source spike at t is emitted in step t/dt - 1 (stamped t);
    // relay (1 ms) and synapse (1 ms) delays bring a relay spike to its plastic synapse in step
    // t/dt + 1, and the teacher (2 ms) fires the outputs in step teacher_time/dt + 1. So
    // 26 / 31 / 36 ms pair each active relay 5 ms before or after the output spike at the
    // synapse, with relay spikes stamped 27 and 37 ms: the SpiNNaker timing of ALGORITHMS.md 2.9.
    double channel1_time = 26.0;
    double teacher_time = 31.0;
    double channel0_time = 36.0;
    double training_duration = 75.0;  // ms
    sim::PlasticitySpec stdp{"stdp_symmetric", "additive",
                             {{"tau_plus", 5.0}, {"tau_minus", 5.0}, {"A_plus", 1.0}, {"A_minus", 1.0},
                              {"w_min", 0.0}, {"w_max", 20.0}}};
    double test_time = 10.0;      // ms: the input spikes of the recognition network
    double test_duration = 20.0;  // ms: the output can fire at most once
    learning::HomeostaticFactorParams homeostasis;
    bool closed_form_factor = false;  // the closed form of 2.4 instead of the search on the network
};

// Learned weights per bit (mV): w1 from channel-1 relays to OUT1, w0 from channel-0 relays to OUT0.
struct LearnedWeights {
    std::vector<double> w1, w0;
};

struct Confusion {
    int tp = 0, tn = 0, fp = 0, fn = 0;
    double accuracy() const;
    double precision() const;    // 0 when nothing fired
    double npv() const;          // 0 when everything fired
    double sensitivity() const;
    double specificity() const;
    bool operator==(const Confusion&) const = default;
};

// V_thresh - V_rest of the IF_curr_delta output neuron (mV): the drive the output needs.
double firing_gap_mv();

sim::NetworkSpec training_network(const SpatialPatternSetup& setup, std::uint32_t pattern);
LearnedWeights train_pattern(const SpatialPatternSetup& setup, std::uint32_t pattern, const Catalogue& catalogue);
// Each pattern in a fresh network from zero weights; the weight vectors summed (duplicates twice).
LearnedWeights train_patterns(const SpatialPatternSetup& setup, std::span<const std::uint32_t> patterns,
                              const Catalogue& catalogue);

sim::NetworkSpec recognition_network(const SpatialPatternSetup& setup, const LearnedWeights& weights, double h,
                                     std::uint32_t input);
int recognition_spikes(const SpatialPatternSetup& setup, const LearnedWeights& weights, double h,
                       std::uint32_t input, const Catalogue& catalogue);

// sum_j s_j (w1_j - w0_j), s_j = +1 for a 1 bit and -1 for a 0 bit (mV at h = 1).
double drive_mv(const LearnedWeights& weights, std::uint32_t input);

// The factor of each trained pattern (search on the recognition network, or the closed form)
// and their maximum H.
struct FactorResult {
    std::vector<std::optional<double>> per_pattern;
    std::optional<double> global;
};
FactorResult homeostatic_factor(const SpatialPatternSetup& setup, const LearnedWeights& weights,
                                std::span<const std::uint32_t> patterns, const Catalogue& catalogue);

// Every input in a fresh recognition network; the trained patterns (de-duplicated) are the positives.
Confusion evaluate(const SpatialPatternSetup& setup, const LearnedWeights& weights, double h,
                   std::span<const std::uint32_t> patterns, const Catalogue& catalogue);
// The idealised model (gain 1): an input fires iff h * drive >= the gap. No simulation.
Confusion evaluate_idealised(const SpatialPatternSetup& setup, const LearnedWeights& weights, double h,
                             std::span<const std::uint32_t> patterns);

}  // namespace myelin::cli
