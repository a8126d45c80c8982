// Mini-batch training of a TessNetwork (ALGORITHMS.md 4.3-4.5, 4.8) by TESS or by its BPTT
// reference, with the BPTT trainer's encoding, shuffle, parts and Adam, so that both learners see
// the identical network, initial weights, sample order and inputs for a given seed.
#pragma once

#include "learning/adam.hpp"
#include "learning/epoch_stats.hpp"
#include "learning/image_encoding.hpp"
#include "learning/tess_network.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace myelin::learning {

enum class TessLearner { tess, bptt };
std::string tess_learner_name(TessLearner learner);
TessLearner tess_learner_from_name(const std::string& name);  // ParamError (key "learners")

struct TessSettings {
    TessShape shape;
    TessRule rule;
    InputEncoding encoding = InputEncoding::current;  // the static image as a current at every step
    double rate_gain = 0.5;
    std::size_t batch = 128;
    std::size_t epochs = 10;
    double learning_rate = 1e-3;  // Adam per layer and for the head
};
void validate_tess_settings(const TessSettings& settings);  // ParamError naming the key

class TessTrainer {
public:
    using Network = TessNetwork<float>;

    TessTrainer(const TessSettings& settings, TessLearner learner, ImageData train, std::uint64_t seed);

    // One pass in a fresh Philox order; one Adam step per layer and per mini-batch.
    Evaluation run_epoch(const std::function<void(const EpochProgress&)>& progress = {});
    Evaluation evaluate(const ImageData& data) const;

    const Network& network() const { return network_; }
    const TessSettings& settings() const { return settings_; }
    TessLearner learner() const { return learner_; }
    const ImageEncoder& encoder() const { return encoder_; }
    // The most bytes of learning-rule state (traces, or BPTT's tape) one 32-sample part held.
    std::size_t peak_state_bytes() const { return peak_state_bytes_; }

private:
    TessSettings settings_;
    TessLearner learner_;
    ImageData train_;
    std::uint64_t seed_;
    Network network_;
    ImageEncoder encoder_;
    std::vector<Adam> adam_;  // one per hidden layer, the head's weights and its bias
    std::size_t epoch_ = 0, peak_state_bytes_ = 0;
};

}  // namespace myelin::learning
