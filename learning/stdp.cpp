// Parameter checks shared by the STDP weight dependences (stdp.hpp).
#include "learning/stdp.hpp"

#include "sim/param_check.hpp"

namespace myelin::learning {

void validate_stdp(const StdpParams& p) {
    sim::require_positive("tau_plus", p.tau_plus, "ms");
    sim::require_positive("tau_minus", p.tau_minus, "ms");
    sim::require_non_negative("A_plus", p.A_plus);
    sim::require_non_negative("A_minus", p.A_minus);
    sim::require_finite("w_min", p.w_min);
    sim::require(std::isfinite(p.w_max) && p.w_max >= p.w_min, "w_max", p.w_max,
                 "must be >= w_min = " + sim::format_number(p.w_min));
}

void validate_stdp_soft_bound(const StdpSoftBoundParams& p) {
    validate_stdp(p);
    // mu < 0 would make the change infinite at the bound (pow(0, mu)).
    sim::require(std::isfinite(p.mu) && p.mu >= 0.0, "mu", p.mu, "must be >= 0 (0: additive, 1: multiplicative)");
}

}  // namespace myelin::learning
