// A layer of probabilistic meta neurons with learnable intrinsic parameters, run on binned input
// spikes and differentiated by backprop through time (ALGORITHMS.md 6.5, project reconstruction):
//   v[t] = beta u[t-1] + sum_i w_i x_i[t],  p[t] = sigmoid((v[t] - theta) / T),
//   s[t] ~ Bernoulli(p[t]),                 u[t] = v[t] (1 - s[t])   (hard reset to 0)
// with beta = sigmoid(raw), theta = softplus(raw), T = softplus(raw) per neuron. This is the
// engine's MetaNeuron (models/meta_neuron.hpp) with v_rest = v_reset = 0, no i_offset,
// p_release = 1 and tau_m = -dt / ln(beta).
#pragma once

#include "learning/spike_estimators.hpp"
#include "sim/random.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace myelin::learning {

// One sample: the input spikes of each step in CSR form, and its class.
struct SpikeSample {
    std::size_t steps = 0;
    std::vector<std::uint32_t> step_start;  // steps + 1 offsets into `inputs`
    std::vector<std::uint32_t> inputs;      // the input that spiked
    int label = 0;

    std::span<const std::uint32_t> spikes_at(std::size_t step) const {
        return {inputs.data() + step_start[step], inputs.data() + step_start[step + 1]};
    }
};

// All learnable numbers in one flat vector: weights [neuron][input], then the raw decay, raw
// threshold and raw temperature of each neuron. Flat, so that optimisers and finite-difference
// checks treat every parameter alike.
class MetaParameters {
public:
    MetaParameters() = default;
    MetaParameters(std::size_t inputs, std::size_t neurons);

    std::size_t inputs() const { return inputs_; }
    std::size_t neurons() const { return neurons_; }
    std::size_t weight_count() const { return inputs_ * neurons_; }
    std::size_t raw_decay_index(std::size_t k) const { return weight_count() + k; }
    std::size_t raw_threshold_index(std::size_t k) const { return weight_count() + neurons_ + k; }
    std::size_t raw_temperature_index(std::size_t k) const { return weight_count() + 2 * neurons_ + k; }

    double& weight(std::size_t k, std::size_t i) { return values[k * inputs_ + i]; }
    double weight(std::size_t k, std::size_t i) const { return values[k * inputs_ + i]; }
    double decay(std::size_t k) const { return sigmoid(values[raw_decay_index(k)]); }
    double threshold(std::size_t k) const { return softplus(values[raw_threshold_index(k)]); }
    double temperature(std::size_t k) const { return softplus(values[raw_temperature_index(k)]); }
    void set_decay(std::size_t k, double beta) { values[raw_decay_index(k)] = logit(beta); }
    void set_threshold(std::size_t k, double theta) { values[raw_threshold_index(k)] = inverse_softplus(theta); }
    void set_temperature(std::size_t k, double t) { values[raw_temperature_index(k)] = inverse_softplus(t); }

    std::vector<double> values;

private:
    std::size_t inputs_ = 0, neurons_ = 0;
};

// How a forward pass produces spikes.
enum class ForwardMode {
    sample,    // s ~ Bernoulli(p): the neuron as it runs in the engine
    expected,  // s = p: the mean-field relaxation, smooth, whose exact gradient the
               // sigmoid-adjusted estimator with slope 1 computes (the gradient checks use it)
};

// What a class neuron's score measures.
enum class MetaScore {
    count,    // its spikes / steps: the spike-count read-out
    entropy,  // the mean over steps of the binary entropy H(p[t]) (bits) of its firing probability:
              // a differentiable surrogate of the LZ complexity the SNN-LZC read-out uses
};

struct BackpropOptions {
    MetaScore score = MetaScore::count;
    ForwardMode mode = ForwardMode::sample;
    SpikeEstimator estimator = SpikeEstimator::sigmoid_adjusted;
    double slope = 1.0;         // of the sigmoid-adjusted estimator
    double logit_scale = 20.0;  // class score = logit_scale * (the class neuron's spikes / steps, or mean entropy)
    bool detach_reset = true;   // no gradient through the reset's dependence on s (as in snnTorch)
};

// The output trains of one forward pass: spikes [step][neuron] (0/1; in expected mode the
// probability is thresholded at 1/2), and the spike count of each neuron (in expected mode the
// sum of probabilities).
struct MetaOutput {
    std::size_t steps = 0, neurons = 0;
    std::vector<std::uint8_t> spikes;
    std::vector<double> counts;
    std::vector<std::uint8_t> train(std::size_t k) const;  // neuron k's binary train over all steps
    int predicted() const;                                 // argmax count, lowest index on ties
};

// The Bernoulli draws of a forward pass: philox(key, step, draw, neuron / 4), so a (key, draw)
// pair names the same spikes on any thread count.
MetaOutput run_meta_layer(const MetaParameters& params, const SpikeSample& sample, ForwardMode mode,
                          const sim::RandomKey& key, std::uint32_t draw);

// Softmax cross-entropy of the class scores against sample.label, after one forward pass; adds
// d loss / d values to `gradient` (size params.values.size()). Returns the loss; `output`, if
// given, receives the forward pass.
double meta_loss_and_gradient(const MetaParameters& params, const SpikeSample& sample, const BackpropOptions& options,
                              const sim::RandomKey& key, std::uint32_t draw, std::span<double> gradient,
                              MetaOutput* output = nullptr);

}  // namespace myelin::learning
