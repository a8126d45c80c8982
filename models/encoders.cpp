// Data encoders for trainers (encoders.hpp).
#include "models/encoders.hpp"

#include "models/encoding.hpp"
#include "sim/param_check.hpp"

namespace myelin::models {
namespace {

void check_intensities(std::span<const double> intensity) {
    for (const double x : intensity) sim::require(x >= 0.0 && x <= 1.0, "intensity", x, "must be within [0, 1]");
}

}  // namespace

SpikeRaster poisson_encode(std::span<const double> intensity, std::size_t steps, double max_rate, double dt,
                           const sim::RandomKey& key) {
    sim::require_positive("dt", dt, "ms");
    sim::require(max_rate >= 0.0 && max_rate * dt / 1000.0 <= 1.0, "max_rate", max_rate,
                 "must be within [0, 1000/dt] (at most one spike per step)", "Hz");
    check_intensities(intensity);
    SpikeRaster raster(steps, intensity.size());
    const double scale = encoding::bernoulli_scale(max_rate, dt);
    std::vector<std::uint32_t> spikes;
    for (std::size_t k = 0; k < steps; ++k) {
        spikes.clear();
        encoding::bernoulli_step(key, intensity.data(), scale, static_cast<std::uint32_t>(k), 0, intensity.size(), spikes);
        for (const std::uint32_t i : spikes) raster.at(k, i) = 1;
    }
    return raster;
}

SpikeRaster latency_encode(std::span<const double> intensity, std::size_t steps, double t_max, double dt,
                           double threshold) {
    sim::require_positive("dt", dt, "ms");
    sim::require_non_negative("t_max", t_max, "ms");
    check_intensities(intensity);
    SpikeRaster raster(steps, intensity.size());
    for (std::size_t i = 0; i < intensity.size(); ++i) {
        const auto step = encoding::latency_step(intensity[i], t_max, threshold, dt);
        if (step && *step < static_cast<std::int64_t>(steps)) raster.at(static_cast<std::size_t>(*step), i) = 1;
    }
    return raster;
}

std::vector<float> static_encode(std::span<const double> intensity, std::size_t steps, double gain) {
    std::vector<float> out(steps * intensity.size());
    for (std::size_t k = 0; k < steps; ++k)
        for (std::size_t i = 0; i < intensity.size(); ++i)
            out[k * intensity.size() + i] = static_cast<float>(gain * intensity[i]);
    return out;
}

std::vector<float> static_encode_batch(std::span<const std::vector<double>> samples, std::size_t steps,
                                       double gain) {
    if (samples.empty()) return {};
    const std::size_t n = samples.front().size();
    for (std::size_t b = 0; b < samples.size(); ++b)
        if (samples[b].size() != n)
            throw ParamError("samples", "sample " + std::to_string(b) + " has " + std::to_string(samples[b].size()) +
                                            " values; sample 0 has " + std::to_string(n));
    std::vector<float> out(steps * samples.size() * n);
    for (std::size_t k = 0; k < steps; ++k)
        for (std::size_t b = 0; b < samples.size(); ++b)
            for (std::size_t i = 0; i < n; ++i)
                out[(k * samples.size() + b) * n + i] = static_cast<float>(gain * samples[b][i]);
    return out;
}

}  // namespace myelin::models
