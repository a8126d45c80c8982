// The global homeostatic factor of Davies et al. (ALGORITHMS.md 2.4): one multiplier h for all
// learned weights, the smallest (on a 1e-5 grid) that makes the output fire for every trained
// pattern. Found by the reference search (exponential, bisection, linear scan) on any network
// that can say how often its output fires at a given h, or by the closed form for delta synapses.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>

namespace myelin::learning {

struct HomeostaticFactorParams {
    double h_start = 100.0;          // first factor tried; multiplied by 10 while the output is silent
    double h_limit = 1000.0;         // no factor once the exponential phase reaches this
    double h_low = 1e-4;             // lower end of the bisection
    double bisection_width = 1e-4;   // bisection stops at this interval width
    double resolution = 1e-5;        // grid of the final linear scan (and of the closed form)
};

// Throws ParamError naming the key: every value positive and finite,
// h_low < h_start < h_limit, resolution <= bisection_width.
void validate(const HomeostaticFactorParams& p);

// Output spikes of the network with all learned weights scaled by h.
using SpikeCountAt = std::function<int(double h)>;

// The reference search for one pattern: the first grid factor giving exactly one spike, or
// nothing ("no factor") when the exponential phase reaches h_limit or the scan finds none.
std::optional<double> search_factor(const HomeostaticFactorParams& p, const SpikeCountAt& spikes);

// Closed form for delta synapses: the output fires iff h * drive >= gap (mV), so the factor is
// gap / drive rounded up to the grid; nothing when drive <= 0 or when the search's exponential
// phase could not reach it (above the last h_start * 10^k below h_limit).
std::optional<double> closed_form_factor(const HomeostaticFactorParams& p, double gap_mv, double drive_mv);

// H = max over the trained patterns that have a factor; nothing if none has one.
std::optional<double> global_factor(std::span<const std::optional<double>> per_pattern);

}  // namespace myelin::learning
