// Mini-batch training of a BpttNetwork with Adam (ALGORITHMS.md 5.4): input encoding, shuffling,
// parallel batches with a fixed reduction order, and evaluation on a test set.
#pragma once

#include "learning/adam.hpp"
#include "learning/bptt_network.hpp"
#include "learning/epoch_stats.hpp"
#include "learning/image_encoding.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace myelin::learning {

// How an image becomes input over T steps (ALGORITHMS.md 5.4; image_encoding.hpp).
using BpttEncoding = InputEncoding;
inline std::string bptt_encoding_name(BpttEncoding encoding) { return input_encoding_name(encoding); }
inline BpttEncoding bptt_encoding_from_name(const std::string& name) { return input_encoding_from_name(name); }

struct BpttSettings {
    BpttShape shape;
    BpttEncoding encoding = BpttEncoding::rate;
    double rate_gain = 0.5;        // rate encoding: spike probability per step = gain * x
    std::size_t batch = 128;
    std::size_t epochs = 100;
    double learning_rate = 1e-3;   // Adam, betas (0.9, 0.999), epsilon 1e-8 (PyTorch's defaults)
};
void validate_bptt_settings(const BpttSettings& settings);  // ParamError naming the key

using BpttData = ImageData;
using BpttProgress = EpochProgress;
using BpttEvaluation = Evaluation;

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
    double input_mean() const { return encoder_.mean(); }  // current encoding: the normalisation
    double input_std() const { return encoder_.std(); }

    // The T input matrices (inputs x samples) of samples `indices` of `data`; `stream` 0 for
    // training (draws change each epoch), 1 for evaluation (fixed).
    std::vector<Network::Matrix> encode(const BpttData& data, std::span<const std::uint32_t> indices,
                                        std::uint32_t stream, std::uint32_t epoch) const;

private:
    BpttSettings settings_;
    BpttData train_;
    std::uint64_t seed_;
    Network network_;
    ImageEncoder encoder_;
    Adam adam_;
    std::size_t epoch_ = 0;
};

}  // namespace myelin::learning
