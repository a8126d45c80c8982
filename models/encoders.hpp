// Data encoders for trainers that drive a network sample by sample without a config: the same
// spikes as the PoissonEncoder and LatencyEncoder populations (with start = 0 and the key
// population_key gives), and the repeated static input of gradient-trained networks.
// Intensities are in [0, 1] (io::ImageSet::intensities gives them for dataset images).
#pragma once

#include "models/spike_raster.hpp"
#include "sim/random.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace myelin::models {

// The key of the spike-source population with this index in a network with this seed.
inline sim::RandomKey population_key(std::uint64_t seed, std::uint32_t population_index) {
    return sim::RandomKey::make(seed, sim::RandomPurpose::spike_source, population_index);
}

// Rate coding over `steps` steps: neuron i spikes in each step with probability
// intensity[i] * max_rate * dt / 1000. Throws ParamError if that exceeds 1 or an intensity is
// outside [0, 1].
SpikeRaster poisson_encode(std::span<const double> intensity, std::size_t steps, double max_rate, double dt,
                           const sim::RandomKey& key);

// Latency coding over `steps` steps: one spike in step round(t_max * (1 - x) / dt) for
// x > threshold, none otherwise (and none if that step is not below `steps`).
SpikeRaster latency_encode(std::span<const double> intensity, std::size_t steps, double t_max, double dt,
                           double threshold = 0.0);

// Static input repeated for `steps` discrete steps: out[k * n + i] = gain * intensity[i]
// ([step][neuron], the input current of every step of a gradient-trained network).
std::vector<float> static_encode(std::span<const double> intensity, std::size_t steps, double gain = 1.0);

// The same for a batch of equally long samples: [step][sample][neuron], the layout a batched
// step reads one contiguous [sample][neuron] block from.
std::vector<float> static_encode_batch(std::span<const std::vector<double>> samples, std::size_t steps,
                                       double gain = 1.0);

}  // namespace myelin::models
