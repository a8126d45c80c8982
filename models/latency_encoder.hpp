// LatencyEncoder: time-to-first-spike coding of data. Each neuron spikes at most once per
// presentation, t_max * (1 - intensity) ms after `start` (rounded to the step), so brighter is
// earlier; an intensity <= threshold (0: a black pixel) never spikes. docs/encoders.md.
#pragma once

#include "sim/model_registry.hpp"
#include "sim/population.hpp"

namespace myelin::models {

class LatencyEncoder final : public sim::Population {
public:
    struct Params {
        double t_max = 50.0;     // ms, the latency of an intensity just above threshold
        double start = 0.0;      // ms, the presentation onset
        double threshold = 0.0;  // intensities <= threshold stay silent
    };

    LatencyEncoder(std::string name, std::size_t size, const Params& params, double dt);

    std::string_view model() const override { return "LatencyEncoder"; }
    int channels() const override { return 0; }
    void update(const sim::StepContext& ctx, std::size_t begin, std::size_t end,
                std::vector<std::uint32_t>& spikes) override;
    std::vector<StateVariable> state() override;
    std::size_t state_bytes() const override { return intensity_.size() * sizeof(double); }

    static void validate(const Params& p);
    static sim::ModelInfo info();

private:
    Params params_;
    double dt_;                      // ms
    std::vector<double> intensity_;  // [0, 1], set before the first step
    std::int64_t start_step_, last_step_;  // spikes fall in [start_step_, last_step_]
};

}  // namespace myelin::models
