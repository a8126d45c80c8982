// LatencyEncoder (latency_encoder.hpp).
#include "models/latency_encoder.hpp"

#include "models/encoder_input.hpp"
#include "models/encoding.hpp"
#include "sim/param_check.hpp"

#include <cmath>

namespace myelin::models {
namespace {

LatencyEncoder::Params params_from(const std::map<std::string, double>& given) {
    LatencyEncoder::Params p;
    const std::vector<std::string> keys{"t_max", "start", "threshold"};
    for (const auto& [key, value] : given) {
        if (key == "t_max") p.t_max = value;
        else if (key == "start") p.start = value;
        else if (key == "threshold") p.threshold = value;
        else
            throw ParamError(key, "unknown parameter \"" + key + "\" for model LatencyEncoder" +
                                      sim::did_you_mean(key, keys) + "; valid: " + sim::join(keys));
    }
    return p;
}

}  // namespace

LatencyEncoder::LatencyEncoder(std::string name, std::size_t size, const Params& params, double dt)
    : Population(std::move(name), size), params_(params), dt_(dt), intensity_(size, 0.0),
      start_step_(std::llround(params.start / dt)),
      last_step_(start_step_ + std::llround(params.t_max / dt)) {}

void LatencyEncoder::validate(const Params& p) {
    sim::require_non_negative("t_max", p.t_max, "ms");
    sim::require_non_negative("start", p.start, "ms");
    sim::require(p.threshold >= 0.0 && p.threshold < 1.0, "threshold", p.threshold, "must be within [0, 1)");
}

void LatencyEncoder::update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                            std::vector<std::uint32_t>& spikes) {
    if (ctx.step < start_step_ || ctx.step > last_step_) return;
    const std::int64_t step = ctx.step - start_step_;
    for (std::size_t i = begin; i < end; ++i)
        if (encoding::latency_step(intensity_[i], params_.t_max, params_.threshold, dt_) == step)
            spikes.push_back(static_cast<std::uint32_t>(i));
}

std::vector<sim::Population::StateVariable> LatencyEncoder::state() {
    return {{intensity_variable, "1", std::span<double>(intensity_)}};
}

sim::ModelInfo LatencyEncoder::info() {
    sim::ModelInfo info;
    info.name = "LatencyEncoder";
    info.description = "latency coding: one spike t_max*(1 - intensity) after start; brighter is earlier";
    const Params defaults;
    info.params = {{"t_max", "ms", defaults.t_max},
                   {"start", "ms", defaults.start},
                   {"threshold", "1", defaults.threshold}};
    info.state = {{std::string(intensity_variable), "1"}};
    info.spike_source = true;
    info.validate = [](const sim::PopulationSpec& spec, double) {
        validate(params_from(spec.params));
        validate_intensity_init(spec, "LatencyEncoder");
    };
    info.create = [](const sim::PopulationSpec& spec, const sim::PopulationContext& context) {
        return std::unique_ptr<sim::Population>(
            std::make_unique<LatencyEncoder>(spec.name, spec.size, params_from(spec.params), context.dt));
    };
    return info;
}

}  // namespace myelin::models
