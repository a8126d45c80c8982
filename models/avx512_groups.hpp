// What the hand-vectorised neuron models (models/*_avx512.hpp) share: one name per vector
// operation for both precisions (8 doubles or 16 floats per group, with the int32 refractory
// counters in a 256- or 512-bit register beside them), the threshold/reset/refractory step that
// ends every LIF group, and the range loop: full groups, one masked tail, and the neurons that
// fired appended in order from each group's spike mask.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace myelin::models::avx512 {

template <class Real>
struct Lanes;  // the vector, counter vector and lane mask types of one precision

template <>
struct Lanes<double> {
    using Vector = __m512d;
    using Counters = __m256i;
    using Mask = __mmask8;
    static constexpr std::size_t width = 8;
};

template <>
struct Lanes<float> {
    using Vector = __m512;
    using Counters = __m512i;
    using Mask = __mmask16;
    static constexpr std::size_t width = 16;
};

// Overloads by precision (the mask type tells the counters' width apart). Masked-off lanes load
// as 0 and are not stored.
inline __m512d load(__mmask8 lanes, const double* p) { return _mm512_maskz_loadu_pd(lanes, p); }
inline __m512 load(__mmask16 lanes, const float* p) { return _mm512_maskz_loadu_ps(lanes, p); }
inline void store(double* p, __mmask8 lanes, __m512d x) { _mm512_mask_storeu_pd(p, lanes, x); }
inline void store(float* p, __mmask16 lanes, __m512 x) { _mm512_mask_storeu_ps(p, lanes, x); }
inline __m512d broadcast(double x, __m512d) { return _mm512_set1_pd(x); }
inline __m512 broadcast(float x, __m512) { return _mm512_set1_ps(x); }
inline __m512d add(__m512d a, __m512d b) { return _mm512_add_pd(a, b); }
inline __m512 add(__m512 a, __m512 b) { return _mm512_add_ps(a, b); }
inline __m512d mul(__m512d a, __m512d b) { return _mm512_mul_pd(a, b); }
inline __m512 mul(__m512 a, __m512 b) { return _mm512_mul_ps(a, b); }
inline __m512d fmadd(__m512d a, __m512d b, __m512d c) { return _mm512_fmadd_pd(a, b, c); }
inline __m512 fmadd(__m512 a, __m512 b, __m512 c) { return _mm512_fmadd_ps(a, b, c); }
inline __m512d select(__mmask8 take, __m512d otherwise, __m512d taken) { return _mm512_mask_mov_pd(otherwise, take, taken); }
inline __m512 select(__mmask16 take, __m512 otherwise, __m512 taken) { return _mm512_mask_mov_ps(otherwise, take, taken); }
inline __mmask8 at_least(__mmask8 lanes, __m512d a, __m512d b) { return _mm512_mask_cmp_pd_mask(lanes, a, b, _CMP_GE_OQ); }
inline __mmask16 at_least(__mmask16 lanes, __m512 a, __m512 b) { return _mm512_mask_cmp_ps_mask(lanes, a, b, _CMP_GE_OQ); }

// This step's input row (float) in the model's precision: read, then cleared.
inline __m512d take_input(__mmask8 lanes, float* row) {
    const __m512d x = _mm512_maskz_cvtps_pd(lanes, _mm256_maskz_loadu_ps(lanes, row));
    _mm256_mask_storeu_ps(row, lanes, _mm256_setzero_ps());
    return x;
}
inline __m512 take_input(__mmask16 lanes, float* row) {
    const __m512 x = _mm512_maskz_loadu_ps(lanes, row);
    _mm512_mask_storeu_ps(row, lanes, _mm512_setzero_ps());
    return x;
}

// Refractory counters: loaded, "free" lanes (counter <= 0), and counted down or restarted.
inline __m256i load_counters(__mmask8 lanes, const std::int32_t* p) { return _mm256_maskz_loadu_epi32(lanes, p); }
inline __m512i load_counters(__mmask16 lanes, const std::int32_t* p) { return _mm512_maskz_loadu_epi32(lanes, p); }
inline __mmask8 free_lanes(__mmask8, __m256i r) { return _mm256_cmple_epi32_mask(r, _mm256_setzero_si256()); }
inline __mmask16 free_lanes(__mmask16, __m512i r) { return _mm512_cmple_epi32_mask(r, _mm512_setzero_si512()); }
// fired ? steps : max(r - 1, 0), stored.
inline void store_counters(std::int32_t* p, __mmask8 lanes, __m256i r, __mmask8 fired, std::int32_t steps) {
    const __m256i counted = _mm256_max_epi32(_mm256_sub_epi32(r, _mm256_set1_epi32(1)), _mm256_setzero_si256());
    _mm256_mask_storeu_epi32(p, lanes, _mm256_mask_mov_epi32(counted, fired, _mm256_set1_epi32(steps)));
}
inline void store_counters(std::int32_t* p, __mmask16 lanes, __m512i r, __mmask16 fired, std::int32_t steps) {
    const __m512i counted =
        _mm512_maskz_max_epi32(lanes, _mm512_sub_epi32(r, _mm512_set1_epi32(1)), _mm512_setzero_si512());
    _mm512_mask_storeu_epi32(p, lanes, _mm512_mask_mov_epi32(counted, fired, _mm512_set1_epi32(steps)));
}

// The end of every LIF step: v_new is the membrane the step reached (held where refractory);
// lanes at or above threshold fire, go to v_reset and restart their counter; the rest count down.
// Stores v and the counters; returns the lanes that fired.
template <class Real, class Mask, class Vector, class Counters>
[[gnu::always_inline]] inline Mask threshold_and_reset(Mask lanes, Vector v_new, Counters r, Real v_thresh, Real v_reset,
                                                       std::int32_t refrac_steps, Real* v, std::int32_t* refrac) {
    const Mask fired = at_least(lanes, v_new, broadcast(v_thresh, v_new));
    store(v, lanes, select(fired, v_new, broadcast(v_reset, v_new)));
    store_counters(refrac, lanes, r, fired, refrac_steps);
    return fired;
}

// Appends begin + the set bits of `fired` in ascending order.
inline void append_spikes(std::uint32_t fired, std::size_t begin, std::vector<std::uint32_t>& spikes) {
    while (fired != 0) {
        spikes.push_back(static_cast<std::uint32_t>(begin + static_cast<unsigned>(__builtin_ctz(fired))));
        fired &= fired - 1;
    }
}

// group(i, lanes) advances the group starting at neuron i and returns the lanes that fired.
template <class Real, class Group>
[[gnu::always_inline]] inline void for_each_group(std::size_t begin, std::size_t end, std::vector<std::uint32_t>& spikes,
                                                  Group&& group) {
    using Mask = typename Lanes<Real>::Mask;
    constexpr std::size_t width = Lanes<Real>::width;
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
