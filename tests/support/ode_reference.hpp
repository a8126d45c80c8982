// A tight-tolerance reference integration for model tests, independent of the models' own
// stepper: odeint's Runge-Kutta-Fehlberg 7(8) under error control at 1e-12 (not Dormand-Prince),
// and threshold crossings located by bisection over re-integrations from a saved state (not on
// a dense-output polynomial).
#pragma once

// GCC 12 warns that the 7(8) stepper's scratch arrays "may be used uninitialized" when odeint
// copies a freshly built stepper; they are written before they are read.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/numeric/odeint/integrate/integrate_adaptive.hpp>
#include <boost/numeric/odeint/stepper/generation.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta_fehlberg78.hpp>

#include <array>
#include <functional>
#include <optional>

namespace myelin::test {

template <std::size_t N>
class ReferenceOde {
public:
    using Vector = std::array<double, N>;
    using Rhs = std::function<void(const Vector&, Vector&)>;

    explicit ReferenceOde(Rhs rhs, double tolerance = 1e-12) : rhs_(std::move(rhs)), tolerance_(tolerance) {}

    // x after `span` ms of the autonomous system, no threshold.
    Vector integrate(Vector x, double span) const {
        namespace odeint = boost::numeric::odeint;
        if (span <= 0.0) return x;
        auto stepper = odeint::make_controlled(tolerance_, tolerance_, odeint::runge_kutta_fehlberg78<Vector>());
        odeint::integrate_adaptive(stepper, [this](const Vector& y, Vector& dydt, double) { rhs_(y, dydt); },
                                   x, 0.0, span, span);
        return x;
    }

    // Advances x by `span` ms in probes of `probe` ms, or until x[0] first reaches
    // `threshold`: then x is the state at the crossing and its offset is returned. A probe
    // that ends at or above the threshold is bisected (to 1e-13 ms) by integrating again from
    // the probe's start, so the crossing's accuracy is the integrator's, not an interpolant's.
    std::optional<double> to_threshold(Vector& x, double span, double threshold, double probe) const {
        double t = 0.0;
        while (t < span) {
            const double length = std::min(probe, span - t);
            const Vector end = integrate(x, length);
            if (end[0] >= threshold) {
                double lo = 0.0, hi = length;
                Vector at_hi = end;
                while (hi - lo > 1e-13) {
                    const double mid = 0.5 * (lo + hi);
                    const Vector at_mid = integrate(x, mid);
                    if (at_mid[0] >= threshold) {
                        hi = mid;
                        at_hi = at_mid;
                    } else {
                        lo = mid;
                    }
                }
                x = at_hi;
                return t + hi;
            }
            x = end;
            t += length;
        }
        return std::nullopt;
    }

private:
    Rhs rhs_;
    double tolerance_;
};

}  // namespace myelin::test

#pragma GCC diagnostic pop
