// Backprop through time of the meta-neuron layer against central finite differences of the
// expected (mean-field) forward pass, where the sigmoid-adjusted estimator at slope 1 is the exact
// derivative (ALGORITHMS.md 6.5, 8.3): every weight and every intrinsic parameter.
#include "learning/meta_network.hpp"
#include "sim/random.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace myelin::learning;
using myelin::sim::RandomKey;
using myelin::sim::RandomPurpose;
using myelin::sim::RandomStream;

namespace {

// `steps` steps in which each of `inputs` inputs spikes with probability `p`.
SpikeSample random_sample(std::size_t inputs, std::size_t steps, double p, int label, std::uint64_t seed) {
    RandomStream stream(RandomKey::make(seed, RandomPurpose::synthetic_data, 5), 0, 0);
    SpikeSample sample;
    sample.steps = steps;
    sample.label = label;
    sample.step_start.push_back(0);
    for (std::size_t t = 0; t < steps; ++t) {
        for (std::size_t i = 0; i < inputs; ++i)
            if (stream.uniform() < p) sample.inputs.push_back(static_cast<std::uint32_t>(i));
        sample.step_start.push_back(static_cast<std::uint32_t>(sample.inputs.size()));
    }
    return sample;
}

MetaParameters random_parameters(std::size_t inputs, std::size_t neurons, std::uint64_t seed) {
    MetaParameters params(inputs, neurons);
    RandomStream stream(RandomKey::make(seed, RandomPurpose::trainer, 6), 0, 0);
    for (std::size_t k = 0; k < neurons; ++k) {
        for (std::size_t i = 0; i < inputs; ++i) params.weight(k, i) = 0.4 + 0.3 * stream.normal();
        params.set_decay(k, 0.8 + 0.15 * stream.uniform());
        params.set_threshold(k, 0.7 + 0.6 * stream.uniform());
        params.set_temperature(k, 0.2 + 0.5 * stream.uniform());
    }
    return params;
}

double expected_loss(const MetaParameters& params, const SpikeSample& sample, const BackpropOptions& options) {
    std::vector<double> unused(params.values.size(), 0.0);
    return meta_loss_and_gradient(params, sample, options, RandomKey{}, 0, unused);
}

}  // namespace

TEST_CASE("the meta layer's BPTT gradient equals finite differences of the expected forward pass",
          "[learning][meta]") {
    const std::size_t inputs = 6, neurons = 3;
    const SpikeSample sample = random_sample(inputs, 60, 0.25, 1, 3);
    const MetaParameters params = random_parameters(inputs, neurons, 4);
    BackpropOptions options;
    options.score = GENERATE(MetaScore::count, MetaScore::entropy);  // both scores' gradients are exact here
    CAPTURE(static_cast<int>(options.score));
    options.mode = ForwardMode::expected;
    options.estimator = SpikeEstimator::sigmoid_adjusted;
    options.slope = 1.0;
    options.logit_scale = 5.0;
    options.detach_reset = false;  // the exact gradient includes the reset's dependence on s
    std::vector<double> gradient(params.values.size(), 0.0);
    meta_loss_and_gradient(params, sample, options, RandomKey{}, 0, gradient);

    const double h = 1e-5;  // central differences: truncation ~h^2, rounding ~1e-16/h, both < 1e-9
    for (std::size_t j = 0; j < params.values.size(); ++j) {
        MetaParameters plus = params, minus = params;
        plus.values[j] += h;
        minus.values[j] -= h;
        const double numeric = (expected_loss(plus, sample, options) - expected_loss(minus, sample, options)) / (2 * h);
        CAPTURE(j, gradient[j], numeric);
        REQUIRE(std::isfinite(gradient[j]));
        CHECK(gradient[j] == Approx(numeric).epsilon(1e-6).margin(1e-10));
    }
}

