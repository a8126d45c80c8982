// The log-sum-exp operator of the Ultra* neurons (ALGORITHMS.md 5.2, acceptance test 5.7.1):
// bounds, stability for huge arguments, agreement with the textbook formula, and derivatives
// against finite differences.
#include "models/ultra_float_math.hpp"
#include "sim/log_sum_exp.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <random>

using namespace myelin::sim;

TEST_CASE("log1p_unit agrees with std::log1p to a few ulp on [0, 1]", "[models][lse]") {
    double worst = 0.0;
    for (double y = 0.0; y <= 1.0; y += 1.0 / 65536.0 + 1e-9) {
        const double expected = std::log1p(y);
        if (expected > 0.0) worst = std::max(worst, std::abs(log1p_unit(y) - expected) / expected);
    }
    for (const double y : {1e-300, 1e-20, 1e-9, 0.41421356237309503, 0.41421356237309509, 1.0})
        worst = std::max(worst, std::abs(log1p_unit(y) - std::log1p(y)) / std::log1p(y));
    CHECK(worst < 1e-15);  // a handful of ulp (2.2e-16 each)
    CHECK(log1p_unit(0.0) == 0.0);
}

TEST_CASE("lse of two arguments lies between max(a, b) and max(a, b) + eps*log 2", "[models][lse]") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> value(-50.0, 50.0), log_eps(std::log(1e-4), std::log(20.0));
    for (int n = 0; n < 100000; ++n) {
        const double a = value(rng), b = value(rng), eps = std::exp(log_eps(rng));
        const double r = lse(a, b, eps);
        const double m = std::max(a, b);
        CAPTURE(a, b, eps);
        REQUIRE(r >= m);
        REQUIRE(r <= m + eps * std::log(2.0) * (1.0 + 1e-15) + 1e-15 * std::abs(m));
    }
    CHECK(lse(3.0, 3.0, 0.5) == Approx(3.0 + 0.5 * std::log(2.0)).epsilon(1e-15));  // the upper bound is attained
}

TEST_CASE("lse is finite and exact for arguments of 1e4/eps and beyond", "[models][lse]") {
    // The naive eps*log(exp(a/eps) + exp(b/eps)) overflows here; the reference below only ever
    // exponentiates the non-positive -|a - b|/eps.
    for (const double eps : {1e-3, 1.0, 20.0}) {
        CAPTURE(eps);
        const double big = 1e4 / eps;
        const auto expected = [eps](double a, double b) {
            return std::max(a, b) + eps * std::log1p(std::exp(-std::abs(a - b) / eps));
        };
        CHECK(lse(big, 0.0, eps) == Approx(expected(big, 0.0)).epsilon(1e-15));
        CHECK(lse(0.0, -big, eps) == Approx(expected(0.0, -big)).epsilon(1e-15).margin(1e-300));
        CHECK(lse(big, big, eps) == Approx(big + eps * std::log(2.0)).epsilon(1e-15));
        CHECK(lse(-big, -big + 1.0, eps) == Approx(expected(-big, -big + 1.0)).epsilon(1e-15));
        CHECK(std::isfinite(lse(1e300, -1e300, eps)));
        const std::array<double, 3> many{big, big - 1.0, -big};
        CHECK(lse(many, eps) == Approx(big + eps * std::log1p(std::exp(-1.0 / eps))).epsilon(1e-15));
        CHECK(lse(big, big - 1.0, -big, eps) == Approx(lse(many, eps)).epsilon(1e-15));
    }
    CHECK(lse(1e4, 0.0, 1e-3) == 1e4);  // exp(-1e7) is exactly nothing next to 1
}

TEST_CASE("lse agrees with eps*log(sum exp(a/eps)) where that formula does not overflow", "[models][lse]") {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> value(-5.0, 5.0), eps_of(0.5, 5.0);
    for (int n = 0; n < 10000; ++n) {
        const double a = value(rng), b = value(rng), c = value(rng), eps = eps_of(rng);
        const double naive2 = eps * std::log(std::exp(a / eps) + std::exp(b / eps));
        const double naive3 = eps * std::log(std::exp(a / eps) + std::exp(b / eps) + std::exp(c / eps));
        REQUIRE(lse(a, b, eps) == Approx(naive2).epsilon(1e-13).margin(1e-13));
        REQUIRE(lse(a, b, c, eps) == Approx(naive3).epsilon(1e-13).margin(1e-13));
        const std::array<double, 3> abc{a, b, c};
        REQUIRE(lse(abc, eps) == Approx(naive3).epsilon(1e-13).margin(1e-13));
    }
    const std::array<double, 2> with_minus_infinity{1.5, -INFINITY};
    CHECK(lse(with_minus_infinity, 0.3) == 1.5);  // an absent term contributes nothing
}

