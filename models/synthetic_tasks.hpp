// Generators of synthetic spike data: Poisson patterns of given rates (ALGORITHMS.md 6.4),
// random latency patterns for the Tempotron (7.4) and ten-bit spatial patterns as spike sources
// (2.2). Every random draw comes from Philox with the caller's key, so a (key, index) names a
// sample on any machine and thread count.
#pragma once

#include "models/spike_raster.hpp"
#include "sim/network_spec.hpp"
#include "sim/random.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace myelin::models {

// Independent binned Poisson trains: neuron i spikes in each of `steps` steps with probability
// rates_hz[i] * dt / 1000 (Bernoulli; throws ParamError if that exceeds 1). Different `sample`
// numbers give independent samples from one key.
SpikeRaster poisson_pattern(std::span<const double> rates_hz, std::size_t steps, double dt,
                            const sim::RandomKey& key, std::uint32_t sample = 0);

// Independent stationary gamma renewal trains (ALGORITHMS.md 6.4, the equal-rate variant): the
// intervals of neuron i are Gamma(shape, 1 / (shape * rate_hz)) distributed, so every shape has
// the same mean rate and shape sets the regularity (interval CV = 1/sqrt(shape); 1 is Poisson,
// larger is more regular). Each train starts ten mean intervals before step 0 so that it is
// stationary from the first step. Spike times are binned at dt; two spikes in one bin count once
// (a loss of rate * dt / 2 of the spikes at most for Poisson, less for regular trains). Throws
// ParamError unless rate_hz > 0, rate_hz * dt <= 1000 and shape > 0.
SpikeRaster gamma_renewal_pattern(double rate_hz, double shape, std::size_t neurons, std::size_t steps, double dt,
                                  const sim::RandomKey& key, std::uint32_t sample = 0);

// One Gamma(shape, 1) variate from `stream` (Marsaglia & Tsang 2000; for shape < 1 through
// Gamma(shape + 1) * U^(1/shape)).
double gamma_variate(sim::RandomStream& stream, double shape);

// One Tempotron pattern: each of `afferents` afferents spikes once, at a time uniform in
// [0, duration) ms (continuous, not on a grid). Pattern `pattern` of the key's sequence.
std::vector<double> random_latency_pattern(std::size_t afferents, double duration_ms, const sim::RandomKey& key,
                                           std::uint32_t pattern);

// The classic task: `patterns` random latency patterns with labels +1 / -1, each with
// probability 1/2, all from one seed.
struct LatencyTask {
    std::vector<std::vector<double>> spike_times;  // [pattern][afferent], ms
    std::vector<int> labels;                       // [pattern]: +1 or -1
};
LatencyTask random_latency_task(std::size_t patterns, std::size_t afferents, double duration_ms, std::uint64_t seed);

// Ten-bit (in general `bits`-bit) spatial patterns, codes 0 .. 2^bits - 1; the most
// significant bit is input 0. Every bit j has two sources: source j (channel "1") spikes at
// t_ms if bit j is 1, source bits + j (channel "0") spikes at t_ms if it is 0.
std::vector<std::uint32_t> all_bit_codes(int bits = 10);
bool bit_of(std::uint32_t code, int bits, int j);  // bit j, MSB first
std::vector<std::vector<double>> bit_pattern_spike_times(std::uint32_t code, int bits, double t_ms);

// The same as a SpikeSourceArray population of 2*bits sources, ready for a NetworkSpec.
sim::PopulationSpec bit_pattern_population(std::string name, std::uint32_t code, int bits, double t_ms);

// Key for synthetic data of one task, apart from every key a network draws from.
inline sim::RandomKey synthetic_key(std::uint64_t seed, std::uint32_t task = 0) {
    return sim::RandomKey::make(seed, sim::RandomPurpose::synthetic_data, task);
}

}  // namespace myelin::models
