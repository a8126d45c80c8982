// IF_curr_exp's step over a range of neurons written with AVX-512 intrinsics (compiled only
// where the target has AVX-512F/VL, e.g. -march=native on this project's machines).
//
// Why by hand: GCC vectorises BasicLifCurrExp::step, but mixing the 16-lane int32 refractory
// counter with 8-lane doubles makes it shuffle masks through general registers and spill, and
// the engine then scans a byte per neuron for spikes. Here each group of 8 (double) or 16
// (float) neurons is one pass over plain vectors, and a group's spike mask appends its indices
// at once (models/avx512_groups.hpp). Measured: CUBA 1.4x faster (bench/README.md).
//
// The arithmetic is the scalar step's, operation for operation, in the order GCC contracts it
// (v: ((p22 v + p21_exc i_exc) + p21_inh i_inh) + v_constant, one multiply and two fused
// multiply-adds; currents: p11 i + input, fused), so results are bit-identical to it.
#pragma once

#include "models/avx512_groups.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace myelin::models::avx512 {

// One group of neurons from `i` on, the lanes in `lanes` (all of them except at the range's end).
// Rows: this step's input rows are read and cleared (ring input); otherwise input joins the
// currents directly after the update.
template <class Model, bool Rows, class Mask>
[[gnu::always_inline]] inline Mask lif_curr_exp_group(const typename Model::Params& p, const typename Model::Propagators& k,
                                                       const typename Model::State& s, std::size_t i, Mask lanes,
                                                       float* in_exc, float* in_inh) {
    using Real = typename Model::Real;
    Real* const v = s.v.data() + i;
    Real* const i_exc = s.i_exc.data() + i;
    Real* const i_inh = s.i_inh.data() + i;
    std::int32_t* const refrac = s.refrac_left.data() + i;
    if constexpr (std::is_same_v<Real, double>) {
        const __m512d v_old = _mm512_maskz_loadu_pd(lanes, v), e = _mm512_maskz_loadu_pd(lanes, i_exc),
                      h = _mm512_maskz_loadu_pd(lanes, i_inh);
        const __m256i r = _mm256_maskz_loadu_epi32(lanes, refrac), zero = _mm256_setzero_si256();
        const __m512d v_free = _mm512_add_pd(
            _mm512_fmadd_pd(_mm512_set1_pd(k.p21_inh), h,
                            _mm512_fmadd_pd(_mm512_set1_pd(k.p21_exc), e, _mm512_mul_pd(_mm512_set1_pd(k.p22), v_old))),
            _mm512_set1_pd(k.v_constant));
        __m512d v_new = _mm512_mask_mov_pd(v_old, _mm256_cmple_epi32_mask(r, zero), v_free);
        if constexpr (Rows) {
            const __m512d add_exc = _mm512_maskz_cvtps_pd(lanes, _mm256_maskz_loadu_ps(lanes, in_exc + i));
            const __m512d add_inh = _mm512_maskz_cvtps_pd(lanes, _mm256_maskz_loadu_ps(lanes, in_inh + i));
            _mm256_mask_storeu_ps(in_exc + i, lanes, _mm256_setzero_ps());
            _mm256_mask_storeu_ps(in_inh + i, lanes, _mm256_setzero_ps());
            _mm512_mask_storeu_pd(i_exc, lanes, _mm512_fmadd_pd(_mm512_set1_pd(k.p11_exc), e, add_exc));
            _mm512_mask_storeu_pd(i_inh, lanes, _mm512_fmadd_pd(_mm512_set1_pd(k.p11_inh), h, add_inh));
        } else {
            _mm512_mask_storeu_pd(i_exc, lanes, _mm512_mul_pd(_mm512_set1_pd(k.p11_exc), e));
            _mm512_mask_storeu_pd(i_inh, lanes, _mm512_mul_pd(_mm512_set1_pd(k.p11_inh), h));
        }
        const __mmask8 fired = _mm512_mask_cmp_pd_mask(lanes, v_new, _mm512_set1_pd(p.v_thresh), _CMP_GE_OQ);
        v_new = _mm512_mask_mov_pd(v_new, fired, _mm512_set1_pd(p.v_reset));
        _mm512_mask_storeu_pd(v, lanes, v_new);
        const __m256i counted = _mm256_max_epi32(_mm256_sub_epi32(r, _mm256_set1_epi32(1)), zero);
        _mm256_mask_storeu_epi32(refrac, lanes, _mm256_mask_mov_epi32(counted, fired, _mm256_set1_epi32(k.refrac_steps)));
        return fired;
    } else {
        static_assert(std::is_same_v<Real, float>);
        const __m512 v_old = _mm512_maskz_loadu_ps(lanes, v), e = _mm512_maskz_loadu_ps(lanes, i_exc),
                     h = _mm512_maskz_loadu_ps(lanes, i_inh);
        const __m512i r = _mm512_maskz_loadu_epi32(lanes, refrac), zero = _mm512_setzero_si512();
        const __m512 v_free = _mm512_add_ps(
            _mm512_fmadd_ps(_mm512_set1_ps(k.p21_inh), h,
                            _mm512_fmadd_ps(_mm512_set1_ps(k.p21_exc), e, _mm512_mul_ps(_mm512_set1_ps(k.p22), v_old))),
            _mm512_set1_ps(k.v_constant));
        __m512 v_new = _mm512_mask_mov_ps(v_old, _mm512_cmple_epi32_mask(r, zero), v_free);
        if constexpr (Rows) {
            const __m512 add_exc = _mm512_maskz_loadu_ps(lanes, in_exc + i);
            const __m512 add_inh = _mm512_maskz_loadu_ps(lanes, in_inh + i);
            _mm512_mask_storeu_ps(in_exc + i, lanes, _mm512_setzero_ps());
            _mm512_mask_storeu_ps(in_inh + i, lanes, _mm512_setzero_ps());
            _mm512_mask_storeu_ps(i_exc, lanes, _mm512_fmadd_ps(_mm512_set1_ps(k.p11_exc), e, add_exc));
            _mm512_mask_storeu_ps(i_inh, lanes, _mm512_fmadd_ps(_mm512_set1_ps(k.p11_inh), h, add_inh));
        } else {
            _mm512_mask_storeu_ps(i_exc, lanes, _mm512_mul_ps(_mm512_set1_ps(k.p11_exc), e));
            _mm512_mask_storeu_ps(i_inh, lanes, _mm512_mul_ps(_mm512_set1_ps(k.p11_inh), h));
        }
        const __mmask16 fired =
            _mm512_mask_cmp_ps_mask(lanes, v_new, _mm512_set1_ps(static_cast<float>(p.v_thresh)), _CMP_GE_OQ);
        v_new = _mm512_mask_mov_ps(v_new, fired, _mm512_set1_ps(static_cast<float>(p.v_reset)));
        _mm512_mask_storeu_ps(v, lanes, v_new);
        const __m512i counted = _mm512_maskz_max_epi32(lanes, _mm512_sub_epi32(r, _mm512_set1_epi32(1)), zero);
        _mm512_mask_storeu_epi32(refrac, lanes, _mm512_mask_mov_epi32(counted, fired, _mm512_set1_epi32(k.refrac_steps)));
        return fired;
    }
}

