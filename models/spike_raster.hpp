// A binary spike raster [step][neuron]: what the encoders and the synthetic-task generators hand
// to trainers that do not build a Network (a 1 at (k, i): neuron i spiked in step k, stamped
// t = (k+1)*dt as in the engine).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace myelin::models {

struct SpikeRaster {
    std::size_t steps = 0, neurons = 0;
    std::vector<std::uint8_t> bits;  // [step][neuron], 0 or 1

    SpikeRaster() = default;
    SpikeRaster(std::size_t step_count, std::size_t neuron_count)
        : steps(step_count), neurons(neuron_count), bits(step_count * neuron_count, 0) {}

    std::uint8_t& at(std::size_t step, std::size_t neuron) { return bits[step * neurons + neuron]; }
    std::uint8_t at(std::size_t step, std::size_t neuron) const { return bits[step * neurons + neuron]; }
    std::span<const std::uint8_t> step_row(std::size_t step) const { return {bits.data() + step * neurons, neurons}; }

    // One neuron's binary train over all steps (the sequence Lempel-Ziv complexity reads).
    std::vector<std::uint8_t> train(std::size_t neuron) const {
        std::vector<std::uint8_t> out(steps);
        for (std::size_t k = 0; k < steps; ++k) out[k] = at(k, neuron);
        return out;
    }
    std::size_t count(std::size_t neuron) const {
        std::size_t n = 0;
        for (std::size_t k = 0; k < steps; ++k) n += at(k, neuron);
        return n;
    }
    // Spike times (ms) per neuron, in the engine's convention: step k -> (k+1)*dt. The result
    // feeds a SpikeSourceArray (which emits time t in step round(t/dt) - 1 = k).
    std::vector<std::vector<double>> spike_times(double dt) const {
        std::vector<std::vector<double>> out(neurons);
        for (std::size_t k = 0; k < steps; ++k)
            for (std::size_t i = 0; i < neurons; ++i)
                if (at(k, i)) out[i].push_back(static_cast<double>(k + 1) * dt);
        return out;
    }
};

}  // namespace myelin::models
