// SpikeSourceArray (PyNN): each source emits spikes at given times. A spike at time t (ms) is
// emitted in the step that ends at t, i.e. step round(t/dt) - 1, so it carries the time stamp t
// (NEST convention, ALGORITHMS.md 0.2); t must therefore be at least one step.
#pragma once

#include "sim/model_registry.hpp"
#include "sim/population.hpp"

namespace myelin::models {

class SpikeSourceArray final : public sim::Population {
public:
    SpikeSourceArray(std::string name, std::size_t size,
                     const std::vector<std::vector<double>>& spike_times, double dt);

    std::string_view model() const override { return "SpikeSourceArray"; }
    int channels() const override { return 0; }
    void update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                std::vector<std::uint32_t>& spikes) override;

    static sim::ModelInfo info();

private:
    // All spikes sorted by (step, neuron); step_begin_ finds a step's slice by binary search.
    std::vector<std::int64_t> steps_;
    std::vector<std::uint32_t> neurons_;
};

}  // namespace myelin::models
