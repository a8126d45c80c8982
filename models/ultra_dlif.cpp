// Parameter checks and constants for UltraDLIF (ALGORITHMS.md 5.3).
#include "models/ultra_dlif.hpp"

#include "sim/param_check.hpp"

namespace myelin::models {

void UltraDlif::validate(const Params& p) {
    sim::require_non_negative("coupling", p.coupling);
    sim::require_positive("eps", p.eps);
    sim::require(std::isfinite(p.v_thresh) && p.v_thresh > 0.0, "v_thresh", p.v_thresh,
                 "must be > 0 (the reset pulls v towards 0)");
    sim::require_finite("i_offset", p.i_offset);
}

UltraDlif::Propagators UltraDlif::prepare(const Params& p, double /*dt: the model is per step*/) {
    return {p.coupling > 0.0 ? std::log(p.coupling) : 0.0, 1.0 / p.eps, p.coupling > 0.0};
}

}  // namespace myelin::models
