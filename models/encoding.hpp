// The arithmetic of the data encoders, shared by the spike-source populations (PoissonEncoder,
// LatencyEncoder) and the trainer API (encoders.hpp), so both give the same spikes.
// Rate coding: Bernoulli per step, ALGORITHMS.md 1.1 option A. Latency coding: linear
// time-to-first-spike, docs/encoders.md.
#pragma once

#include "sim/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace myelin::models::encoding {

// A uniform 32-bit word w gives a spike when w < x * scale, i.e. with probability
// x * rate * dt / 1000 (to within 2^-32); scale = rate*dt/1000 * 2^32.
inline double bernoulli_scale(double rate_hz, double dt_ms) { return rate_hz * dt_ms / 1000.0 * 0x1.0p32; }

// Appends the neurons i in [begin, end) that spike in `step` when neuron i spikes with
// probability x[i] * scale / 2^32. Determinism: neuron i uses word i % 4 of
// philox(key, i / 4, step, sample) whatever range this thread has, so the spikes do not depend
// on the thread count; blocks of neurons draw their words with the vectorised Philox.
inline void bernoulli_step(const sim::RandomKey& key, const double* x, double scale, std::uint32_t step,
                           std::size_t begin, std::size_t end, std::vector<std::uint32_t>& spikes,
                           std::uint32_t sample = 0) {
    constexpr std::size_t block = 256;  // neurons, a multiple of 4
    std::uint32_t words[block];
    for (std::size_t first = begin / 4 * 4; first < end; first += block) {
        const std::size_t n = std::min(block, (end - first + 3) / 4 * 4);
        sim::philox_many(key, static_cast<std::uint32_t>(first / 4), n / 4, step, sample, words);
        const std::size_t from = std::max(first, begin), to = std::min(first + n, end);
        for (std::size_t i = from; i < to; ++i)
            if (static_cast<double>(words[i - first]) < x[i] * scale) spikes.push_back(static_cast<std::uint32_t>(i));
    }
}

// Time-to-first-spike: intensity x in (threshold, 1] spikes once, t_max * (1 - x) ms after the
// start of the presentation; brighter is earlier, x = 1 at once. x <= threshold never spikes.
inline std::optional<double> latency_ms(double x, double t_max, double threshold) {
    if (!(x > threshold)) return std::nullopt;
    return t_max * (1.0 - x);
}

// The step, counted from the start of the presentation, in which that spike is emitted: the
// latency rounded to the nearest step (so x = 1 fires in the first step, stamped start + dt).
inline std::optional<std::int64_t> latency_step(double x, double t_max, double threshold, double dt) {
    const auto t = latency_ms(x, t_max, threshold);
    if (!t) return std::nullopt;
    return std::llround(*t / dt);
}

}  // namespace myelin::models::encoding
