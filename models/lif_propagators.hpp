// Exact propagators shared by the linear LIF models (ALGORITHMS.md 1.2, 1.3).
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace myelin::models {

// Membrane response (mV per nA of synaptic current present at the start of a step) over one
// step h: tau_s*tau_m/(C*(tau_m - tau_s)) * (exp(-h/tau_m) - exp(-h/tau_s)). Written as
// exp(-h/tau_m) * (1 - exp(-h*delta)) / (C*delta) with delta = 1/tau_s - 1/tau_m and expm1,
// which stays accurate as tau_s -> tau_m (the limit is h/C * exp(-h/tau_m)) instead of
// cancelling.
inline double current_to_membrane(double h, double tau_m, double tau_syn, double cm) {
    const double delta = 1.0 / tau_syn - 1.0 / tau_m;
    const double factor = delta == 0.0 ? h : -std::expm1(-h * delta) / delta;
    return std::exp(-h / tau_m) * factor / cm;
}

// The constant term of v <- p22*v + v_constant, which relaxes v towards v_inf (v_rest plus
// R*i_offset) by the fraction 1 - p22 = -expm1(-h/tau_m) per step. With float propagators the
// fraction is taken from the rounded p22 itself: then v_inf stays the fixed point to float
// resolution, where rounding p22 alone (an error up to 3e-8, against 1 - p22 ~ 0.005 at
// h = 0.1 ms, tau_m = 20 ms) could move the resting potential by up to ~4e-4 mV.
template <class Real>
Real relaxation_constant(double v_inf, double h, double tau_m, Real p22) {
    if constexpr (std::is_same_v<Real, double>) return -v_inf * std::expm1(-h / tau_m);
    else return static_cast<Real>(v_inf * (1.0 - static_cast<double>(p22)));
}

// Refractory period in whole steps (NEST rounds t_ref/h to the nearest step).
inline std::int32_t refractory_steps(double tau_refrac, double h) {
    return static_cast<std::int32_t>(std::llround(tau_refrac / h));
}

}  // namespace myelin::models
