// SpikeSourcePoisson (poisson_source.hpp).
#include "models/poisson_source.hpp"

#include "sim/param_check.hpp"

#include <cmath>

namespace myelin::models {
namespace {

PoissonSource::Params params_from(const std::map<std::string, double>& given) {
    PoissonSource::Params p;
    const std::vector<std::string> keys{"rate", "start", "duration"};
    for (const auto& [key, value] : given) {
        if (key == "rate") p.rate = value;
        else if (key == "start") p.start = value;
        else if (key == "duration") p.duration = value;
        else
            throw ParamError(key, "unknown parameter \"" + key + "\" for model SpikeSourcePoisson" +
                                      sim::did_you_mean(key, keys) + "; valid: " + sim::join(keys));
    }
    return p;
}

}  // namespace

PoissonSource::PoissonSource(std::string name, std::size_t size, const Params& params,
                             const sim::PopulationContext& context)
    : Population(std::move(name), size),
      sampler_(params.rate * context.dt / 1000.0),
      key_(sim::RandomKey::make(context.seed, sim::RandomPurpose::spike_source,
                                context.population_index)),
      start_step_(std::llround(params.start / context.dt)),
      stop_step_(std::llround(std::min(params.start + params.duration, 1e15) / context.dt)) {}

void PoissonSource::validate(const Params& p) {
    sim::require_non_negative("rate", p.rate, "Hz");
    sim::require_non_negative("start", p.start, "ms");
    sim::require_non_negative("duration", p.duration, "ms");
}

void PoissonSource::update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                           std::vector<std::uint32_t>& spikes) {
    if (ctx.step < start_step_ || ctx.step >= stop_step_ || sampler_.mean() == 0.0) return;
    const auto step = static_cast<std::uint32_t>(ctx.step);
    for (std::size_t i = begin; i < end; ++i) {
        sim::RandomStream stream(key_, static_cast<std::uint32_t>(i), step);
        for (std::uint32_t n = sampler_.draw(stream); n > 0; --n)
            spikes.push_back(static_cast<std::uint32_t>(i));
    }
}

sim::ModelInfo PoissonSource::info() {
    sim::ModelInfo info;
    info.name = "SpikeSourcePoisson";
    info.description = "independent Poisson spike trains";
    const Params defaults;
    info.params = {{"rate", "Hz", defaults.rate},
                   {"start", "ms", defaults.start},
                   {"duration", "ms", defaults.duration}};
    info.spike_source = true;
    info.validate = [](const sim::PopulationSpec& spec, double) { validate(params_from(spec.params)); };
    info.create = [](const sim::PopulationSpec& spec, const sim::PopulationContext& context) {
        return std::unique_ptr<sim::Population>(
            std::make_unique<PoissonSource>(spec.name, spec.size, params_from(spec.params), context));
    };
    return info;
}

}  // namespace myelin::models
