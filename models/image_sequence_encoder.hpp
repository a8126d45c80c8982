// ImageSequenceEncoder: presents images one after another, each for `period` ms, as the
// gradient trainers present samples (learning/bptt_training.hpp): neuron i spikes in each step
// with probability rate_gain * x_i (the trainers' rate code, models/encoding.hpp), and holds
// the normalised value (x_i - mean)/std as the state variable `current`, which a graded
// projection (transmit = "current") carries as the trainers' constant-current input.
#pragma once

#include "sim/model_registry.hpp"
#include "sim/population.hpp"

#include <memory>

namespace myelin::models {

class ImageSequenceEncoder final : public sim::Population {
public:
    struct Params {
        double period = 1.0;     // ms each image is shown (the trainer's T steps)
        double start = 0.0;      // ms, when the first image starts
        double rate_gain = 0.5;  // spike probability per step of intensity 1; 0: no spikes
        double mean = 0.0;       // `current` = (x - mean)/std
        double std = 1.0;
    };

    ImageSequenceEncoder(std::string name, std::size_t size, const Params& params,
                         std::shared_ptr<const std::vector<float>> frames, const sim::PopulationContext& context);

    std::string_view model() const override { return "ImageSequenceEncoder"; }
    int channels() const override { return 0; }
    void update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                std::vector<std::uint32_t>& spikes) override;
    std::vector<StateVariable> state() override;
    std::size_t state_bytes() const override { return 2 * size() * sizeof(double); }

    static void validate(const Params& p, double dt);
    static sim::ModelInfo info();

private:
    Params params_;
    std::shared_ptr<const std::vector<float>> frames_;  // [image][neuron], x in [0, 1]
    std::size_t images_;
    std::int64_t period_steps_, start_step_;
    float mean_, inverse_std_;  // float, as the trainer normalises
    sim::RandomKey key_;
    std::vector<double> intensity_, current_;  // the image being shown (0 outside the sequence)
};

}  // namespace myelin::models
