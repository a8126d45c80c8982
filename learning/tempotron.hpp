// The Tempotron (Guetig & Sompolinsky 2006; ALGORITHMS.md 7.2-7.3): one neuron that sums
// normalised two-exponential PSP kernels, finds the exact time of its voltage maximum between
// input spikes in closed form, and learns by a gradient step at that time on error trials.
#pragma once

#include "sim/model_traits.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace myelin::learning {

struct TempotronParams {
    double tau = 15.0;           // ms, membrane (slow) time constant of the kernel
    double tau_s = 3.75;         // ms, synaptic (fast) time constant; must be < tau
    double v_thresh = 1.0;       // dimensionless: weights are in units of (v_thresh - v_rest)
    double v_rest = 0.0;         // dimensionless
    double learning_rate = 3e-4; // lambda, per error trial (calibrated: docs/learning.md)
    double momentum = 0.99;      // mu: dw(now) = lambda * grad + mu * dw(previous error trial)
    double init_mean = 0.0;      // initial weights: normal(init_mean, init_std)
    double init_std = 1e-3;
};

// The config keys of [tempotron] (docs/learning.md), with units.
inline constexpr std::array<sim::ParamField<TempotronParams>, 8> tempotron_param_fields{{
    {"tau", "ms", &TempotronParams::tau},
    {"tau_s", "ms", &TempotronParams::tau_s},
    {"v_thresh", "", &TempotronParams::v_thresh},
    {"v_rest", "", &TempotronParams::v_rest},
    {"learning_rate", "", &TempotronParams::learning_rate},
    {"momentum", "", &TempotronParams::momentum},
    {"init_mean", "", &TempotronParams::init_mean},
    {"init_std", "", &TempotronParams::init_std},
}};

void validate_tempotron(const TempotronParams& p);  // throws ParamError naming the key

// K(s) = V0 (exp(-s/tau) - exp(-s/tau_s)) for s >= 0, else 0, with V0 making the peak exactly 1.
class PspKernel {
public:
    PspKernel(double tau, double tau_s);
    double operator()(double s) const noexcept;
    double tau() const { return tau_; }
    double tau_s() const { return tau_s_; }
    double v0() const { return v0_; }
    double peak_time() const { return peak_time_; }  // s* = tau tau_s / (tau - tau_s) ln(tau / tau_s), ms

private:
    double tau_, tau_s_, v0_, peak_time_;
};

// One input pattern, prepared once so that each evaluation is O(spikes) with no exponential:
// spikes sorted by time (ties by afferent), each with the decay factors of both kernel
// components over the gap to the next spike (or to the end of the trial).
struct PreparedPattern {
    std::vector<double> times;               // ms, ascending, in [0, duration)
    std::vector<std::uint32_t> afferents;    // afferent of each spike
    std::vector<double> decay_slow;          // exp(-gap/tau)
    std::vector<double> decay_fast;          // exp(-gap/tau_s)
    std::vector<double> peak_limit;          // exp(gap (1/tau_s - 1/tau)): an interior maximum lies in the gap iff r < this
    double duration = 0.0;                   // ms: the trial is [0, duration]
    std::size_t afferent_count = 0;
};

// spike_times[i] are the input spike times of afferent i (ms, >= 0). Spikes at or after `duration`
// cannot move V within the trial and are left out. Throws ParamError for a negative or NaN time.
PreparedPattern prepare_pattern(const std::vector<std::vector<double>>& spike_times, double duration,
                                const PspKernel& kernel);
// The random-latency layout (ALGORITHMS.md 7.4): afferent i spikes once, at times[i].
PreparedPattern prepare_pattern(std::span<const double> times, double duration, const PspKernel& kernel);

struct VoltageMaximum {
    double t_max = 0.0;                // ms
    double v_max = 0.0;                // V(t_max)
    bool fired = false;                // V reached v_thresh within the trial
    std::size_t spikes_before = 0;     // the first spikes_before sorted spikes came before t_max
};

// The maximum of V on [0, duration], exact up to rounding. Candidates in time order: t = 0, each
// input spike time, the closed-form stationary point inside each gap where it is a maximum, and
// the end of the trial. The scan stops at the first candidate at or above threshold: the neuron
// fires there and later input is shunted (ALGORITHMS.md 7.2), so that candidate is t_max.
VoltageMaximum find_maximum(const PreparedPattern& pattern, std::span<const double> weights,
                            const PspKernel& kernel, double v_rest, double v_thresh) noexcept;

// V(t) by direct summation of kernels (no shunting): the independent check of find_maximum.
double potential_at(const PreparedPattern& pattern, std::span<const double> weights, const PspKernel& kernel,
                    double v_rest, double t) noexcept;

// gradient[i] += scale * sum over spikes of afferent i before t_max of K(t_max - t_i): scale times
// dV(t_max)/dw_i at fixed t_max.
void add_gradient(const PreparedPattern& pattern, const VoltageMaximum& maximum, const PspKernel& kernel,
                  double scale, std::span<double> gradient) noexcept;

}  // namespace myelin::learning
