// SpikeSourcePoisson (PyNN): independent Poisson spike trains. In each step a source emits
// n ~ Poisson(rate*dt) spikes (NEST poisson_generator; ALGORITHMS.md 1.1 option B); n > 1
// appears as n copies of its index, so no spike is lost at high rates.
#pragma once

#include "sim/model_registry.hpp"
#include "sim/population.hpp"

namespace myelin::models {

class PoissonSource final : public sim::Population {
public:
    struct Params {
        double rate = 1.0;       // Hz
        double start = 0.0;      // ms
        double duration = 1e10;  // ms
    };

    PoissonSource(std::string name, std::size_t size, const Params& params,
                  const sim::PopulationContext& context);

    std::string_view model() const override { return "SpikeSourcePoisson"; }
    int channels() const override { return 0; }
    void update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                std::vector<std::uint32_t>& spikes) override;

    static void validate(const Params& p);
    static sim::ModelInfo info();

protected:
    bool steps_ranges_alone() const override { return true; }  // draws keyed by (neuron, step)

private:
    sim::PoissonSampler sampler_;
    sim::RandomKey key_;
    std::int64_t start_step_, stop_step_;
};

}  // namespace myelin::models
