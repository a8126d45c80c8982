// The Tempotron neuron (tempotron.hpp; ALGORITHMS.md 7.2-7.3).
#include "learning/tempotron.hpp"

#include "sim/param_check.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace myelin::learning {

void validate_tempotron(const TempotronParams& p) {
    sim::require_positive("tau", p.tau, "ms");
    sim::require_positive("tau_s", p.tau_s, "ms");
    sim::require(p.tau_s < p.tau, "tau_s", p.tau_s, "must be < tau (" + sim::format_number(p.tau) + " ms)", "ms");
    sim::require_finite("v_rest", p.v_rest);
    sim::require_finite("v_thresh", p.v_thresh);
    sim::require(p.v_thresh > p.v_rest, "v_thresh", p.v_thresh,
                 "must be > v_rest (" + sim::format_number(p.v_rest) + ")");
    sim::require_positive("learning_rate", p.learning_rate);
    sim::require(std::isfinite(p.momentum) && p.momentum >= 0.0 && p.momentum < 1.0, "momentum", p.momentum,
                 "must be within [0, 1)");
    sim::require_finite("init_mean", p.init_mean);
    sim::require_non_negative("init_std", p.init_std);
}

PspKernel::PspKernel(double tau, double tau_s) : tau_(tau), tau_s_(tau_s) {
    sim::require_positive("tau", tau, "ms");
    sim::require_positive("tau_s", tau_s, "ms");
    sim::require(tau_s < tau, "tau_s", tau_s, "must be < tau", "ms");
    // The peak of exp(-s/tau) - exp(-s/tau_s) is where its derivative vanishes.
    peak_time_ = tau * tau_s / (tau - tau_s) * std::log(tau / tau_s);
    v0_ = 1.0 / (std::exp(-peak_time_ / tau) - std::exp(-peak_time_ / tau_s));
}

double PspKernel::operator()(double s) const noexcept {
    if (!(s >= 0.0)) return 0.0;
    return v0_ * (std::exp(-s / tau_) - std::exp(-s / tau_s_));
}

namespace {

// Sorts (time, afferent) pairs and fills the per-gap factors.
PreparedPattern finish(std::vector<std::pair<double, std::uint32_t>> spikes, double duration, std::size_t afferents,
                       const PspKernel& kernel) {
    std::sort(spikes.begin(), spikes.end());
    PreparedPattern pattern;
    pattern.duration = duration;
    pattern.afferent_count = afferents;
    const std::size_t n = spikes.size();
    pattern.times.resize(n);
    pattern.afferents.resize(n);
    pattern.decay_slow.resize(n);
    pattern.decay_fast.resize(n);
    pattern.peak_limit.resize(n);
    const double rate_gap = 1.0 / kernel.tau_s() - 1.0 / kernel.tau();
    for (std::size_t k = 0; k < n; ++k) {
        pattern.times[k] = spikes[k].first;
        pattern.afferents[k] = spikes[k].second;
        const double next = k + 1 < n ? spikes[k + 1].first : duration;
        const double gap = next - spikes[k].first;
        pattern.decay_slow[k] = std::exp(-gap / kernel.tau());
        pattern.decay_fast[k] = std::exp(-gap / kernel.tau_s());
        pattern.peak_limit[k] = std::exp(gap * rate_gap);  // may be +inf for long gaps: still a valid bound
    }
    return pattern;
}

void check_time(double t) {
    sim::require(t >= 0.0, "spike time", t, "must be >= 0", "ms");  // also rejects NaN
}

}  // namespace

PreparedPattern prepare_pattern(const std::vector<std::vector<double>>& spike_times, double duration,
                                const PspKernel& kernel) {
    sim::require_positive("duration", duration, "ms");
    std::vector<std::pair<double, std::uint32_t>> spikes;
    for (std::size_t i = 0; i < spike_times.size(); ++i)
        for (const double t : spike_times[i]) {
            check_time(t);
            if (t < duration) spikes.emplace_back(t, static_cast<std::uint32_t>(i));
        }
    return finish(std::move(spikes), duration, spike_times.size(), kernel);
}

