// The homeostatic factor search (homeostatic_factor.hpp; ALGORITHMS.md 2.4).
#include "learning/homeostatic_factor.hpp"

#include "sim/param_check.hpp"

#include <algorithm>
#include <cmath>

namespace myelin::learning {

void validate(const HomeostaticFactorParams& p) {
    sim::require_positive("h_start", p.h_start);
    sim::require_positive("h_limit", p.h_limit);
    sim::require_positive("h_low", p.h_low);
    sim::require_positive("bisection_width", p.bisection_width);
    sim::require_positive("resolution", p.resolution);
    sim::require(p.h_start > p.h_low, "h_start", p.h_start, "must be > h_low = " + sim::format_number(p.h_low));
    sim::require(p.h_limit > p.h_start, "h_limit", p.h_limit, "must be > h_start = " + sim::format_number(p.h_start));
    sim::require(p.resolution <= p.bisection_width, "resolution", p.resolution,
                 "must be <= bisection_width = " + sim::format_number(p.bisection_width));
}

std::optional<double> search_factor(const HomeostaticFactorParams& p, const SpikeCountAt& spikes) {
    double high = p.h_start;
    while (spikes(high) == 0) {
        high *= 10.0;
        if (high >= p.h_limit) return std::nullopt;
    }
    double low = p.h_low;
    while (high - low > p.bisection_width) {
        const double mid = 0.5 * (low + high);
        (spikes(mid) > 0 ? high : low) = mid;
    }
    // The scan walks whole grid points (k * resolution), so no error accumulates along it.
    const auto first = std::llround(low / p.resolution) - 1;
    const auto last = std::llround(std::ceil(high / p.resolution)) + 1;
    for (auto k = std::max<long long>(first, 1); k <= last; ++k) {
        const double h = static_cast<double>(k) * p.resolution;
        if (spikes(h) == 1) return h;
    }
    return std::nullopt;
}

std::optional<double> closed_form_factor(const HomeostaticFactorParams& p, double gap_mv, double drive_mv) {
    if (!(drive_mv > 0.0)) return std::nullopt;
    // The search's exponential phase tries h_start * 10^k below h_limit and fails above the last.
    double top = p.h_start;
    while (top * 10.0 < p.h_limit) top *= 10.0;
    if (top * drive_mv < gap_mv) return std::nullopt;
    // The first grid point that fires, decided by the firing condition itself, so a quotient
    // that rounds just above a grid point (15/0.15 = 100.00000000000001) does not skip it.
    auto k = static_cast<long long>(std::ceil(gap_mv / drive_mv / p.resolution));
    while (k > 1 && static_cast<double>(k - 1) * p.resolution * drive_mv >= gap_mv) --k;
    return static_cast<double>(k) * p.resolution;
}

std::optional<double> global_factor(std::span<const std::optional<double>> per_pattern) {
    std::optional<double> best;
    for (const auto& h : per_pattern)
        if (h && (!best || *h > *best)) best = h;
    return best;
}

}  // namespace myelin::learning
