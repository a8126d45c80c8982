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
    using Vector = typename Lanes<Real>::Vector;
    const auto c = [](Real x) { return broadcast(x, Vector{}); };
    const Vector v_old = load(lanes, s.v.data() + i), e = load(lanes, s.i_exc.data() + i),
                 h = load(lanes, s.i_inh.data() + i);
    const auto r = load_counters(lanes, s.refrac_left.data() + i);
    const Vector v_free = add(fmadd(c(k.p21_inh), h, fmadd(c(k.p21_exc), e, mul(c(k.p22), v_old))), c(k.v_constant));
    const Vector v_new = select(free_lanes(lanes, r), v_old, v_free);
    if constexpr (Rows) {
        store(s.i_exc.data() + i, lanes, fmadd(c(k.p11_exc), e, take_input(lanes, in_exc + i)));
        store(s.i_inh.data() + i, lanes, fmadd(c(k.p11_inh), h, take_input(lanes, in_inh + i)));
    } else {
        store(s.i_exc.data() + i, lanes, mul(c(k.p11_exc), e));
        store(s.i_inh.data() + i, lanes, mul(c(k.p11_inh), h));
    }
    return threshold_and_reset(lanes, v_new, r, static_cast<Real>(p.v_thresh), static_cast<Real>(p.v_reset),
                               k.refrac_steps, s.v.data() + i, s.refrac_left.data() + i);
}

template <class Model, bool Rows>
void advance_lif_curr_exp_rows(const typename Model::Params& params, const typename Model::Propagators& propagators,
                               const typename Model::State& state, std::size_t begin, std::size_t end, float* in_exc,
                               float* in_inh, std::vector<std::uint32_t>& spikes) {
    // Local copies, captured by value: the stores could alias the originals (or, captured by
    // reference, the copies), and the compiler then reloads every parameter and column pointer
    // in each group (measured: 25% slower).
    const typename Model::Params p = params;
    const typename Model::Propagators k = propagators;
    const typename Model::State s = state;
    for_each_group<typename Model::Real>(begin, end, spikes, [=](std::size_t i, auto lanes) {
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
