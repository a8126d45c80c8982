// A population of model M stepped through the engine's own population code with input chosen
// by the test, one value per neuron and step: model tests of many neurons without a network.
#pragma once

#include "sim/neuron_population.hpp"

#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace myelin::test {

// Input values as the engine's float input rows hold them, uniform in [lo, hi]: [step][neuron].
inline std::vector<std::vector<float>> random_input(std::size_t steps, std::size_t neurons, double lo, double hi,
                                                    std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> value(lo, hi);
    std::vector<std::vector<float>> input(steps, std::vector<float>(neurons));
    for (auto& row : input)
        for (auto& x : row) x = static_cast<float>(value(rng));
    return input;
}

template <class M>
class DrivenPopulation {
public:
    DrivenPopulation(std::size_t size, const typename M::Params& params, double dt = 0.1)
        : population_("driven", size, params, dt), dt_(dt) {
        population_.input().resize(size, M::receptors, 1);
    }

    // Advances one step with input[i] on channel 0 of neuron i (empty: no input), updating the
    // neurons in the given number of equal ranges; returns the neurons that spiked.
    std::vector<std::uint32_t> step(std::span<const float> input = {}, std::size_t ranges = 1) {
        const std::size_t n = population_.size();
        float* row = population_.input().row(step_, 0);
        for (std::size_t i = 0; i < input.size(); ++i) row[i] += input[i];
        const sim::StepContext ctx{step_, dt_};
        population_.before_update(ctx);
        std::vector<std::uint32_t> spikes;
        for (std::size_t r = 0; r < ranges; ++r) population_.update(ctx, r * n / ranges, (r + 1) * n / ranges, spikes);
        ++step_;
        return spikes;
    }

    std::span<double> column(std::string_view name) {
        for (const auto& variable : population_.state())
            if (variable.name == name) return variable.values.doubles();
        throw std::logic_error("no state column " + std::string(name));
    }

private:
    sim::NeuronPopulation<M> population_;
    double dt_;
    std::int64_t step_ = 0;
};

}  // namespace myelin::test
