// Integration of a spiking model's ODEs up to a threshold crossing, shared by AdEx and
// Izhikevich: Boost.Odeint's controlled Dormand-Prince 5(4) stepper with dense output, and the
// crossing located on the dense-output polynomial by bisection (docs/models.md).
#pragma once

#include <boost/numeric/odeint/stepper/generation.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta_dopri5.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

namespace myelin::models {

// Error tolerances of the adaptive stepper (odeint's default error checker: a step is accepted
// when every component's local error is below absolute + relative*|x|). Subthreshold, one
// Dormand-Prince step per 0.1 ms engine step meets 1e-8 already, so tightening from 1e-6 to
// 1e-8 costs a few percent; it matters where V nears the threshold slowly, where a small error
// in V is a large one in the spike time (bench/README.md: worst spike-time error 6e-4 ms ->
// 1e-6 ms).
struct OdeTolerance {
    double absolute = 1e-8;
    double relative = 1e-8;
};

// Advances x from t to t_end, or only until x[0] first reaches `threshold`. Returns the time
// reached: t_end (x is the state there) or the crossing time (x is the state there, x[0] at the
// threshold to within the bisection's time resolution). The caller guarantees x[0] < threshold
// on entry. `rhs(x, dxdt)` is autonomous: input only changes x between calls. `max_step` caps
// the stepper's step so it does not run far past t_end (a step's end is where the next engine
// step's input arrives). A failed integration (odeint gives up shrinking the step) leaves x as
// NaN: noexcept, since this runs inside the step loop.
template <std::size_t N, class Rhs>
double integrate_to_threshold(const Rhs& rhs, std::array<double, N>& x, double t, double t_end,
                              double threshold, const OdeTolerance& tolerance, double max_step) noexcept {
    namespace odeint = boost::numeric::odeint;
    using Vector = std::array<double, N>;
    const auto system = [&rhs](const Vector& y, Vector& dydt, double) { rhs(y, dydt); };
    try {
        auto stepper = odeint::make_dense_output(tolerance.absolute, tolerance.relative, max_step,
                                                 odeint::runge_kutta_dopri5<Vector>());
        stepper.initialize(x, t, std::min(t_end - t, max_step));
        // A runaway that never reaches t_end within this many accepted steps means the
        // tolerance cannot be met: treat it as a failure rather than spin.
        for (int steps = 0; steps < 100000; ++steps) {
            const auto [t_old, t_new] = stepper.do_step(system);
            const double t_check = std::min(t_new, t_end);
            Vector at_check;
            if (t_check == t_new) at_check = stepper.current_state();
            else stepper.calc_state(t_check, at_check);
            if (at_check[0] >= threshold) {
                // Bisection on the dense output: below the threshold at lo, at or above it at hi.
                // The interpolant is continuous, so this converges to a crossing; it stops at
                // a resolution far below the tolerance the stepper was asked for.
                double lo = t_old, hi = t_check;
                Vector at_hi = at_check;
                while (hi - lo > 1e-12 * (1.0 + std::abs(hi))) {
                    const double mid = 0.5 * (lo + hi);
                    if (mid <= lo || mid >= hi) break;
                    Vector at_mid;
                    stepper.calc_state(mid, at_mid);
                    if (at_mid[0] >= threshold) {
                        hi = mid;
                        at_hi = at_mid;
                    } else {
                        lo = mid;
                    }
                }
                x = at_hi;
                return hi;
            }
            if (t_new >= t_end) {
                x = at_check;
                return t_end;
            }
            if (!std::isfinite(at_check[0])) break;
        }
    } catch (...) {  // odeint's step_adjustment_error: the step size collapsed
    }
    x.fill(std::numeric_limits<double>::quiet_NaN());
    return t_end;
}

}  // namespace myelin::models
