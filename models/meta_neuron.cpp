// Parameter checks and propagators for the probabilistic meta neuron (ALGORITHMS.md 6.5, 8.2).
#include "models/meta_neuron.hpp"

#include "sim/param_check.hpp"

namespace myelin::models {
namespace {

// The rules shared by a population parameter and the per-neuron column of the same name;
// `value` is each end of the range an `init` can produce.
void check_intrinsic(const std::string& key, double value) {
    if (key == "tau_m") sim::require_positive(key, value, "ms");
    else if (key == "temperature") sim::require_non_negative(key, value, "mV");
    else if (key == "p_release")
        sim::require(value >= 0.0 && value <= 1.0, key, value, "must be within [0, 1]");
}

}  // namespace

void MetaNeuron::validate(const Params& p) {
    sim::require_positive("cm", p.cm, "nF");
    check_intrinsic("tau_m", p.tau_m);
    check_intrinsic("temperature", p.temperature);
    check_intrinsic("p_release", p.p_release);
    sim::require_finite("v_rest", p.v_rest, "mV");
    sim::require_finite("v_thresh", p.v_thresh, "mV");
    sim::require_finite("i_offset", p.i_offset, "nA");
    sim::require(std::isfinite(p.v_reset) && p.v_reset < p.v_thresh, "v_reset", p.v_reset,
                 "must be below v_thresh = " + sim::format_number(p.v_thresh), "mV");
}

void MetaNeuron::validate_init(const std::string& variable, double low, double high) {
    check_intrinsic(variable, low);
    check_intrinsic(variable, high);
}

MetaNeuron::Propagators MetaNeuron::prepare(const Params& p, double dt) {
    return {.minus_dt = -dt, .v_rest = p.v_rest, .drive_per_ms = p.i_offset / p.cm};
}

}  // namespace myelin::models