PreparedPattern prepare_pattern(std::span<const double> times, double duration, const PspKernel& kernel) {
    sim::require_positive("duration", duration, "ms");
    std::vector<std::pair<double, std::uint32_t>> spikes;
    spikes.reserve(times.size());
    for (std::size_t i = 0; i < times.size(); ++i) {
        check_time(times[i]);
        if (times[i] < duration) spikes.emplace_back(times[i], static_cast<std::uint32_t>(i));
    }
    return finish(std::move(spikes), duration, times.size(), kernel);
}

VoltageMaximum find_maximum(const PreparedPattern& pattern, std::span<const double> weights, const PspKernel& kernel,
                            double v_rest, double v_thresh) noexcept {
    // V(t_k + s) = v_rest + V0 (slow e^{-s/tau} - fast e^{-s/tau_s}), where slow and fast are the
    // weighted sums of the two kernel components at the last spike t_k. Carrying them from spike
    // to spike (multiply by the gap's decay) avoids exp(t/tau_s), which overflows for long trials.
    const double tau = kernel.tau(), tau_s = kernel.tau_s(), v0 = kernel.v0();
    const double shape = tau_s / (tau - tau_s);  // e^{-s*/tau} = r^{-shape} at the stationary point
    const double height = v0 * (1.0 - tau_s / tau);  // V - v_rest = height * slow * e^{-s*/tau} there
    VoltageMaximum best{0.0, v_rest, v_rest >= v_thresh, 0};
    if (best.fired) return best;
    double slow = 0.0, fast = 0.0;
    const std::size_t n = pattern.times.size();
    for (std::size_t k = 0; k < n; ++k) {
        const double t = pattern.times[k];
        // V is continuous at an input spike (K(0) = 0): the value just before it is the value at it.
        const double v_at_spike = v_rest + v0 * (slow - fast);
        if (v_at_spike > best.v_max) {
            best = {t, v_at_spike, false, k};
            if (v_at_spike >= v_thresh) {
                best.fired = true;
                return best;
            }
        }
        const double w = weights[pattern.afferents[k]];
        slow += w;
        fast += w;
        // V' = 0 at s* with e^{s*(1/tau_s - 1/tau)} = r = (fast tau) / (slow tau_s). It is a maximum
        // inside the gap iff slow > 0, fast > 0 (else V is monotone or has a minimum), r > 1 (V rises
        // at the spike) and r < peak_limit (it comes before the next spike).
        if (slow > 0.0 && fast > 0.0) {
            const double r = (fast * tau) / (slow * tau_s);
            if (r > 1.0 && r < pattern.peak_limit[k]) {
                const double v_peak = v_rest + height * slow * std::pow(r, -shape);
                if (v_peak > best.v_max) {
                    const double s = std::log(r) / (1.0 / tau_s - 1.0 / tau);
                    best = {t + s, v_peak, false, k + 1};
                    if (v_peak >= v_thresh) {
                        best.fired = true;
                        return best;
                    }
                }
            }
        }
        slow *= pattern.decay_slow[k];
        fast *= pattern.decay_fast[k];
    }
    const double v_end = v_rest + v0 * (slow - fast);
    if (v_end > best.v_max) best = {pattern.duration, v_end, v_end >= v_thresh, n};
    return best;
}

double potential_at(const PreparedPattern& pattern, std::span<const double> weights, const PspKernel& kernel,
                    double v_rest, double t) noexcept {
    double v = v_rest;
    for (std::size_t k = 0; k < pattern.times.size() && pattern.times[k] < t; ++k)
        v += weights[pattern.afferents[k]] * kernel(t - pattern.times[k]);
    return v;
}

void add_gradient(const PreparedPattern& pattern, const VoltageMaximum& maximum, const PspKernel& kernel, double scale,
                  std::span<double> gradient) noexcept {
    for (std::size_t k = 0; k < maximum.spikes_before; ++k)
        gradient[pattern.afferents[k]] += scale * kernel(maximum.t_max - pattern.times[k]);
}

}  // namespace myelin::learning
