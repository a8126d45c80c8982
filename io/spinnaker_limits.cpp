// SpiNNaker's limits (spinnaker_limits.hpp).
#include "io/spinnaker_limits.hpp"

#include "sim/error.hpp"
#include "sim/param_check.hpp"

#include <algorithm>
#include <cmath>

namespace myelin::io::spinnaker {

double choose_timestep(double dt, double requested) {
    const auto is = [](double a, double b) { return std::abs(a - b) <= 1e-9 * b; };
    if (requested > 0.0) {
        if (is(requested, 0.1) || is(requested, 1.0)) return is(requested, 0.1) ? 0.1 : 1.0;
        throw Error("--timestep " + sim::format_number(requested) +
                    " ms: SpiNNaker runs with a timestep of 0.1 or 1.0 ms");
    }
    if (is(dt, 0.1)) return 0.1;
    if (is(dt, 1.0)) return 1.0;
    // sqrt(0.1 * 1.0) is the midpoint on a log scale.
    return dt < std::sqrt(0.1) ? 0.1 : 1.0;
}

WeightFormat weight_format(double bound) {
    WeightFormat format;
    // Largest shift 16 (scale 1/2): the weight word then spans 2^17 weight units, far beyond any
    // physiological nA or uS; the caller reports saturation through quantize().
    while (format.left_shift < 16 && std::abs(bound) > std::ldexp(1.0, format.left_shift)) ++format.left_shift;
    format.scale = std::ldexp(1.0, 15 - format.left_shift);
    return format;
}

double quantize(double w, const WeightFormat& format) {
    const double max_word = std::ldexp(1.0, weight_bits) - 1.0;
    const double word = std::min(std::nearbyint(std::abs(w) * format.scale), max_word);
    return std::copysign(word / format.scale, w);
}

double relative_error(double w, const WeightFormat& format) {
    if (w == 0.0) return 0.0;
    return std::abs(quantize(w, format) - w) / std::abs(w);
}

DelayTicks delay_ticks(double delay_ms, double timestep) {
    DelayTicks d;
    const double exact = delay_ms / timestep;
    d.ticks = std::llround(exact);
    d.rounded = std::abs(exact - static_cast<double>(d.ticks)) > 1e-6;
    if (d.ticks < min_delay_ticks || d.ticks > max_delay_ticks) {
        d.clamped = true;
        d.ticks = std::clamp(d.ticks, min_delay_ticks, max_delay_ticks);
    }
    return d;
}

}  // namespace myelin::io::spinnaker
