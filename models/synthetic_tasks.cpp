// Synthetic spike data (synthetic_tasks.hpp).
#include "models/synthetic_tasks.hpp"

#include "models/encoding.hpp"
#include "sim/param_check.hpp"

#include <algorithm>
#include <cmath>

namespace myelin::models {

SpikeRaster poisson_pattern(std::span<const double> rates_hz, std::size_t steps, double dt,
                            const sim::RandomKey& key, std::uint32_t sample) {
    sim::require_positive("dt", dt, "ms");
    for (const double r : rates_hz)
        sim::require(r >= 0.0 && r * dt / 1000.0 <= 1.0, "rate", r,
                     "must be within [0, 1000/dt] (at most one spike per step)", "Hz");
    // The sample number is the counter's third word (i/4, step, sample): samples never share draws.
    SpikeRaster raster(steps, rates_hz.size());
    const double scale = encoding::bernoulli_scale(1.0, dt);  // rates enter as the "intensities"
    std::vector<std::uint32_t> spikes;
    for (std::size_t k = 0; k < steps; ++k) {
        spikes.clear();
        encoding::bernoulli_step(key, rates_hz.data(), scale, static_cast<std::uint32_t>(k), 0, rates_hz.size(),
                                 spikes, sample);
        for (const std::uint32_t i : spikes) raster.at(k, i) = 1;
    }
    return raster;
}

double gamma_variate(sim::RandomStream& stream, double shape) {
    if (shape < 1.0) return gamma_variate(stream, shape + 1.0) * std::pow(stream.uniform_positive(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
        double x = 0.0, v = 0.0;
        do {
            x = stream.normal();
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = stream.uniform_positive();
        if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
        if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
}

SpikeRaster gamma_renewal_pattern(double rate_hz, double shape, std::size_t neurons, std::size_t steps, double dt,
                                  const sim::RandomKey& key, std::uint32_t sample) {
    sim::require_positive("dt", dt, "ms");
    sim::require(rate_hz > 0.0 && rate_hz * dt / 1000.0 <= 1.0, "rate", rate_hz,
                 "must be within (0, 1000/dt] (at most one spike per step)", "Hz");
    sim::require(shape > 0.0 && std::isfinite(shape), "shape", shape, "must be > 0");
    SpikeRaster raster(steps, neurons);
    const double mean_interval = 1000.0 / rate_hz;  // ms
    const double scale = mean_interval / shape;
    const double end = static_cast<double>(steps) * dt;
    for (std::size_t i = 0; i < neurons; ++i) {
        // Determinism: neuron i of sample `sample` draws from its own stream, whatever the order.
        sim::RandomStream stream(key, static_cast<std::uint32_t>(i), sample);
        double t = -10.0 * mean_interval;
        while (true) {
            t += scale * gamma_variate(stream, shape);
            if (t >= end) break;
            if (t >= 0.0) raster.at(std::min(steps - 1, static_cast<std::size_t>(t / dt)), i) = 1;
        }
    }
    return raster;
}

std::vector<double> random_latency_pattern(std::size_t afferents, double duration_ms, const sim::RandomKey& key,
                                           std::uint32_t pattern) {
    sim::require_positive("duration", duration_ms, "ms");
    std::vector<double> times(afferents);
    for (std::size_t i = 0; i < afferents; ++i) {
        sim::RandomStream stream(key, static_cast<std::uint32_t>(i), pattern);
        times[i] = duration_ms * stream.uniform();  // uniform() is in [0, 1): t in [0, duration)
    }
    return times;
}

LatencyTask random_latency_task(std::size_t patterns, std::size_t afferents, double duration_ms, std::uint64_t seed) {
    const sim::RandomKey times_key = synthetic_key(seed, 0), label_key = synthetic_key(seed, 1);
    LatencyTask task;
    for (std::size_t p = 0; p < patterns; ++p) {
        task.spike_times.push_back(random_latency_pattern(afferents, duration_ms, times_key, static_cast<std::uint32_t>(p)));
        sim::RandomStream stream(label_key, static_cast<std::uint32_t>(p), 0);
        task.labels.push_back(stream.next_u32() >> 31 ? +1 : -1);
    }
    return task;
}

std::vector<std::uint32_t> all_bit_codes(int bits) {
    sim::require(bits >= 1 && bits <= 24, "bits", bits, "must be within [1, 24]");
    std::vector<std::uint32_t> codes(std::size_t{1} << bits);
    for (std::uint32_t c = 0; c < codes.size(); ++c) codes[c] = c;
    return codes;
}

bool bit_of(std::uint32_t code, int bits, int j) { return (code >> (bits - 1 - j)) & 1u; }

std::vector<std::vector<double>> bit_pattern_spike_times(std::uint32_t code, int bits, double t_ms) {
    sim::require(bits >= 1 && bits <= 24, "bits", bits, "must be within [1, 24]");
    sim::require(code < (std::uint32_t{1} << bits), "code", code, "must be below 2^bits");
    std::vector<std::vector<double>> times(2 * static_cast<std::size_t>(bits));
    for (int j = 0; j < bits; ++j) times[bit_of(code, bits, j) ? j : bits + j].push_back(t_ms);
    return times;
}

sim::PopulationSpec bit_pattern_population(std::string name, std::uint32_t code, int bits, double t_ms) {
    sim::PopulationSpec spec;
    spec.name = std::move(name);
    spec.size = 2 * static_cast<std::uint64_t>(bits);
    spec.model = "SpikeSourceArray";
    spec.spike_times = bit_pattern_spike_times(code, bits, t_ms);
    return spec;
}

}  // namespace myelin::models
