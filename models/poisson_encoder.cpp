// PoissonEncoder (poisson_encoder.hpp).
#include "models/poisson_encoder.hpp"

#include "models/encoder_input.hpp"
#include "models/encoding.hpp"
#include "sim/param_check.hpp"

#include <cmath>

namespace myelin::models {
namespace {

PoissonEncoder::Params params_from(const std::map<std::string, double>& given) {
    PoissonEncoder::Params p;
    const std::vector<std::string> keys{"max_rate", "start", "duration"};
    for (const auto& [key, value] : given) {
        if (key == "max_rate") p.max_rate = value;
        else if (key == "start") p.start = value;
        else if (key == "duration") p.duration = value;
        else
            throw ParamError(key, "unknown parameter \"" + key + "\" for model PoissonEncoder" +
                                      sim::did_you_mean(key, keys) + "; valid: " + sim::join(keys));
    }
    return p;
}

}  // namespace

PoissonEncoder::PoissonEncoder(std::string name, std::size_t size, const Params& params,
                               const sim::PopulationContext& context)
    : Population(std::move(name), size), intensity_(size, 0.0),
      scale_(encoding::bernoulli_scale(params.max_rate, context.dt)),
      key_(sim::RandomKey::make(context.seed, sim::RandomPurpose::spike_source, context.population_index)),
      start_step_(std::llround(params.start / context.dt)),
      stop_step_(std::llround(std::min(params.start + params.duration, 1e15) / context.dt)) {}

void PoissonEncoder::validate(const Params& p, double dt) {
    sim::require_non_negative("max_rate", p.max_rate, "Hz");
    sim::require(p.max_rate * dt / 1000.0 <= 1.0, "max_rate", p.max_rate,
                 "gives more than one spike per step with dt = " + sim::format_number(dt) +
                     " ms (a Bernoulli draw per step); it must be <= " + sim::format_number(1000.0 / dt),
                 "Hz");
    sim::require_non_negative("start", p.start, "ms");
    sim::require_non_negative("duration", p.duration, "ms");
}

void PoissonEncoder::update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                            std::vector<std::uint32_t>& spikes) {
    if (ctx.step < start_step_ || ctx.step >= stop_step_ || scale_ == 0.0) return;
    encoding::bernoulli_step(key_, intensity_.data(), scale_, static_cast<std::uint32_t>(ctx.step), begin, end, spikes);
}

std::vector<sim::Population::StateVariable> PoissonEncoder::state() {
    return {{intensity_variable, "1", std::span<double>(intensity_)}};
}

sim::ModelInfo PoissonEncoder::info() {
    sim::ModelInfo info;
    info.name = "PoissonEncoder";
    info.description = "rate coding: spikes with probability intensity*max_rate*dt per step";
    const Params defaults;
    info.params = {{"max_rate", "Hz", defaults.max_rate},
                   {"start", "ms", defaults.start},
                   {"duration", "ms", defaults.duration}};
    info.state = {{std::string(intensity_variable), "1"}};
    info.spike_source = true;
    info.validate = [](const sim::PopulationSpec& spec, double dt) {
        validate(params_from(spec.params), dt);
        validate_intensity_init(spec, "PoissonEncoder");
    };
    info.create = [](const sim::PopulationSpec& spec, const sim::PopulationContext& context) {
        return std::unique_ptr<sim::Population>(
            std::make_unique<PoissonEncoder>(spec.name, spec.size, params_from(spec.params), context));
    };
    return info;
}

}  // namespace myelin::models
