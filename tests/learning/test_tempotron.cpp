// The Tempotron neuron against independent references (ALGORITHMS.md 7.6): the kernel's closed-form
// peak, a brute-force maximum of V by direct kernel summation on a fine grid refined by golden-section
// search, and finite differences of V(t_max) with respect to each weight.
#include "learning/tempotron.hpp"
#include "sim/random.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace myelin::learning;
using myelin::sim::RandomKey;
using myelin::sim::RandomPurpose;
using myelin::sim::RandomStream;

namespace {

struct RandomTrial {
    std::vector<std::vector<double>> spike_times;  // per afferent
    std::vector<double> weights;
};

// `afferents` afferents with 1..3 spikes each, uniform in [0, duration); weights normal(mean, sd).
RandomTrial random_trial(std::uint64_t seed, std::size_t afferents, double duration, double mean, double sd) {
    const RandomKey key = RandomKey::make(seed, RandomPurpose::synthetic_data, 77);
    RandomTrial trial;
    for (std::size_t i = 0; i < afferents; ++i) {
        RandomStream stream(key, static_cast<std::uint32_t>(i), 0);
        const std::uint32_t spikes = 1 + stream.below(3);
        trial.spike_times.emplace_back();
        for (std::uint32_t f = 0; f < spikes; ++f) trial.spike_times.back().push_back(duration * stream.uniform());
        trial.weights.push_back(mean + sd * stream.normal());
    }
    return trial;
}

struct NumericMaximum {
    double t, v;
};

// Maximum of V on [0, duration] without the closed form: a grid of `step`, then golden-section
// search on the two grid cells around the best point (V is unimodal there at this resolution).
NumericMaximum numeric_maximum(const PreparedPattern& pattern, const std::vector<double>& weights,
                               const PspKernel& kernel, double step) {
    const auto v = [&](double t) { return potential_at(pattern, weights, kernel, 0.0, t); };
    double best_t = 0.0, best_v = v(0.0);
    const auto points = static_cast<std::size_t>(pattern.duration / step);
    for (std::size_t k = 1; k <= points; ++k) {
        const double t = std::min(pattern.duration, static_cast<double>(k) * step);
        if (const double value = v(t); value > best_v) best_t = t, best_v = value;
    }
    double lo = std::max(0.0, best_t - step), hi = std::min(pattern.duration, best_t + step);
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo), va = v(a), vb = v(b);
    for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
        if (va < vb) lo = a, a = b, va = vb, b = lo + ratio * (hi - lo), vb = v(b);
        else hi = b, b = a, vb = va, a = hi - ratio * (hi - lo), va = v(a);
    }
    const double t = (lo + hi) / 2.0;
    return v(t) > best_v ? NumericMaximum{t, v(t)} : NumericMaximum{best_t, best_v};
}

constexpr double never = std::numeric_limits<double>::infinity();  // a threshold V never reaches

}  // namespace

TEST_CASE("the PSP kernel peaks at exactly 1 at s* = tau tau_s / (tau - tau_s) ln(tau / tau_s)",
          "[learning][tempotron]") {
    const PspKernel kernel(15.0, 3.75);
    // ALGORITHMS.md 7.2: s* = 5 ln 4 = 6.931 ms and V0 = 1 / (a^(-1/(a-1)) - a^(-a/(a-1))) with a = 4.
    CHECK(kernel.peak_time() == Approx(5.0 * std::log(4.0)).epsilon(1e-14));
    CHECK(kernel.peak_time() == Approx(6.931).margin(5e-4));
    const double a = 4.0;
    CHECK(kernel.v0() == Approx(1.0 / (std::pow(a, -1.0 / (a - 1.0)) - std::pow(a, -a / (a - 1.0)))).epsilon(1e-13));
    CHECK(kernel.v0() == Approx(2.1165).margin(1e-4));
    CHECK(std::abs(kernel(kernel.peak_time()) - 1.0) < 1e-12);
    // A maximum: lower on both sides; and causal.
    CHECK(kernel(kernel.peak_time() - 1e-3) < 1.0);
    CHECK(kernel(kernel.peak_time() + 1e-3) < 1.0);
    CHECK(kernel(0.0) == 0.0);
    CHECK(kernel(-1.0) == 0.0);
}

TEST_CASE("the analytic time of the voltage maximum equals a brute-force search on random patterns",
          "[learning][tempotron]") {
    const PspKernel kernel(15.0, 3.75);
    const double duration = 100.0;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        CAPTURE(seed);
        // Mixed-sign weights give maxima inside gaps, at spike times and at the ends of the trial.
        const double mean = seed % 3 == 0 ? -0.1 : 0.05;
        const RandomTrial trial = random_trial(seed, 40, duration, mean, 0.3);
        const PreparedPattern pattern = prepare_pattern(trial.spike_times, duration, kernel);
        const VoltageMaximum analytic = find_maximum(pattern, trial.weights, kernel, 0.0, never);
        const NumericMaximum numeric = numeric_maximum(pattern, trial.weights, kernel, 0.01);
        CAPTURE(analytic.t_max, numeric.t);
        // The closed form cannot lie below any point of V; golden section converges to ~1e-13 in t,
        // so V agrees to rounding (1e-9 leaves room for sums of ~100 kernels of size ~1).
        CHECK(analytic.v_max >= numeric.v - 1e-12);
        CHECK(analytic.v_max == Approx(numeric.v).margin(1e-9));
        CHECK(analytic.v_max == Approx(potential_at(pattern, trial.weights, kernel, 0.0, analytic.t_max)).margin(1e-9));
        CHECK_FALSE(analytic.fired);
        // The spikes counted as before t_max are exactly those earlier than it (one at t_max adds K(0) = 0).
        for (std::size_t k = 0; k < pattern.times.size(); ++k)
            CHECK((k < analytic.spikes_before) == (pattern.times[k] < analytic.t_max));
    }
}

