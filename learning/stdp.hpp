// Pair-based STDP with traces, hard bounds [w_min, w_max] (ALGORITHMS.md 1.5; Song, Miller &
// Abbott 2000); the pairing (all-to-all or nearest) is the engine's (sim/plastic_projection.hpp).
// The weight dependence is a separate type, as it changes the inner loop: additive F = A,
// multiplicative F+ = A_plus*(w_max - w), F- = A_minus*(w - w_min) (van Rossum et al. 2000; PyNN
// MultiplicativeWeightDependence), soft-bound F+ = A_plus*(w_max - w)^mu, F- = A_minus*(w - w_min)^mu
// (Guetig et al. 2003). Additive A_plus and A_minus are in weight units (nA, uS or mV, as the
// projection's weights), multiplicative ones per unit weight, soft-bound ones in weight^(1 - mu).
#pragma once

#include "sim/host_device.hpp"
#include "sim/model_traits.hpp"

#include <algorithm>
#include <cmath>
#include <array>
#include <string_view>

namespace myelin::learning {

struct StdpParams {
    double tau_plus = 20.0;   // ms, pre trace
    double tau_minus = 20.0;  // ms, post trace
    double A_plus = 0.01;     // weight units
    double A_minus = 0.012;   // weight units
    double w_min = 0.0;       // weight units
    double w_max = 1.0;       // weight units
};

inline constexpr std::array<sim::ParamField<StdpParams>, 6> stdp_param_fields{{
    {"tau_plus", "ms", &StdpParams::tau_plus},
    {"tau_minus", "ms", &StdpParams::tau_minus},
    {"A_plus", "weight", &StdpParams::A_plus},
    {"A_minus", "weight", &StdpParams::A_minus},
    {"w_min", "weight", &StdpParams::w_min},
    {"w_max", "weight", &StdpParams::w_max},
}};

void validate_stdp(const StdpParams& p);

struct StdpSoftBoundParams : StdpParams {
    double mu = 0.5;  // exponent of the weight dependence: 0 additive, 1 multiplicative
};

inline constexpr std::array<sim::ParamField<StdpSoftBoundParams>, 7> stdp_soft_bound_param_fields{{
    {"tau_plus", "ms", &StdpParams::tau_plus},
    {"tau_minus", "ms", &StdpParams::tau_minus},
    {"A_plus", "weight^(1-mu)", &StdpParams::A_plus},
    {"A_minus", "weight^(1-mu)", &StdpParams::A_minus},
    {"w_min", "weight", &StdpParams::w_min},
    {"w_max", "weight", &StdpParams::w_max},
    {"mu", "", &StdpSoftBoundParams::mu},
}};

void validate_stdp_soft_bound(const StdpSoftBoundParams& p);

MYELIN_HOST_DEVICE inline float clip_weight(const StdpParams& p, double w) noexcept {
    return static_cast<float>(std::clamp(w, p.w_min, p.w_max));
}

struct StdpAdditive {
    static constexpr std::string_view name = "stdp";
    static constexpr std::string_view weight_dependence = "additive";
    using Params = StdpParams;
    static constexpr auto& param_fields = stdp_param_fields;
    static void validate(const Params& p) { validate_stdp(p); }
    MYELIN_HOST_DEVICE static float on_pre(const Params& p, float w, double post_trace) noexcept {
        return clip_weight(p, w - p.A_minus * post_trace);
    }
    MYELIN_HOST_DEVICE static float on_post(const Params& p, float w, double pre_trace) noexcept {
        return clip_weight(p, w + p.A_plus * pre_trace);
    }
};

struct StdpMultiplicative {
    static constexpr std::string_view name = "stdp";
    static constexpr std::string_view weight_dependence = "multiplicative";
    using Params = StdpParams;
    static constexpr auto& param_fields = stdp_param_fields;
    static void validate(const Params& p) { validate_stdp(p); }
    MYELIN_HOST_DEVICE static float on_pre(const Params& p, float w, double post_trace) noexcept {
        return clip_weight(p, w - p.A_minus * (w - p.w_min) * post_trace);
    }
    MYELIN_HOST_DEVICE static float on_post(const Params& p, float w, double pre_trace) noexcept {
        return clip_weight(p, w + p.A_plus * (p.w_max - w) * pre_trace);
    }
};

// Guetig, Aharonov, Rotter & Sompolinsky (J. Neurosci. 23:3697, 2003), eq. 4 in weight units:
// the change shrinks as a power mu of the distance to the bound it moves towards. The distance is
// taken as 0 outside [w_min, w_max] (an initial weight may lie there), so pow never sees a
// negative base; the clip then brings the weight inside.
struct StdpSoftBound {
    static constexpr std::string_view name = "stdp";
    static constexpr std::string_view weight_dependence = "soft_bound";
    using Params = StdpSoftBoundParams;
    static constexpr auto& param_fields = stdp_soft_bound_param_fields;
    static void validate(const Params& p) { validate_stdp_soft_bound(p); }
    MYELIN_HOST_DEVICE static float on_pre(const Params& p, float w, double post_trace) noexcept {
        return clip_weight(p, w - p.A_minus * std::pow(std::max(0.0, w - p.w_min), p.mu) * post_trace);
    }
    MYELIN_HOST_DEVICE static float on_post(const Params& p, float w, double pre_trace) noexcept {
        return clip_weight(p, w + p.A_plus * std::pow(std::max(0.0, p.w_max - w), p.mu) * pre_trace);
    }
};

}  // namespace myelin::learning
