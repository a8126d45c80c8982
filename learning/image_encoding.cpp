// Input encodings of the gradient trainers (image_encoding.hpp).
#include "learning/image_encoding.hpp"

#include "sim/error.hpp"
#include "sim/sample_rate_code.hpp"
#include "sim/suggest.hpp"

#include <algorithm>
#include <cmath>

namespace myelin::learning {
namespace {

// Streams of the trainers' Philox key (RandomPurpose::trainer): 0 is the initial parameters, 1
// the shuffle (minibatch.hpp), 2 the training input.
constexpr std::uint32_t train_input_object = 2;

}  // namespace

sim::RandomKey evaluation_input_key(std::uint64_t seed) {
    return sim::RandomKey::make(seed, sim::RandomPurpose::spike_source, 0);
}

std::string input_encoding_name(InputEncoding encoding) {
    return encoding == InputEncoding::rate ? "rate" : "current";
}

InputEncoding input_encoding_from_name(const std::string& name) {
    if (name == "rate") return InputEncoding::rate;
    if (name == "current") return InputEncoding::current;
    throw ParamError("encoding", "encoding = \"" + name + "\" is not known" +
                                     sim::did_you_mean(name, {"rate", "current"}) + "; known: rate, current");
}

ImageEncoder::ImageEncoder(InputEncoding encoding, double rate_gain, std::size_t steps, std::uint64_t seed,
                           const ImageData& train)
    : encoding_(encoding), rate_gain_(rate_gain), steps_(steps), seed_(seed) {
    if (encoding_ != InputEncoding::current || train.x.empty()) return;
    double sum = 0.0, square = 0.0;
    for (const float x : train.x) {
        sum += x;
        square += static_cast<double>(x) * x;
    }
    const double n = static_cast<double>(train.x.size());
    mean_ = sum / n;
    std_ = std::sqrt(std::max(square / n - mean_ * mean_, 1e-12));
}

ImageEncoder::Matrix ImageEncoder::step(const ImageData& data, std::span<const std::uint32_t> indices,
                                        std::uint32_t stream, std::uint32_t epoch, std::size_t t) const {
    const std::size_t inputs = data.inputs;
    const auto columns = static_cast<Eigen::Index>(indices.size());
    Matrix out(static_cast<Eigen::Index>(inputs), columns);
    if (encoding_ == InputEncoding::current) {
        const float mean = static_cast<float>(mean_), scale = static_cast<float>(1.0 / std_);
        for (Eigen::Index b = 0; b < columns; ++b) {
            const float* x = data.x.data() + indices[static_cast<std::size_t>(b)] * inputs;
            for (std::size_t k = 0; k < inputs; ++k) out(static_cast<Eigen::Index>(k), b) = (x[k] - mean) * scale;
        }
        return out;
    }
    // One 32-bit Philox word per (sample, step, pixel): spike iff word < gain * x * 2^32. The
    // evaluation draws are those of the engine's ImageSequenceEncoder (evaluation_input_key), so
    // a network exported to the engine sees the very spikes it was evaluated on.
    const sim::RandomKey key = stream == 0 ? sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, train_input_object)
                                           : evaluation_input_key(seed_);
    out.setZero();
    for (Eigen::Index b = 0; b < columns; ++b) {
        const std::uint32_t sample = indices[static_cast<std::size_t>(b)];
        const float* x = data.x.data() + static_cast<std::size_t>(sample) * inputs;
        sim::sample_rate_step(key, x, rate_gain_, sample, static_cast<std::uint32_t>(epoch * steps_ + t), 0, inputs,
                              [&](std::size_t k) { out(static_cast<Eigen::Index>(k), b) = 1.0f; });
    }
    return out;
}

std::vector<ImageEncoder::Matrix> ImageEncoder::steps(const ImageData& data, std::span<const std::uint32_t> indices,
                                                      std::uint32_t stream, std::uint32_t epoch) const {
    std::vector<Matrix> out;
    out.reserve(steps_);
    out.push_back(step(data, indices, stream, epoch, 0));
    for (std::size_t t = 1; t < steps_; ++t)
        out.push_back(encoding_ == InputEncoding::current ? out[0] : step(data, indices, stream, epoch, t));
    return out;
}

}  // namespace myelin::learning
