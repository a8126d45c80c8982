// Mini-batch training of a BpttNetwork with Adam (ALGORITHMS.md 5.4): input encoding, shuffling,
// parallel batches with a fixed reduction order, and evaluation on a test set.
#pragma once

#include "learning/bptt_network.hpp"
#include "sim/random.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace myelin::learning {

// How an image becomes input over T steps (ALGORITHMS.md 5.4).
enum class BpttEncoding {
    rate,     // networks/fc.py: each step, pixel i spikes (input 1) with probability gain * x_i
    current,  // eps_ablation.py: the normalised image (x - mean)/std as a constant current every step
};
std::string bptt_encoding_name(BpttEncoding encoding);
BpttEncoding bptt_encoding_from_name(const std::string& name);  // ParamError (key "encoding")

// The key of the evaluation (test-set) rate code: that of the engine's ImageSequenceEncoder
// when it is population 0 of a network with this seed (the layout of bptt_engine_network).
sim::RandomKey bptt_input_key(std::uint64_t seed);

struct BpttSettings {
    BpttShape shape;
    BpttEncoding encoding = BpttEncoding::rate;
    double rate_gain = 0.5;        // rate encoding: spike probability per step = gain * x
    std::size_t batch = 128;
    std::size_t epochs = 100;
    double learning_rate = 1e-3;   // Adam, betas (0.9, 0.999), epsilon 1e-8 (PyTorch's defaults)
};
void validate_bptt_settings(const BpttSettings& settings);  // ParamError naming the key

// Samples as intensities in [0, 1], [sample][input], with labels 0..classes-1.
struct BpttData {
    std::size_t inputs = 0;
    std::vector<float> x;
    std::vector<std::uint8_t> labels;
    std::size_t size() const { return labels.size(); }
};

struct BpttProgress {
    std::size_t epoch = 0, samples_done = 0, samples_total = 0;
    double loss = 0.0, accuracy = 0.0, spike_rate = 0.0;  // running means over the epoch so far
};

struct BpttEvaluation {
    double loss = 0.0, accuracy = 0.0, spike_rate = 0.0;  // means over the samples
};

class BpttTrainer {
public:
    using Network = BpttNetwork<float>;

    // Initial parameters, shuffles and input spikes all come from Philox with `seed`.
    BpttTrainer(const BpttSettings& settings, BpttData train, std::uint64_t seed);

    // One pass over the training data in a fresh random order: Adam step per mini-batch (the
    // last one may be smaller). `progress` is called after every batch. Returns the epoch's
    // running means (loss, accuracy, spike rate) as the batches saw them.
    BpttEvaluation run_epoch(const std::function<void(const BpttProgress&)>& progress = {});

    // Forward pass only. Determinism: samples are encoded from (seed, sample index), not from the
    // epoch or the thread, and the parts are summed in order.
    BpttEvaluation evaluate(const BpttData& data) const;

    const Network& network() const { return network_; }
    Network& network() { return network_; }
    const BpttSettings& settings() const { return settings_; }
    std::size_t epoch() const { return epoch_; }
    double input_mean() const { return input_mean_; }  // current encoding: the normalisation
    double input_std() const { return input_std_; }

    // The T input matrices (inputs x samples) of samples `indices` of `data`; `stream` 0 for
    // training (draws change each epoch), 1 for evaluation (fixed).
    std::vector<Network::Matrix> encode(const BpttData& data, std::span<const std::uint32_t> indices,
                                        std::uint32_t stream, std::uint32_t epoch) const;

private:
    void adam_step(const std::vector<float>& gradient);

    BpttSettings settings_;
    BpttData train_;
    std::uint64_t seed_;
    Network network_;
    std::vector<float> adam_m_, adam_v_;
    std::size_t adam_steps_ = 0, epoch_ = 0;
    double input_mean_ = 0.0, input_std_ = 1.0;
};

}  // namespace myelin::learning
