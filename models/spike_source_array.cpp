// SpikeSourceArray (spike_source_array.hpp).
#include "models/spike_source_array.hpp"

#include "sim/param_check.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace myelin::models {

SpikeSourceArray::SpikeSourceArray(std::string name, std::size_t size,
                                   const std::vector<std::vector<double>>& spike_times, double dt)
    : Population(std::move(name), size) {
    std::vector<std::pair<std::int64_t, std::uint32_t>> events;
    for (std::size_t i = 0; i < spike_times.size(); ++i)
        for (const double t : spike_times[i])
            events.emplace_back(std::llround(t / dt) - 1, static_cast<std::uint32_t>(i));
    std::sort(events.begin(), events.end());
    for (const auto& [step, neuron] : events) {
        steps_.push_back(step);
        neurons_.push_back(neuron);
    }
}

void SpikeSourceArray::update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                              std::vector<std::uint32_t>& spikes) {
    const auto first = std::lower_bound(steps_.begin(), steps_.end(), ctx.step);
    const auto last = std::upper_bound(first, steps_.end(), ctx.step);
    const auto offset = [&](auto it) { return neurons_.begin() + (it - steps_.begin()); };
    const auto from = std::lower_bound(offset(first), offset(last), static_cast<std::uint32_t>(begin));
    const auto to = std::lower_bound(from, offset(last), static_cast<std::uint32_t>(end));
    spikes.insert(spikes.end(), from, to);
}

sim::ModelInfo SpikeSourceArray::info() {
    sim::ModelInfo info;
    info.name = "SpikeSourceArray";
    info.description = "spikes at given times (params: spike_times or spike_times_file)";
    info.spike_source = true;
    info.validate = [](const sim::PopulationSpec& spec, double dt) {
        if (!spec.params.empty())
            throw ParamError(spec.params.begin()->first,
                             "unknown parameter \"" + spec.params.begin()->first +
                                 "\" for model SpikeSourceArray; valid: spike_times, spike_times_file");
        if (spec.spike_times.size() != spec.size && spec.spike_times.size() > 1)
            throw ParamError("spike_times", "spike_times has " + std::to_string(spec.spike_times.size()) +
                                                " lists for " + std::to_string(spec.size) + " sources");
        for (const auto& times : spec.spike_times)
            for (const double t : times)
                sim::require(std::isfinite(t) && std::llround(t / dt) >= 1, "spike_times", t,
                             "must be at least one step (dt = " + sim::format_number(dt) + " ms)", "ms");
    };
    info.create = [](const sim::PopulationSpec& spec, const sim::PopulationContext& context) {
        // One list for all sources is PyNN's shorthand: every source gets the same times.
        std::vector<std::vector<double>> times = spec.spike_times;
        if (times.size() == 1 && spec.size > 1) times.assign(spec.size, spec.spike_times.front());
        return std::unique_ptr<sim::Population>(
            std::make_unique<SpikeSourceArray>(spec.name, spec.size, times, context.dt));
    };
    return info;
}

}  // namespace myelin::models
