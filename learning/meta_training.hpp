// Training a layer of meta neurons (one per class) with learnable intrinsic parameters by one of
// three rules, and evaluating it as a spike-count classifier and as the SNN-LZC classifier
// (ALGORITHMS.md 6.5-6.6, project reconstruction; docs/learning.md "Meta neuron").
#pragma once

#include "learning/meta_network.hpp"
#include "learning/stdp.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace myelin::learning {

enum class MetaRule {
    backprop,   // BPTT through the layer with the chosen spike estimator, Adam, mini-batches
    stdp,       // pair STDP on the weights; the threshold by homeostasis towards target_rate
    tempotron,  // the Tempotron rule on the membrane maximum, one-vs-rest per class neuron
};
std::string rule_name(MetaRule rule);
MetaRule parse_rule(const std::string& name);  // throws ParamError (key "rule")
std::vector<std::string> rule_names();

// How a learning threshold moves under the Tempotron (docs/learning.md says why there are two).
enum class TempotronThreshold {
    error,              // the Tempotron's step alone: down after a miss, up after a false alarm
    error_homeostasis,  // that step plus intrinsic plasticity towards target_rate, as under STDP
    homeostasis,        // intrinsic plasticity alone
};
std::string tempotron_threshold_name(TempotronThreshold mode);
TempotronThreshold parse_tempotron_threshold(const std::string& name);  // throws ParamError (key "tempotron_threshold")

// Which intrinsic parameters learn. backprop learns all that are set; stdp only the threshold;
// tempotron the threshold and the decay (docs/learning.md says why).
struct IntrinsicLearning {
    bool decay = false, threshold = false, temperature = false;
    bool any() const { return decay || threshold || temperature; }
};

struct MetaTrainParams {
    MetaRule rule = MetaRule::backprop;
    IntrinsicLearning learn;
    double dt = 1.0;            // ms, the step of the samples
    double tau_m = 20.0;        // ms, initial membrane time constant: beta = exp(-dt/tau_m)
    double v_thresh = 1.0;      // initial threshold (weight units)
    double temperature = 0.2;   // initial temperature (weight units)
    double init_mean = 0.05;    // initial weights: normal(init_mean, init_std)
    double init_std = 0.02;
    // backprop
    SpikeEstimator estimator = SpikeEstimator::sigmoid_adjusted;
    double slope = 1.0;          // of the sigmoid-adjusted estimator
    double slope_growth = 0.0;   // added to the slope after every epoch (slope annealing)
    double learning_rate = 0.03; // Adam step
    std::size_t batch_size = 16;
    double logit_scale = 20.0;
    MetaScore score = MetaScore::count;  // what the class scores of the loss measure
    bool detach_reset = true;
    // stdp
    StdpParams stdp{.tau_plus = 20.0, .tau_minus = 20.0, .A_plus = 1e-4, .A_minus = 1.05e-4, .w_min = -1.0, .w_max = 1.0};
    double target_rate = 50.0;       // Hz: the homeostatic threshold drives each neuron's rate here
    double homeostasis_rate = 1e-3;  // threshold step per step and unit of rate error
    // tempotron
    double tempotron_rate = 1e-3;            // lambda: weight step per error trial
    double tempotron_intrinsic_rate = 1e-3;  // threshold (and decay-logit gradient) step per error trial
    TempotronThreshold tempotron_threshold = TempotronThreshold::error_homeostasis;
    double tempotron_target_rate = 10.0;       // Hz: the set point of the threshold's homeostasis
    double tempotron_homeostasis_rate = 1e-3;  // threshold step per step and unit of rate error
};

std::string score_name(MetaScore score);
MetaScore parse_score(const std::string& name);  // throws ParamError (key "score")

void validate_meta_train(const MetaTrainParams& p);  // throws ParamError naming the key

struct EpochResult {
    std::size_t epoch = 0;        // 1-based
    double loss = 0.0;            // backprop: mean cross-entropy; others: fraction of error trials
    double train_accuracy = 0.0;  // spike-count read-out on the training samples seen during the epoch
};

class MetaTrainer {
public:
    // One meta neuron per class, `inputs` inputs. Initial weights from Philox with `seed`.
    MetaTrainer(const MetaTrainParams& params, std::size_t inputs, std::size_t classes, std::uint64_t seed);

    // One sweep over `samples` in a fresh Philox-shuffled order. Determinism: backprop sums the
    // per-sample gradients of a batch in sample order, whatever thread computed them.
    EpochResult train_epoch(const std::vector<SpikeSample>& samples);

    const MetaParameters& parameters() const { return params_; }
    MetaParameters& parameters() { return params_; }
    const MetaTrainParams& settings() const { return settings_; }

private:
    EpochResult backprop_epoch(const std::vector<SpikeSample>& samples, const std::vector<std::uint32_t>& order);
    EpochResult stdp_epoch(const std::vector<SpikeSample>& samples, const std::vector<std::uint32_t>& order);
    EpochResult tempotron_epoch(const std::vector<SpikeSample>& samples, const std::vector<std::uint32_t>& order);
    bool learns(std::size_t index) const;  // is values[index] trained by backprop?

    MetaTrainParams settings_;
    MetaParameters params_;
    std::uint64_t seed_;
    std::size_t epoch_ = 0;
    std::vector<double> adam_m_, adam_v_;
    std::size_t adam_steps_ = 0;
};

// The trained layer as a classifier. Output trains come from sampled (stochastic) forward
// passes; the draws of test sample s are fixed by (seed, s), apart from the training draws.
struct MetaEvaluation {
    double count_accuracy = 0.0;     // argmax of the class neurons' spike counts
    double lzc_accuracy = 0.0;       // SNN-LZC: nearest centroid of the C_norm vector (centroids from training samples)
    double seconds_per_sample = 0.0; // inference latency: forward pass + LZC, one thread
    double synaptic_events = 0.0;    // per test sample: input spikes x neurons (energy proxy)
    double mean_rate_hz = 0.0;       // output neurons, test samples
};
// The Tempotron's own read-out: the class whose neuron's membrane maximum (no firing, no reset)
// lies furthest above its threshold. Fraction of `samples` classified correctly.
double tempotron_accuracy(const MetaParameters& params, const std::vector<SpikeSample>& samples);

MetaEvaluation evaluate_meta(const MetaParameters& params, double dt, const std::vector<SpikeSample>& train,
                             const std::vector<SpikeSample>& test, int classes, std::uint64_t seed);

}  // namespace myelin::learning