template <class Model, bool Rows>
void advance_lif_curr_exp_rows(const typename Model::Params& params, const typename Model::Propagators& propagators,
                               const typename Model::State& state, std::size_t begin, std::size_t end, float* in_exc,
                               float* in_inh, std::vector<std::uint32_t>& spikes) {
    // Local copies: the stores could alias the originals, and the compiler would then reload
    // every parameter and column pointer in each group.
    const typename Model::Params p = params;
    const typename Model::Propagators k = propagators;
    const typename Model::State s = state;
    for_each_group<typename Model::Real>(begin, end, spikes, [&](std::size_t i, auto lanes) {
        return lif_curr_exp_group<Model, Rows>(p, k, s, i, lanes, in_exc, in_inh);
    });
}

// The step for neurons [begin, end) of BasicLifCurrExp<Real> (Model), appending the ones that fire.
// `in_exc`/`in_inh`: this step's ring rows (read, then cleared), or null when the input joins the
// currents directly after the update.
template <class Model>
void advance_lif_curr_exp(const typename Model::Params& p, const typename Model::Propagators& k,
                          const typename Model::State& s, std::size_t begin, std::size_t end, float* in_exc,
                          float* in_inh, std::vector<std::uint32_t>& spikes) {
    if (in_exc != nullptr) advance_lif_curr_exp_rows<Model, true>(p, k, s, begin, end, in_exc, in_inh, spikes);
    else advance_lif_curr_exp_rows<Model, false>(p, k, s, begin, end, in_exc, in_inh, spikes);
}

}  // namespace myelin::models::avx512
