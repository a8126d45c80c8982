// Symmetric, potentiation-only pair STDP: dw = A_plus*exp(-s/tau_plus) for s = t_post - t_pre > 0
// and dw = +A_minus*exp(s/tau_minus) for s < 0, hard bounds [w_min, w_max]. It is sPyNNaker's
// pair rule with A_minus = -1 as Davies et al. use it (ALGORITHMS.md 2.2), with A_minus given
// here as the (non-negative) size of the post-before-pre potentiation.
#pragma once

#include "learning/stdp.hpp"

namespace myelin::learning {

struct StdpSymmetric {
    static constexpr std::string_view name = "stdp_symmetric";
    static constexpr std::string_view weight_dependence = "additive";
    using Params = StdpParams;
    static constexpr auto& param_fields = stdp_param_fields;
    static void validate(const Params& p) { validate_stdp(p); }
    // A pre spike after a post spike potentiates too: the sign is the point of the rule.
    static float on_pre(const Params& p, float w, double post_trace) noexcept {
        return clip_weight(p, w + p.A_minus * post_trace);
    }
    static float on_post(const Params& p, float w, double pre_trace) noexcept {
        return clip_weight(p, w + p.A_plus * pre_trace);
    }
};

}  // namespace myelin::learning
