// The range loop shared by the hand-vectorised neuron models (models/*_avx512.hpp): a model
// supplies the arithmetic for one group of 8 (double) or 16 (float) neurons as a function of the
// group's first neuron and lane mask that returns the lanes that fired; this runs it over
// [begin, end) with full groups and one masked tail, and appends the neurons that fired in order.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace myelin::models::avx512 {

template <class Real>
using LaneMask = std::conditional_t<std::is_same_v<Real, double>, __mmask8, __mmask16>;

// Appends begin + the set bits of `fired` in ascending order.
inline void append_spikes(std::uint32_t fired, std::size_t begin, std::vector<std::uint32_t>& spikes) {
    while (fired != 0) {
        spikes.push_back(static_cast<std::uint32_t>(begin + static_cast<unsigned>(__builtin_ctz(fired))));
        fired &= fired - 1;
    }
}

template <class Real, class Group>
[[gnu::always_inline]] inline void for_each_group(std::size_t begin, std::size_t end, std::vector<std::uint32_t>& spikes,
                                                  Group&& group) {
    using Mask = LaneMask<Real>;
    constexpr std::size_t width = 64 / sizeof(Real);
    std::size_t i = begin;
    for (; i + width <= end; i += width) {
        const Mask fired = group(i, Mask(~Mask(0)));
        if (fired != 0) append_spikes(fired, i, spikes);
    }
    if (i < end) {
        const Mask fired = group(i, Mask((1u << (end - i)) - 1));
        if (fired != 0) append_spikes(fired, i, spikes);
    }
}

}  // namespace myelin::models::avx512
