// Forward pass and backprop through time of a meta-neuron layer (meta_network.hpp).
#include "learning/meta_network.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace myelin::learning {

MetaParameters::MetaParameters(std::size_t inputs, std::size_t neurons)
    : values(inputs * neurons + 3 * neurons, 0.0), inputs_(inputs), neurons_(neurons) {}

std::vector<std::uint8_t> MetaOutput::train(std::size_t k) const {
    std::vector<std::uint8_t> out(steps);
    for (std::size_t t = 0; t < steps; ++t) out[t] = spikes[t * neurons + k];
    return out;
}

int MetaOutput::predicted() const {
    return static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
}

namespace {

// What the backward pass needs of each step and neuron, [step][neuron].
struct Trace {
    std::vector<double> v, s;  // pre-reset potential, spike (0/1, or p in expected mode)
};

// Binary entropy in bits of p = sigmoid(a), written in a so that it stays finite for any a:
// H = (softplus(a) - a p) / ln 2, and dH/da = -a p (1 - p) / ln 2.
double entropy_bits(double a, double p) { return (std::max(a, 0.0) + std::log1p(std::exp(-std::abs(a))) - a * p) / std::log(2.0); }

double open_unit(std::uint32_t word) noexcept { return (word + 0.5) * 0x1.0p-32; }  // in (0, 1)

MetaOutput forward(const MetaParameters& params, const SpikeSample& sample, ForwardMode mode,
                   const sim::RandomKey& key, std::uint32_t draw, Trace* trace) {
    const std::size_t n = params.neurons(), steps = sample.steps;
    MetaOutput out{steps, n, std::vector<std::uint8_t>(steps * n, 0), std::vector<double>(n, 0.0)};
    std::vector<double> beta(n), theta(n), temperature(n), u(n, 0.0), v(n);
    for (std::size_t k = 0; k < n; ++k) {
        beta[k] = params.decay(k);
        theta[k] = params.threshold(k);
        temperature[k] = params.temperature(k);
    }
    if (trace) {
        trace->v.assign(steps * n, 0.0);
        trace->s.assign(steps * n, 0.0);
    }
    std::array<std::uint32_t, 4> words{};
    for (std::size_t t = 0; t < steps; ++t) {
        for (std::size_t k = 0; k < n; ++k) v[k] = beta[k] * u[k];
        for (const std::uint32_t i : sample.spikes_at(t))
            for (std::size_t k = 0; k < n; ++k) v[k] += params.weight(k, i);
        for (std::size_t k = 0; k < n; ++k) {
            const double p = sigmoid((v[k] - theta[k]) / temperature[k]);
            double s;
            if (mode == ForwardMode::sample) {
                if (k % 4 == 0)
                    words = sim::philox(key, static_cast<std::uint32_t>(t), draw, static_cast<std::uint32_t>(k / 4));
                s = open_unit(words[k % 4]) < p ? 1.0 : 0.0;
            } else {
                s = p;
            }
            out.spikes[t * n + k] = s >= 0.5 ? 1 : 0;
            out.counts[k] += s;
            if (trace) {
                trace->v[t * n + k] = v[k];
                trace->s[t * n + k] = s;
            }
            u[k] = v[k] * (1.0 - s);
        }
    }
    return out;
}

}  // namespace

MetaOutput run_meta_layer(const MetaParameters& params, const SpikeSample& sample, ForwardMode mode,
                          const sim::RandomKey& key, std::uint32_t draw) {
    return forward(params, sample, mode, key, draw, nullptr);
}

double meta_loss_and_gradient(const MetaParameters& params, const SpikeSample& sample, const BackpropOptions& options,
                              const sim::RandomKey& key, std::uint32_t draw, std::span<double> gradient,
                              MetaOutput* output) {
    const std::size_t n = params.neurons(), steps = sample.steps;
    Trace trace;
    MetaOutput out = forward(params, sample, options.mode, key, draw, &trace);

    // Softmax cross-entropy over scores z_k = scale * count_k / steps, or scale * the mean
    // entropy of neuron k's firing probability (MetaScore).
    const double per_spike = options.logit_scale / static_cast<double>(steps);
    const bool entropy = options.score == MetaScore::entropy;
    std::vector<double> z(n, 0.0);
    for (std::size_t k = 0; k < n; ++k) {
        if (!entropy) {
            z[k] = per_spike * out.counts[k];
            continue;
        }
        const double theta = params.threshold(k), temperature = params.temperature(k);
        for (std::size_t t = 0; t < steps; ++t) {
            const double a = (trace.v[t * n + k] - theta) / temperature;
            z[k] += per_spike * entropy_bits(a, sigmoid(a));
        }
    }
    const double z_max = *std::max_element(z.begin(), z.end());
    double partition = 0.0;
    for (std::size_t k = 0; k < n; ++k) partition += std::exp(z[k] - z_max);
    const auto label = static_cast<std::size_t>(sample.label);
    const double loss = z_max + std::log(partition) - z[label];
    std::vector<double> direct(n);  // d loss / d s_k[t] (count) or d loss / d H_k[t] (entropy), the same for every step
    for (std::size_t k = 0; k < n; ++k)
        direct[k] = per_spike * (std::exp(z[k] - z_max) / partition - (k == label ? 1.0 : 0.0));

    // Backward through time, neuron by neuron (neurons of one layer do not interact).
    for (std::size_t k = 0; k < n; ++k) {
        const double beta = params.decay(k), theta = params.threshold(k), temperature = params.temperature(k);
        double g_u = 0.0;  // d loss / d u[t], carried from step t+1
        double g_beta = 0.0, g_theta = 0.0, g_temperature = 0.0;
        double* g_weights = gradient.data() + k * params.inputs();
        for (std::size_t t = steps; t-- > 0;) {
            const double v = trace.v[t * n + k], s = trace.s[t * n + k];
            const double a = (v - theta) / temperature;
            // ds/da by the estimator; in expected mode with the sigmoid at slope 1 it is exact.
            const double ds_da = spike_derivative(options.estimator, a, options.slope);
            const double g_s = (entropy ? 0.0 : direct[k]) + (options.detach_reset ? 0.0 : -g_u * v);  // u = v (1 - s)
            double g_a = g_s * ds_da;
            if (entropy) {  // the score's own path: dH/da = -a p (1 - p) / ln 2, exact
                const double p = sigmoid(a);
                g_a -= direct[k] * a * p * (1.0 - p) / std::log(2.0);
            }
            const double g_v = g_u * (1.0 - s) + g_a / temperature;
            g_theta -= g_a / temperature;
            g_temperature -= g_a * a / temperature;
            for (const std::uint32_t i : sample.spikes_at(t)) g_weights[i] += g_v;
            const double u_before = t > 0 ? trace.v[(t - 1) * n + k] * (1.0 - trace.s[(t - 1) * n + k]) : 0.0;
            g_beta += g_v * u_before;
            g_u = g_v * beta;
        }
        // Chain rule to the raw parameters: sigmoid' = beta(1 - beta), softplus' = sigmoid(raw).
        gradient[params.raw_decay_index(k)] += g_beta * beta * (1.0 - beta);
        gradient[params.raw_threshold_index(k)] += g_theta * sigmoid(params.values[params.raw_threshold_index(k)]);
        gradient[params.raw_temperature_index(k)] +=
            g_temperature * sigmoid(params.values[params.raw_temperature_index(k)]);
    }
    if (output) *output = std::move(out);
    return loss;
}

}  // namespace myelin::learning
