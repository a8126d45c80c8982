// The Bernoulli rate code of dataset samples, shared by the gradient trainers (learning/) and
// the ImageSequenceEncoder source (models/), so a network trained here sees in the engine the
// very spikes it was evaluated on. Not a model: a pure function of (key, sample, step, input).
#pragma once

#include "sim/random.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace myelin::sim {

// In step `t` of the presentation of sample `sample`, input i in [begin, end) spikes iff word i % 4 of philox(key, i / 4, sample, t) < gain * x[i] * 2^32.
// x is float, the trainers' precision. Calls emit(i) for each spike, in increasing i.
template <class Emit>
void sample_rate_step(const RandomKey& key, const float* x, double gain, std::uint32_t sample, std::uint32_t t,
                      std::size_t begin, std::size_t end, Emit&& emit) {
    constexpr std::size_t block = 256;  // inputs, a multiple of 4
    std::uint32_t words[block];
    for (std::size_t first = begin / 4 * 4; first < end; first += block) {
        const std::size_t n = std::min(block, (end - first + 3) / 4 * 4);
        philox_many(key, static_cast<std::uint32_t>(first / 4), n / 4, sample, t, words);
        const std::size_t from = std::max(first, begin), to = std::min(first + n, end);
        for (std::size_t i = from; i < to; ++i)
            if (static_cast<double>(words[i - first]) < gain * static_cast<double>(x[i]) * 4294967296.0) emit(i);
    }
}

}  // namespace myelin::sim