TEST_CASE("the neuron fires iff V reaches threshold, and t_max is the first candidate after the crossing",
          "[learning][tempotron]") {
    const PspKernel kernel(15.0, 3.75);
    const double duration = 100.0, threshold = 1.0;
    int fired = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        CAPTURE(seed);
        const RandomTrial trial = random_trial(seed, 40, duration, 0.0, 0.3);
        const PreparedPattern pattern = prepare_pattern(trial.spike_times, duration, kernel);
        const VoltageMaximum result = find_maximum(pattern, trial.weights, kernel, 0.0, threshold);
        const NumericMaximum unshunted = numeric_maximum(pattern, trial.weights, kernel, 0.01);
        REQUIRE(std::abs(unshunted.v - threshold) > 1e-6);  // no borderline case for this seed
        CHECK(result.fired == (unshunted.v >= threshold));
        if (!result.fired) continue;
        ++fired;
        CHECK(result.v_max >= threshold);
        // Tempotrons.jl convention (ALGORITHMS.md 7.3): t_max is the first candidate (input spike or
        // interior maximum) at or after the first threshold crossing. So the crossing comes before
        // t_max, and no input spike lies between them (it would have been that candidate).
        double crossing = 0.0;
        while (potential_at(pattern, trial.weights, kernel, 0.0, crossing) < threshold) crossing += 0.001;
        CAPTURE(crossing, result.t_max);
        CHECK(result.t_max >= crossing - 0.001);
        for (const double t : pattern.times) CHECK_FALSE((t > crossing + 1e-9 && t < result.t_max - 1e-9));
    }
    CAPTURE(fired);
    CHECK(fired > 3);  // the seeds exercise both outcomes
    CHECK(fired < 17);
}

TEST_CASE("the weight gradient equals the finite difference of V(t_max) at fixed t_max", "[learning][tempotron]") {
    const PspKernel kernel(15.0, 3.75);
    const RandomTrial trial = random_trial(5, 30, 100.0, 0.05, 0.3);
    const PreparedPattern pattern = prepare_pattern(trial.spike_times, 100.0, kernel);
    const VoltageMaximum maximum = find_maximum(pattern, trial.weights, kernel, 0.0, never);
    std::vector<double> gradient(trial.weights.size(), 0.0);
    add_gradient(pattern, maximum, kernel, 1.0, gradient);
    const double h = 1e-4;  // V is linear in w: the central difference is exact up to rounding
    for (std::size_t i = 0; i < trial.weights.size(); ++i) {
        CAPTURE(i);
        std::vector<double> up = trial.weights, down = trial.weights;
        up[i] += h;
        down[i] -= h;
        const double numeric = (potential_at(pattern, up, kernel, 0.0, maximum.t_max) -
                                potential_at(pattern, down, kernel, 0.0, maximum.t_max)) / (2.0 * h);
        CHECK(gradient[i] == Approx(numeric).margin(1e-8));
    }
}

TEST_CASE("a gradient step raises V_max after a miss and lowers it after a false alarm", "[learning][tempotron]") {
    const PspKernel kernel(15.0, 3.75);
    const RandomTrial trial = random_trial(9, 50, 100.0, 0.02, 0.2);
    const PreparedPattern pattern = prepare_pattern(trial.spike_times, 100.0, kernel);
    const VoltageMaximum before = find_maximum(pattern, trial.weights, kernel, 0.0, never);
    for (const double sign : {+1.0, -1.0}) {
        CAPTURE(sign);
        std::vector<double> weights = trial.weights;
        add_gradient(pattern, before, kernel, sign * 1e-3, weights);  // w += sign * lambda * grad
        const VoltageMaximum after = find_maximum(pattern, weights, kernel, 0.0, never);
        // V is linear in w, so V(t_max) moves by exactly sign * lambda |grad|^2. Going up, the new maximum is
        // at least that; going down, every V(t) drops (all K >= 0 and grad >= 0), so V_max cannot rise.
        std::vector<double> gradient(weights.size(), 0.0);
        add_gradient(pattern, before, kernel, 1.0, gradient);
        double squared = 0.0;
        for (const double g : gradient) squared += g * g;
        REQUIRE(squared > 0.0);
        CHECK(potential_at(pattern, weights, kernel, 0.0, before.t_max) ==
              Approx(before.v_max + sign * 1e-3 * squared).margin(1e-12));
        if (sign > 0) CHECK(after.v_max >= before.v_max + 1e-3 * squared - 1e-12);
        else CHECK(after.v_max <= before.v_max);
    }
}

TEST_CASE("patterns reject negative spike times and drop spikes after the trial", "[learning][tempotron]") {
    const PspKernel kernel(15.0, 3.75);
    REQUIRE_THROWS_WITH(prepare_pattern({{1.0}, {-2.0}}, 10.0, kernel), Catch::Contains("spike time = -2"));
    const PreparedPattern pattern = prepare_pattern({{1.0, 12.0}, {3.0}}, 10.0, kernel);
    CHECK(pattern.times == std::vector<double>{1.0, 3.0});
    CHECK(pattern.afferents == std::vector<std::uint32_t>{0, 1});
}

TEST_CASE("Tempotron parameters reject tau_s >= tau and a momentum of 1", "[learning][tempotron]") {
    TempotronParams p;
    p.tau_s = 20.0;
    REQUIRE_THROWS_WITH(validate_tempotron(p), Catch::Contains("tau_s = 20") && Catch::Contains("< tau"));
    p = {};
    p.momentum = 1.0;
    REQUIRE_THROWS_WITH(validate_tempotron(p), Catch::Contains("momentum = 1"));
}
