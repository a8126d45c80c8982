// Exact propagators shared by the linear LIF models (ALGORITHMS.md 1.2, 1.3).
#pragma once

#include <cmath>
#include <cstdint>

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

// Refractory period in whole steps (NEST rounds t_ref/h to the nearest step).
inline std::int32_t refractory_steps(double tau_refrac, double h) {
    return static_cast<std::int32_t>(std::llround(tau_refrac / h));
}

}  // namespace myelin::models