TEST_CASE("the entropy score is the mean binary entropy of the firing probability", "[learning][meta]") {
    // No input spikes: v = 0 at every step, so neuron k fires with p_k = sigmoid(-theta_k / T_k)
    // throughout and its score is logit_scale * H(p_k) in bits, whatever the reset.
    SpikeSample silent;
    silent.steps = 40;
    silent.step_start.assign(41, 0);
    silent.label = 1;
    MetaParameters params(2, 2);
    params.set_decay(0, 0.9);
    params.set_decay(1, 0.9);
    params.set_threshold(0, 0.3);
    params.set_threshold(1, 0.1);
    params.set_temperature(0, 0.2);
    params.set_temperature(1, 0.5);
    const auto bits = [](double p) { return -(p * std::log2(p) + (1 - p) * std::log2(1 - p)); };
    const double p0 = 1.0 / (1.0 + std::exp(0.3 / 0.2)), p1 = 1.0 / (1.0 + std::exp(0.1 / 0.5));
    const double z0 = 7.0 * bits(p0), z1 = 7.0 * bits(p1);
    BackpropOptions options;
    options.score = MetaScore::entropy;
    options.mode = ForwardMode::expected;
    options.logit_scale = 7.0;
    CHECK(expected_loss(params, silent, options) == Approx(std::log(std::exp(z0) + std::exp(z1)) - z1).epsilon(1e-12));
}

TEST_CASE("detaching the reset changes the gradient, so the finite-difference check can fail", "[learning][meta]") {
    const SpikeSample sample = random_sample(6, 60, 0.25, 0, 7);
    const MetaParameters params = random_parameters(6, 3, 8);
    BackpropOptions options;
    options.mode = ForwardMode::expected;
    options.detach_reset = false;
    std::vector<double> exact(params.values.size(), 0.0), detached(params.values.size(), 0.0);
    meta_loss_and_gradient(params, sample, options, RandomKey{}, 0, exact);
    options.detach_reset = true;
    meta_loss_and_gradient(params, sample, options, RandomKey{}, 0, detached);
    double largest_difference = 0.0;
    for (std::size_t j = 0; j < exact.size(); ++j) largest_difference = std::max(largest_difference, std::abs(exact[j] - detached[j]));
    CHECK(largest_difference > 1e-4);
}

TEST_CASE("the sampled meta layer fires with probability sigmoid((v - theta)/T)", "[learning][meta]") {
    // One neuron, one input that spikes every step with weight w and decay beta ~ 0: v = w each
    // step, so every step is a Bernoulli(sigmoid((w - theta)/T)) trial.
    MetaParameters params(1, 1);
    params.weight(0, 0) = 1.2;
    params.set_decay(0, 1e-9);
    params.set_threshold(0, 1.0);
    params.set_temperature(0, 0.5);
    SpikeSample sample;
    sample.steps = 20000;
    for (std::size_t t = 0; t <= sample.steps; ++t) sample.step_start.push_back(static_cast<std::uint32_t>(t));
    sample.inputs.assign(sample.steps, 0);
    const MetaOutput out = run_meta_layer(params, sample, ForwardMode::sample, RandomKey::make(9, RandomPurpose::trainer, 1), 0);
    const double p = sigmoid(0.2 / 0.5);
    const double standard_error = std::sqrt(p * (1 - p) / static_cast<double>(sample.steps));
    CHECK(out.counts[0] / static_cast<double>(sample.steps) == Approx(p).margin(5 * standard_error));
}

TEST_CASE("the estimators differ in sample mode: straight-through ignores the distance to threshold",
          "[learning][meta]") {
    const SpikeSample sample = random_sample(4, 40, 0.3, 0, 10);
    const MetaParameters params = random_parameters(4, 2, 11);
    const RandomKey key = RandomKey::make(12, RandomPurpose::trainer, 2);
    BackpropOptions sigmoid_options, straight_options;
    straight_options.estimator = SpikeEstimator::straight_through;
    std::vector<double> a(params.values.size(), 0.0), b(params.values.size(), 0.0);
    const double loss_a = meta_loss_and_gradient(params, sample, sigmoid_options, key, 0, a);
    const double loss_b = meta_loss_and_gradient(params, sample, straight_options, key, 0, b);
    CHECK(loss_a == loss_b);  // same draws, same forward pass
    CHECK(a != b);
}
