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
    using Vector = typename Lanes<Real>::Vector;
    const Vector jump = in != nullptr ? take_input(lanes, in + i) : broadcast(Real{0}, Vector{});
    const Vector v_old = load(lanes, s.v.data() + i);
    const auto r = load_counters(lanes, s.refrac_left.data() + i);
    const Vector v_free = add(fmadd(broadcast(k.p22, v_old), v_old, broadcast(k.v_constant, v_old)), jump);
    return threshold_and_reset(lanes, select(free_lanes(lanes, r), v_old, v_free), r, static_cast<Real>(p.v_thresh),
                               static_cast<Real>(p.v_reset), k.refrac_steps, s.v.data() + i, s.refrac_left.data() + i);
}

// The step for neurons [begin, end) of BasicLifCurrDelta<Real> (Model), appending the ones that fire.
template <class Model>
void advance_lif_curr_delta(const typename Model::Params& params, const typename Model::Propagators& propagators,
                            const typename Model::State& state, std::size_t begin, std::size_t end, float* in,
                            std::vector<std::uint32_t>& spikes) {
    // Local copies, captured by value (lif_curr_exp_avx512.hpp says why).
    const typename Model::Params p = params;
    const typename Model::Propagators k = propagators;
    const typename Model::State s = state;
    for_each_group<typename Model::Real>(begin, end, spikes, [=](std::size_t i, auto lanes) {
        return lif_curr_delta_group<Model>(p, k, s, i, lanes, in);
    });
}

}  // namespace myelin::models::avx512
