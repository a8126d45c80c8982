// Parameter checks for Integrator (integrator.hpp).
#include "models/integrator.hpp"

#include "sim/param_check.hpp"

namespace myelin::models {

void Integrator::validate(const Params& p) {
    sim::require_finite("gain", p.gain);
    sim::require_finite("i_offset", p.i_offset);
}

}  // namespace myelin::models
