// ImageSequenceEncoder (image_sequence_encoder.hpp).
#include "models/image_sequence_encoder.hpp"

#include "sim/sample_rate_code.hpp"
#include "sim/param_check.hpp"

#include <cmath>

namespace myelin::models {
namespace {

const std::vector<std::string> keys{"period", "start", "rate_gain", "mean", "std"};

ImageSequenceEncoder::Params params_from(const std::map<std::string, double>& given) {
    ImageSequenceEncoder::Params p;
    for (const auto& [key, value] : given) {
        if (key == "period") p.period = value;
        else if (key == "start") p.start = value;
        else if (key == "rate_gain") p.rate_gain = value;
        else if (key == "mean") p.mean = value;
        else if (key == "std") p.std = value;
        else
            throw ParamError(key, "unknown parameter \"" + key + "\" for model ImageSequenceEncoder" +
                                      sim::did_you_mean(key, keys) + "; valid: " + sim::join(keys));
    }
    return p;
}

}  // namespace

ImageSequenceEncoder::ImageSequenceEncoder(std::string name, std::size_t size, const Params& params,
                                           std::shared_ptr<const std::vector<float>> frames,
                                           const sim::PopulationContext& context)
    : Population(std::move(name), size), params_(params), frames_(std::move(frames)),
      images_(frames_->size() / size), period_steps_(std::llround(params.period / context.dt)),
      start_step_(std::llround(params.start / context.dt)), mean_(static_cast<float>(params.mean)),
      inverse_std_(static_cast<float>(1.0 / params.std)),
      key_(sim::RandomKey::make(context.seed, sim::RandomPurpose::spike_source, context.population_index)),
      intensity_(size, 0.0), current_(size, 0.0) {}

void ImageSequenceEncoder::validate(const Params& p, double dt) {
    sim::require_positive("period", p.period, "ms");
    const double steps = p.period / dt;
    sim::require(std::fabs(steps - std::round(steps)) <= 1e-9 * steps && std::round(steps) >= 1.0, "period", p.period,
                 "must be a whole number (>= 1) of steps (dt = " + sim::format_number(dt) + " ms)", "ms");
    sim::require_non_negative("start", p.start, "ms");
    sim::require(std::isfinite(p.rate_gain) && p.rate_gain >= 0.0 && p.rate_gain <= 1.0, "rate_gain", p.rate_gain,
                 "must be within [0, 1] (a spike probability per step)");
    sim::require_finite("mean", p.mean);
    sim::require_positive("std", p.std);
}

// Determinism: each thread writes its own range of the columns; the spikes of image n, step t
// are keyed by (n, t) alone, as the trainer keys them.
void ImageSequenceEncoder::update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                                  std::vector<std::uint32_t>& spikes) {
    const std::int64_t since = ctx.step - start_step_;
    const bool showing = since >= 0 && static_cast<std::size_t>(since / period_steps_) < images_;
    if (!showing) {
        for (std::size_t i = begin; i < end; ++i) intensity_[i] = current_[i] = 0.0;
        return;
    }
    const auto image = static_cast<std::uint32_t>(since / period_steps_);
    const auto t = static_cast<std::uint32_t>(since % period_steps_);
    const float* x = frames_->data() + static_cast<std::size_t>(image) * size();
    for (std::size_t i = begin; i < end; ++i) {
        intensity_[i] = x[i];
        current_[i] = (x[i] - mean_) * inverse_std_;
    }
    if (params_.rate_gain > 0.0)
        sim::sample_rate_step(key_, x, params_.rate_gain, image, t, begin, end,
                                   [&](std::size_t i) { spikes.push_back(static_cast<std::uint32_t>(i)); });
}

std::vector<sim::Population::StateVariable> ImageSequenceEncoder::state() {
    return {{"intensity", "1", std::span<double>(intensity_)}, {"current", "1", std::span<double>(current_)}};
}

sim::ModelInfo ImageSequenceEncoder::info() {
    sim::ModelInfo info;
    info.name = "ImageSequenceEncoder";
    info.description = "dataset images one after another, each for `period`: trainer rate code and normalised current";
    const Params defaults;
    info.params = {{"period", "ms", defaults.period},
                   {"start", "ms", defaults.start},
                   {"rate_gain", "1", defaults.rate_gain},
                   {"mean", "1", defaults.mean},
                   {"std", "1", defaults.std}};
    info.state = {{"intensity", "1"}, {"current", "1"}};
    info.spike_source = true;
    info.image_sequence = true;
    info.validate = [](const sim::PopulationSpec& spec, double dt) {
        validate(params_from(spec.params), dt);
        if (!spec.frames || spec.frames->empty() || spec.frames->size() % spec.size != 0)
            throw ParamError("encoder", "ImageSequenceEncoder needs images: encoder = { dataset = ..., first = ..., "
                                        "count = ... } (docs/encoders.md)");
    };
    info.create = [](const sim::PopulationSpec& spec, const sim::PopulationContext& context) {
        return std::unique_ptr<sim::Population>(
            std::make_unique<ImageSequenceEncoder>(spec.name, spec.size, params_from(spec.params), spec.frames, context));
    };
    return info;
}

}  // namespace myelin::models
