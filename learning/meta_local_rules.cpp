// The local rules of the meta-neuron trainer (meta_training.hpp): pair STDP with a homeostatic
// threshold, and the Tempotron rule (Guetig & Sompolinsky 2006; ALGORITHMS.md 7.3) applied to the
// meta neuron's leaky membrane, with the intrinsic parameters moved by the same error signal
// (ALGORITHMS.md 6.5, last paragraph; project reconstruction).
#include "learning/meta_training.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace myelin::learning {
namespace {

constexpr std::uint32_t local_draw_object = 0x4D5, tempotron_draw_object = 0x4D6;
constexpr double lowest_threshold = 1e-6;  // thresholds stay positive (theta = softplus(raw))

double open_unit(std::uint32_t word) noexcept { return (word + 0.5) * 0x1.0p-32; }

struct MembraneMaximum {
    double v_max = -1e300, d_beta = 0.0;  // the maximum of V, and dV/dbeta there
    std::size_t t_max = 0;                // its step (the first, on ties)
};

// Neuron k's membrane without firing, V[t] = beta V[t-1] + sum_i w_i x_i[t], its maximum over
// the sample and dV/dbeta there by forward-mode differentiation: d[t] = V[t-1] + beta d[t-1].
MembraneMaximum membrane_maximum(const MetaParameters& params, std::size_t k, const SpikeSample& sample) {
    const double beta = params.decay(k);
    double value = 0.0, d_beta = 0.0;
    MembraneMaximum maximum;
    for (std::size_t t = 0; t < sample.steps; ++t) {
        d_beta = value + beta * d_beta;
        value *= beta;
        for (const std::uint32_t i : sample.spikes_at(t)) value += params.weight(k, i);
        if (value > maximum.v_max) maximum = {value, d_beta, t};
    }
    return maximum;
}

// The Tempotron's decision: the class whose neuron's membrane maximum is furthest above (or
// least below) its threshold.
int tempotron_decision(const MetaParameters& params, const SpikeSample& sample) {
    int best = 0;
    double best_margin = -1e300;
    for (std::size_t k = 0; k < params.neurons(); ++k) {
        const double margin = membrane_maximum(params, k, sample).v_max - params.threshold(k);
        if (margin > best_margin) {
            best_margin = margin;
            best = static_cast<int>(k);
        }
    }
    return best;
}

// Intrinsic plasticity over one sample, the STDP rule's (below) applied on its own: neuron k runs
// freely (stochastic, hard reset, its weights held) and its threshold follows
// theta += rate * (s[t] - target_per_step) every step. Returns the threshold after the sample.
// Draw of step t: word k % 4 of philox(key, t, draw, k / 4), as in stdp_epoch.
double homeostatic_threshold(const MetaParameters& params, std::size_t k, const SpikeSample& sample,
                             double target_per_step, double rate, const sim::RandomKey& key, std::uint32_t draw) {
    const double beta = params.decay(k), temperature = params.temperature(k);
    double theta = params.threshold(k), u = 0.0;
    for (std::size_t t = 0; t < sample.steps; ++t) {
        double v = beta * u;
        for (const std::uint32_t i : sample.spikes_at(t)) v += params.weight(k, i);
        const std::array<std::uint32_t, 4> words =
            sim::philox(key, static_cast<std::uint32_t>(t), draw, static_cast<std::uint32_t>(k / 4));
        const bool spike = open_unit(words[k % 4]) < sigmoid((v - theta) / temperature);
        u = spike ? 0.0 : v;
        theta = std::max(lowest_threshold, theta + rate * ((spike ? 1.0 : 0.0) - target_per_step));
    }
    return theta;
}

}  // namespace

double tempotron_accuracy(const MetaParameters& params, const std::vector<SpikeSample>& samples) {
    std::size_t right = 0;
    for (const SpikeSample& sample : samples) right += tempotron_decision(params, sample) == sample.label;
    return samples.empty() ? 0.0 : static_cast<double>(right) / static_cast<double>(samples.size());
}

