// Parameter checks for TessLIF (tess_lif.hpp; ALGORITHMS.md 4.2).
#include "models/tess_lif.hpp"

#include "sim/param_check.hpp"

namespace myelin::models {

void TessLif::validate(const Params& p) {
    sim::require(std::isfinite(p.beta) && p.beta > 0.0 && p.beta <= 1.0, "beta", p.beta,
                 "must be in (0, 1] (decay factor per step)");
    sim::require(std::isfinite(p.v_thresh) && p.v_thresh > 0.0, "v_thresh", p.v_thresh,
                 "must be > 0 (the soft reset subtracts it)");
    sim::require_finite("i_offset", p.i_offset);
}

}  // namespace myelin::models
