// Izhikevich (2003): parameter checks, step constants and the step's integration.
#include "models/izhikevich.hpp"

#include "sim/param_check.hpp"

namespace myelin::models {

namespace {

// Crossings located in one step before the step gives up (a reset just below v_peak under a
// huge drive could otherwise spin); no published parameter set comes near it.
constexpr int max_spikes_per_step = 1000;

}  // namespace

void Izhikevich::validate(const Params& p) {
    sim::require_finite("a", p.a, "1/ms");
    sim::require_finite("b", p.b, "1/ms");
    sim::require_finite("d", p.d, "mV/ms");
    sim::require_finite("i_offset", p.i_offset, "nA");
    sim::require(std::isfinite(p.c) && p.c < v_peak, "c", p.c,
                 "must be below the spike cutoff v = " + sim::format_number(v_peak), "mV");
}

Izhikevich::Propagators Izhikevich::prepare(const Params& p, double dt) {
    Propagators k{};
    k.dt = dt;
    k.drive = 140.0 + 1000.0 * p.i_offset;
    return k;
}

Izhikevich::StepResult Izhikevich::advance(const Params& p, const Propagators& k, Vector& x, double jump) noexcept {
    StepResult result;
    const auto rhs = [&p, &k](const Vector& y, Vector& dydt) { derivatives(p, k, y, dydt); };
    const auto fire = [&](double t) {
        if (result.spikes++ == 0) result.first_spike = t;
        x[0] = p.c;
        x[1] += p.d;
    };
    double t = 0.0;
    while (t < k.dt && result.spikes < max_spikes_per_step) {
        if (!(x[0] >= v_peak))  // at or above the cutoff already (an initial value): fire now
            t = integrate_to_threshold(rhs, x, t, k.dt, v_peak, k.tolerance, k.dt);
        if (!(x[0] >= v_peak)) break;  // reached the step's end below it (or failed: NaN)
        fire(t);
    }
    x[0] += jump;
    if (x[0] >= v_peak) fire(k.dt);
    return result;
}

}  // namespace myelin::models