// Online, sample after sample: the neurons run freely (stochastic, hard reset) and every spike
// updates weights at once. A pre spike depresses by A_minus times the post trace, a post spike
// potentiates by A_plus times the pre trace (all-to-all pairing, ALGORITHMS.md 1.5). If the
// threshold learns, it follows theta += homeostasis_rate * (s - target_rate dt) every step: it rises
// when the neuron fires above the target rate, keeping it in the range where its train carries
// information (intrinsic plasticity).
EpochResult MetaTrainer::stdp_epoch(const std::vector<SpikeSample>& samples, const std::vector<std::uint32_t>& order) {
    const std::size_t n = params_.neurons(), inputs = params_.inputs();
    const StdpParams& stdp = settings_.stdp;
    const double pre_decay = std::exp(-settings_.dt / stdp.tau_plus), post_decay = std::exp(-settings_.dt / stdp.tau_minus);
    const double target_per_step = settings_.target_rate * settings_.dt / 1000.0;
    const sim::RandomKey key = sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, local_draw_object);
    std::vector<double> pre(inputs), post(n), u(n), v(n), counts(n), beta(n), theta(n), temperature(n);
    std::size_t right = 0;
    for (const std::uint32_t s : order) {
        const SpikeSample& sample = samples[s];
        std::fill(pre.begin(), pre.end(), 0.0);
        std::fill(post.begin(), post.end(), 0.0);
        std::fill(u.begin(), u.end(), 0.0);
        std::fill(counts.begin(), counts.end(), 0.0);
        for (std::size_t k = 0; k < n; ++k) {
            beta[k] = params_.decay(k);
            theta[k] = params_.threshold(k);
            temperature[k] = params_.temperature(k);
        }
        const auto draw = static_cast<std::uint32_t>(epoch_ * samples.size() + s);
        std::array<std::uint32_t, 4> words{};
        for (std::size_t t = 0; t < sample.steps; ++t) {
            for (double& x : pre) x *= pre_decay;
            for (double& y : post) y *= post_decay;
            for (std::size_t k = 0; k < n; ++k) v[k] = beta[k] * u[k];
            for (const std::uint32_t i : sample.spikes_at(t)) {
                pre[i] += 1.0;
                for (std::size_t k = 0; k < n; ++k) {
                    v[k] += params_.weight(k, i);
                    params_.weight(k, i) = clip_weight(stdp, params_.weight(k, i) - stdp.A_minus * post[k]);
                }
            }
            for (std::size_t k = 0; k < n; ++k) {
                if (k % 4 == 0) words = sim::philox(key, static_cast<std::uint32_t>(t), draw, static_cast<std::uint32_t>(k / 4));
                const bool spike = open_unit(words[k % 4]) < sigmoid((v[k] - theta[k]) / temperature[k]);
                u[k] = spike ? 0.0 : v[k];
                if (settings_.learn.threshold)
                    theta[k] = std::max(lowest_threshold, theta[k] + settings_.homeostasis_rate * ((spike ? 1.0 : 0.0) - target_per_step));
                if (!spike) continue;
                counts[k] += 1.0;
                post[k] += 1.0;
                for (std::size_t i = 0; i < inputs; ++i)
                    params_.weight(k, i) = clip_weight(stdp, params_.weight(k, i) + stdp.A_plus * pre[i]);
            }
        }
        if (settings_.learn.threshold)
            for (std::size_t k = 0; k < n; ++k) params_.set_threshold(k, theta[k]);
        right += static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin()) ==
                 static_cast<std::size_t>(sample.label);
    }
    const double total = static_cast<double>(std::max<std::size_t>(order.size(), 1));
    return {epoch_, 0.0, static_cast<double>(right) / total};
}