TEST_CASE("the softmax weights and the eps derivative match central finite differences", "[models][lse]") {
    // A central difference with step h errs by ~h^2 f''' (relative: far below the 1e-6 of
    // ALGORITHMS.md 5.7.1 at h = 1e-5) plus ~1e-16 |f|/h from rounding, an absolute 1e-10 here:
    // hence the margin of 1e-9 for weights near 0.
    const double h = 1e-5;
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> value(-3.0, 3.0), eps_of(0.1, 20.0);
    for (int n = 0; n < 200; ++n) {
        std::array<double, 3> a{value(rng), value(rng), value(rng)};
        const double eps = eps_of(rng);
        std::array<double, 3> w{}, scratch{};
        lse_weights(a, eps, w);
        CHECK(w[0] + w[1] + w[2] == Approx(1.0).epsilon(1e-15));
        for (std::size_t k = 0; k < 3; ++k) {
            auto up = a, down = a;
            up[k] += h;
            down[k] -= h;
            const double fd = (lse(up, eps) - lse(down, eps)) / (2 * h);
            CHECK(w[k] == Approx(fd).epsilon(1e-6).margin(1e-9));
        }
        const double fd_eps = (lse(a, eps + h) - lse(a, eps - h)) / (2 * h);
        CHECK(lse_deps(a, eps, scratch) == Approx(fd_eps).epsilon(1e-6).margin(1e-9));
        const double fd_first = (lse(a[0] + h, a[1], eps) - lse(a[0] - h, a[1], eps)) / (2 * h);
        CHECK(lse_weight_first(a[0], a[1], eps) == Approx(fd_first).epsilon(1e-6).margin(1e-9));
    }
}

TEST_CASE("the soft spike is a stable sigmoid whose slope is s(1-s)/eps", "[models][lse]") {
    CHECK(sigmoid_eps(1.0, 1.0, 0.5) == 0.5);
    CHECK(sigmoid_eps(1e6, 1.0, 1e-3) == 1.0);
    CHECK(sigmoid_eps(-1e6, 1.0, 1e-3) == Approx(0.0).margin(1e-300));
    const double h = 1e-6;
    for (const double v : {-2.0, 0.3, 0.99, 1.7}) {
        for (const double eps : {0.1, 1.0, 5.0}) {
            const double s = sigmoid_eps(v, 1.0, eps);
            CHECK(s == Approx(1.0 / (1.0 + std::exp(-(v - 1.0) / eps))).epsilon(1e-15));
            const double fd = (sigmoid_eps(v + h, 1.0, eps) - sigmoid_eps(v - h, 1.0, eps)) / (2 * h);
            CHECK(sigmoid_eps_dv(s, eps) == Approx(fd).epsilon(1e-6));
        }
    }
}

TEST_CASE("the float exp and log1p of the neuron loops agree with std to float precision", "[models][lse]") {
    double worst_exp = 0.0, worst_log = 0.0;
    for (double x = -87.0; x <= 0.0; x += 0.00731) {
        const double expected = std::exp(x);
        worst_exp = std::max(worst_exp, std::abs(myelin::models::exp_nonpositive_float(static_cast<float>(x)) -
                                                 std::exp(static_cast<double>(static_cast<float>(x)))) / expected);
    }
    for (double y = 1e-30; y <= 1.0; y += 1.0 / 8192.0) {
        const auto yf = static_cast<float>(y);
        worst_log = std::max(worst_log, std::abs(myelin::models::log1p_unit_float(yf) - std::log1p(double(yf))) /
                                            std::log1p(double(yf)));
    }
    CHECK(worst_exp < 4e-7);  // a few float ulp (6e-8 each)
    CHECK(worst_log < 4e-7);
    CHECK(myelin::models::exp_nonpositive_float(0.0f) == 1.0f);
    CHECK(myelin::models::exp_nonpositive_float(-1e30f) >= 0.0f);
    CHECK(myelin::models::log1p_unit_float(1.0f) == Approx(std::log(2.0)).epsilon(1e-7));
}
