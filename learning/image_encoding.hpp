// Images as network input over T steps, shared by the gradient trainers (BPTT, TESS;
// ALGORITHMS.md 4.5 and 5.4): Bernoulli rate spikes or the normalised image as a constant current.
#pragma once

#include "sim/random.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace myelin::learning {

enum class InputEncoding {
    rate,     // each step, pixel i spikes (input 1) with probability gain * x_i (networks/fc.py)
    current,  // the normalised image (x - mean)/std as a constant current every step (eps_ablation.py; TESS)
};
std::string input_encoding_name(InputEncoding encoding);

// The key of the evaluation (test-set) rate code: that of the engine's ImageSequenceEncoder when
// it is population 0 of a network with this seed (the layout of experiments/bptt_engine_network),
// so a trained network run in the engine sees the spikes it was evaluated on.
sim::RandomKey evaluation_input_key(std::uint64_t seed);
InputEncoding input_encoding_from_name(const std::string& name);  // ParamError (key "encoding")

// Samples as intensities in [0, 1], [sample][input], with labels 0..classes-1.
struct ImageData {
    std::size_t inputs = 0;
    std::vector<float> x;
    std::vector<std::uint8_t> labels;
    std::size_t size() const { return labels.size(); }
};

class ImageEncoder {
public:
    using Matrix = Eigen::MatrixXf;

    // `train` gives the current encoding its normalisation (its own mean and standard
    // deviation, as torchvision's Normalize constants are); rate draws come from Philox `seed`.
    ImageEncoder(InputEncoding encoding, double rate_gain, std::size_t steps, std::uint64_t seed, const ImageData& train);

    // Step t's input (inputs x samples) for samples `indices` of `data`; `stream` 0 for training
    // (draws change each epoch), 1 for evaluation (fixed). Determinism: a draw depends on
    // (seed, stream, sample, epoch, step, pixel) only.
    Matrix step(const ImageData& data, std::span<const std::uint32_t> indices, std::uint32_t stream,
                std::uint32_t epoch, std::size_t t) const;
    // All T steps at once.
    std::vector<Matrix> steps(const ImageData& data, std::span<const std::uint32_t> indices, std::uint32_t stream,
                              std::uint32_t epoch) const;

    InputEncoding encoding() const { return encoding_; }
    double mean() const { return mean_; }
    double std() const { return std_; }

private:
    InputEncoding encoding_;
    double rate_gain_;
    std::size_t steps_;
    std::uint64_t seed_;
    double mean_ = 0.0, std_ = 1.0;
};

}  // namespace myelin::learning