// One-vs-rest: neuron k should reach its threshold on samples of class k and stay below it on the
// others. Its membrane without firing, V[t] = beta V[t-1] + sum_i w_i x_i[t], has the kernel
// beta^(t - t_i) of a delta synapse on a leaky membrane. On an error trial the weights step by
// +-lambda dV(t_max)/dw_i = +-lambda sum over spikes of i up to t_max of beta^(t_max - t_i); a
// learning threshold moves by -+tempotron_intrinsic_rate (down when the neuron should have fired), a
// learning decay by +-tempotron_intrinsic_rate dV(t_max)/d(logit beta). The temperature takes no part: the
// Tempotron's decision is deterministic.
// With tempotron_threshold = error_homeostasis (the default) a learning threshold also follows the
// STDP rule's intrinsic plasticity, towards tempotron_target_rate, on every sample
// (homeostatic_threshold, run on the parameters as the sample found them; the two steps add);
// "homeostasis" drops the error step. Why: one-vs-rest thresholds are infeasible for the low-rate
// class, so the error step alone drives thresholds towards 0 and the stochastic neurons fire at
// hundreds of Hz, near p = 1/2 per step, where their output trains, and so their LZ complexity,
// barely carry the input rate; the homeostasis keeps each neuron in the sparse range where the
// SNN-LZC read-out can use it (docs/learning.md).
EpochResult MetaTrainer::tempotron_epoch(const std::vector<SpikeSample>& samples,
                                         const std::vector<std::uint32_t>& order) {
    const std::size_t n = params_.neurons(), inputs = params_.inputs();
    std::vector<double> eligibility(inputs), homeostatic(n);
    const bool homeostasis = settings_.learn.threshold && settings_.tempotron_threshold != TempotronThreshold::error;
    const bool error_step = settings_.learn.threshold && settings_.tempotron_threshold != TempotronThreshold::homeostasis;
    const double target_per_step = settings_.tempotron_target_rate * settings_.dt / 1000.0;
    const sim::RandomKey key = sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, tempotron_draw_object);
    std::size_t errors = 0, right = 0;
    for (const std::uint32_t s : order) {
        const SpikeSample& sample = samples[s];
        const auto draw = static_cast<std::uint32_t>(epoch_ * samples.size() + s);
        for (std::size_t k = 0; k < n && homeostasis; ++k)
            homeostatic[k] = homeostatic_threshold(params_, k, sample, target_per_step, settings_.tempotron_homeostasis_rate, key, draw);
        int best = -1;
        double best_margin = -1e300;
        for (std::size_t k = 0; k < n; ++k) {
            const double beta = params_.decay(k), theta = params_.threshold(k);
            const MembraneMaximum maximum = membrane_maximum(params_, k, sample);
            const double v_max = maximum.v_max, d_beta_at_max = maximum.d_beta;
            const std::size_t t_max = maximum.t_max;
            if (v_max - theta > best_margin) {
                best_margin = v_max - theta;
                best = static_cast<int>(k);
            }
            const bool fired = v_max >= theta, wanted = static_cast<int>(k) == sample.label;
            if (homeostasis) params_.set_threshold(k, homeostatic[k]);
            if (fired == wanted) continue;
            ++errors;
            const double sign = wanted ? 1.0 : -1.0;
            std::fill(eligibility.begin(), eligibility.end(), 0.0);
            for (std::size_t t = 0; t <= t_max; ++t) {
                for (double& e : eligibility) e *= beta;
                for (const std::uint32_t i : sample.spikes_at(t)) eligibility[i] += 1.0;
            }
            for (std::size_t i = 0; i < inputs; ++i) params_.weight(k, i) += sign * settings_.tempotron_rate * eligibility[i];
            if (error_step)
                params_.set_threshold(k, std::max(lowest_threshold, params_.threshold(k) - sign * settings_.tempotron_intrinsic_rate));
            if (settings_.learn.decay)
                params_.values[params_.raw_decay_index(k)] += sign * settings_.tempotron_intrinsic_rate * d_beta_at_max * beta * (1.0 - beta);
        }
        right += best == sample.label;
    }
    const double total = static_cast<double>(std::max<std::size_t>(order.size(), 1));
    return {epoch_, static_cast<double>(errors) / (total * static_cast<double>(n)), static_cast<double>(right) / total};
}

}  // namespace myelin::learning
