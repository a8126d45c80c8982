// PoissonEncoder: rate coding of data. Neuron i spikes in each step with probability
// intensity[i] * max_rate * dt / 1000 (Bernoulli per step, ALGORITHMS.md 1.1 option A), so its
// rate is proportional to its intensity and at most one spike falls in a step.
#pragma once

#include "sim/model_registry.hpp"
#include "sim/population.hpp"

namespace myelin::models {

class PoissonEncoder final : public sim::Population {
public:
    struct Params {
        double max_rate = 100.0;  // Hz, the rate of intensity 1
        double start = 0.0;       // ms
        double duration = 1e10;   // ms
    };

    PoissonEncoder(std::string name, std::size_t size, const Params& params, const sim::PopulationContext& context);

    std::string_view model() const override { return "PoissonEncoder"; }
    int channels() const override { return 0; }
    void update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                std::vector<std::uint32_t>& spikes) override;
    std::vector<StateVariable> state() override;
    std::size_t state_bytes() const override { return intensity_.size() * sizeof(double); }

    // max_rate * dt must stay within one spike per step (a probability <= 1).
    static void validate(const Params& p, double dt);
    static sim::ModelInfo info();

private:
    std::vector<double> intensity_;  // [0, 1], set before the first step
    double scale_;                   // encoding::bernoulli_scale(max_rate, dt)
    sim::RandomKey key_;
    std::int64_t start_step_, stop_step_;
};

}  // namespace myelin::models
