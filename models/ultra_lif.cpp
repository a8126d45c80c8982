// Parameter checks and constants for UltraLIF (ALGORITHMS.md 5.3).
#include "models/ultra_lif.hpp"

#include "sim/param_check.hpp"

namespace myelin::models {

void UltraLif::validate(const Params& p) {
    sim::require(std::isfinite(p.tau) && p.tau > 0.0 && p.tau <= 1.0, "tau", p.tau,
                 "must be in (0, 1] (decay factor per step)");
    sim::require_positive("eps", p.eps);
    sim::require(std::isfinite(p.v_thresh) && p.v_thresh > 0.0, "v_thresh", p.v_thresh,
                 "must be > 0 (the reset pulls v towards 0)");
    sim::require_finite("i_offset", p.i_offset);
}

UltraLif::Propagators UltraLif::prepare(const Params& p, double /*dt: the model is per step*/) {
    return {std::log(p.tau), 1.0 / p.eps};
}

}  // namespace myelin::models
