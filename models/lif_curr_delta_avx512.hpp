// IF_curr_delta's step over a range of neurons written with AVX-512 intrinsics, for the same
// reasons as IF_curr_exp's (models/lif_curr_exp_avx512.hpp): no mask shuffles between the int32
// refractory counter and the state, no byte-per-neuron spike scan afterwards.
//
// The arithmetic is the scalar step's in the order GCC contracts it (v: (p22 v + v_constant) +
// jump, one fused multiply-add and an add), so results are bit-identical to it.
#pragma once

#include "models/avx512_groups.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace myelin::models::avx512 {

// One group of neurons from `i` on, the lanes in `lanes`; `in` is this step's input row (read,
// then cleared) or null when nothing projects onto the population.
template <class Model, class Mask>
[[gnu::always_inline]] inline Mask lif_curr_delta_group(const typename Model::Params& p,
                                                        const typename Model::Propagators& k,
                                                        const typename Model::State& s, std::size_t i, Mask lanes,
                                                        float* in) {
    using Real = typename Model::Real;
    Real* const v = s.v.data() + i;
    std::int32_t* const refrac = s.refrac_left.data() + i;
    if constexpr (std::is_same_v<Real, double>) {
        __m512d jump = _mm512_setzero_pd();
        if (in != nullptr) {
            jump = _mm512_maskz_cvtps_pd(lanes, _mm256_maskz_loadu_ps(lanes, in + i));
            _mm256_mask_storeu_ps(in + i, lanes, _mm256_setzero_ps());
        }
        const __m512d v_old = _mm512_maskz_loadu_pd(lanes, v);
        const __m256i r = _mm256_maskz_loadu_epi32(lanes, refrac), zero = _mm256_setzero_si256();
        const __m512d v_free =
            _mm512_add_pd(_mm512_fmadd_pd(_mm512_set1_pd(k.p22), v_old, _mm512_set1_pd(k.v_constant)), jump);
        __m512d v_new = _mm512_mask_mov_pd(v_old, _mm256_cmple_epi32_mask(r, zero), v_free);
        const __mmask8 fired = _mm512_mask_cmp_pd_mask(lanes, v_new, _mm512_set1_pd(p.v_thresh), _CMP_GE_OQ);
        v_new = _mm512_mask_mov_pd(v_new, fired, _mm512_set1_pd(p.v_reset));
        _mm512_mask_storeu_pd(v, lanes, v_new);
        const __m256i counted = _mm256_max_epi32(_mm256_sub_epi32(r, _mm256_set1_epi32(1)), zero);
        _mm256_mask_storeu_epi32(refrac, lanes, _mm256_mask_mov_epi32(counted, fired, _mm256_set1_epi32(k.refrac_steps)));
        return fired;
    } else {
        static_assert(std::is_same_v<Real, float>);
        __m512 jump = _mm512_setzero_ps();
        if (in != nullptr) {
            jump = _mm512_maskz_loadu_ps(lanes, in + i);
            _mm512_mask_storeu_ps(in + i, lanes, _mm512_setzero_ps());
        }
        const __m512 v_old = _mm512_maskz_loadu_ps(lanes, v);
        const __m512i r = _mm512_maskz_loadu_epi32(lanes, refrac), zero = _mm512_setzero_si512();
        const __m512 v_free =
            _mm512_add_ps(_mm512_fmadd_ps(_mm512_set1_ps(k.p22), v_old, _mm512_set1_ps(k.v_constant)), jump);
        __m512 v_new = _mm512_mask_mov_ps(v_old, _mm512_cmple_epi32_mask(r, zero), v_free);
        const __mmask16 fired =
            _mm512_mask_cmp_ps_mask(lanes, v_new, _mm512_set1_ps(static_cast<float>(p.v_thresh)), _CMP_GE_OQ);
        v_new = _mm512_mask_mov_ps(v_new, fired, _mm512_set1_ps(static_cast<float>(p.v_reset)));
        _mm512_mask_storeu_ps(v, lanes, v_new);
        const __m512i counted = _mm512_maskz_max_epi32(lanes, _mm512_sub_epi32(r, _mm512_set1_epi32(1)), zero);
        _mm512_mask_storeu_epi32(refrac, lanes, _mm512_mask_mov_epi32(counted, fired, _mm512_set1_epi32(k.refrac_steps)));
        return fired;
    }
}

// The step for neurons [begin, end) of BasicLifCurrDelta<Real> (Model), appending the ones that fire.
template <class Model>
void advance_lif_curr_delta(const typename Model::Params& params, const typename Model::Propagators& propagators,
                            const typename Model::State& state, std::size_t begin, std::size_t end, float* in,
                            std::vector<std::uint32_t>& spikes) {
    // Local copies: the stores could alias the originals (see lif_curr_exp_avx512.hpp).
    const typename Model::Params p = params;
    const typename Model::Propagators k = propagators;
    const typename Model::State s = state;
    for_each_group<typename Model::Real>(begin, end, spikes, [&](std::size_t i, auto lanes) {
        return lif_curr_delta_group<Model>(p, k, s, i, lanes, in);
    });
}

}  // namespace myelin::models::avx512
