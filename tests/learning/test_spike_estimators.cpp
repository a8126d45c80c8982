// The spike-derivative estimators against ALGORITHMS.md 8.4: REINFORCE averaged over 1e6 draws
// matches the exact gradient of E[L] for a Bernoulli unit, and the straight-through variants give
// their documented backward values (the sigmoid-adjusted one checked by finite differences).
#include "learning/spike_estimators.hpp"
#include "sim/error.hpp"
#include "sim/random.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace myelin::learning;
using myelin::sim::RandomKey;
using myelin::sim::RandomPurpose;
using myelin::sim::RandomStream;

TEST_CASE("REINFORCE with its baseline matches d/da E[(h - y)^2] within 1% over 1e6 draws",
          "[learning][estimators]") {
    const double a = GENERATE(-1.0, 0.3, 1.5);
    const double y = GENERATE(0.0, 0.2, 1.0);
    CAPTURE(a, y);
    const double p = sigmoid(a);
    const double exact = p * (1.0 - p) * ((1.0 - y) * (1.0 - y) - y * y);  // 8.4 item 1
    const int draws = 1'000'000;
    RandomStream stream(RandomKey::make(11, RandomPurpose::trainer, 0), 0, 0);
    ReinforceBaseline baseline;
    double sum = 0.0, sum_squares = 0.0;
    for (int n = 0; n < draws; ++n) {
        const int h = stream.uniform() < p ? 1 : 0;
        const double loss = (h - y) * (h - y);
        // The baseline uses only earlier draws, so it does not bias this one.
        const double g = reinforce_gradient(h, p, loss, baseline.value());
        baseline.update(h, p, loss);
        sum += g;
        sum_squares += g * g;
    }
    const double mean = sum / draws;
    const double standard_error = std::sqrt((sum_squares / draws - mean * mean) / draws);
    // The 1% of the spec must be wide against the sampling noise, or the check means nothing.
    REQUIRE(5.0 * standard_error < 0.01 * std::abs(exact));
    CHECK(std::abs(mean - exact) < 0.01 * std::abs(exact));
}

TEST_CASE("the minimum-variance baseline converges to E[(h-p)^2 L] / E[(h-p)^2]", "[learning][estimators]") {
    // For L = h: E[(h-p)^2 h] = p (1-p)^2 and E[(h-p)^2] = p (1-p), so b = 1 - p.
    const double p = 0.3;
    RandomStream stream(RandomKey::make(12, RandomPurpose::trainer, 0), 0, 0);
    ReinforceBaseline baseline(0.999);
    for (int n = 0; n < 200'000; ++n) {
        const int h = stream.uniform() < p ? 1 : 0;
        baseline.update(h, p, h);
    }
    CHECK(baseline.value() == Approx(1.0 - p).margin(0.03));  // an EMA over ~1000 draws: a few % noise
}

TEST_CASE("the straight-through estimator passes the gradient unchanged", "[learning][estimators]") {
    for (const double a : {-50.0, -1.0, 0.0, 0.25, 7.0}) {
        CHECK(straight_through_derivative(a) == 1.0);
        CHECK(spike_derivative(SpikeEstimator::straight_through, a, 3.0) == 1.0);
    }
}

TEST_CASE("the sigmoid-adjusted estimator is the derivative of sigmoid(slope * a)", "[learning][estimators]") {
    CHECK(sigmoid_adjusted_derivative(0.0, 1.0) == 0.25);  // p(1-p) at p = 1/2
    CHECK(sigmoid_adjusted_derivative(0.0, 4.0) == 1.0);   // slope/4 at a = 0
    for (const double slope : {0.5, 1.0, 5.0})
        for (const double a : {-3.0, -0.4, 0.0, 0.9, 2.5}) {
            CAPTURE(slope, a);
            const double h = 1e-5;
            const double numeric = (sigmoid(slope * (a + h)) - sigmoid(slope * (a - h))) / (2 * h);
            // Central differences: truncation ~ h^2 slope^3 / 6 and rounding ~ 1e-16 / h: under 1e-9.
            CHECK(sigmoid_adjusted_derivative(a, slope) == Approx(numeric).epsilon(1e-7).margin(1e-9));
            CHECK(spike_derivative(SpikeEstimator::sigmoid_adjusted, a, slope) == sigmoid_adjusted_derivative(a, slope));
        }
    const double p = sigmoid(0.7);
    CHECK(sigmoid_adjusted_derivative(0.7, 1.0) == Approx(p * (1 - p)).epsilon(1e-15));
}

TEST_CASE("sigmoid and softplus stay finite far from zero and invert", "[learning][estimators]") {
    CHECK(sigmoid(-800.0) >= 0.0);
    CHECK(sigmoid(800.0) == 1.0);
    CHECK(softplus(800.0) == 800.0);
    for (const double y : {0.01, 0.5, 1.0, 20.0, 40.0}) CHECK(softplus(inverse_softplus(y)) == Approx(y).epsilon(1e-12));
    CHECK(sigmoid(logit(0.95)) == Approx(0.95).epsilon(1e-12));
}

TEST_CASE("estimator names parse and a misspelt one is rejected with a suggestion", "[learning][estimators]") {
    CHECK(parse_estimator("straight_through") == SpikeEstimator::straight_through);
    CHECK(parse_estimator("sigmoid_adjusted") == SpikeEstimator::sigmoid_adjusted);
    REQUIRE_THROWS_WITH(parse_estimator("sigmoid_adjustd"), Catch::Contains("did you mean \"sigmoid_adjusted\""));
}
