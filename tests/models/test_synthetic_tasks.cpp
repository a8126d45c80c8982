// Synthetic task data against its distributions (uniform latencies, fair labels, binomial
// Poisson counts) and the ten-bit spatial-pattern layout of ALGORITHMS.md 2.2.
#include "models/synthetic_tasks.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>

using namespace myelin::models;

TEST_CASE("Tempotron latency patterns: one spike per afferent, uniform between 0 and T", "[models][synthetic]") {
    const double T = 500.0;
    const std::uint64_t seed = 3;
    CAPTURE(seed);
    const LatencyTask task = random_latency_task(200, 500, T, seed);  // N = 500 afferents (7.4)
    REQUIRE(task.spike_times.size() == 200);
    double sum = 0, sum_sq = 0, n = 0;
    for (const auto& pattern : task.spike_times) {
        REQUIRE(pattern.size() == 500);
        for (const double t : pattern) {
            REQUIRE(t >= 0.0);
            REQUIRE(t < T);
            sum += t;
            sum_sq += t * t;
            ++n;
        }
    }
    // Uniform on [0, T): mean T/2, variance T^2/12; five standard errors of the mean.
    const double mean = sum / n, var = sum_sq / n - mean * mean;
    CHECK(std::abs(mean - T / 2) < 5 * T / std::sqrt(12.0 * n));
    CHECK(var == Approx(T * T / 12).epsilon(0.02));  // sd of the variance estimate ~0.4% here
    int positive = 0;
    for (const int label : task.labels) {
        REQUIRE((label == 1 || label == -1));
        positive += label == 1;
    }
    CHECK(std::abs(positive - 100) < 5 * std::sqrt(200 * 0.25));  // Binomial(200, 1/2)
    // Reproducible from the seed; another seed gives other patterns.
    CHECK(random_latency_task(200, 500, T, seed).spike_times == task.spike_times);
    CHECK(random_latency_task(1, 500, T, seed + 1).spike_times[0] != task.spike_times[0]);
}

TEST_CASE("Poisson patterns spike at their rates, independently per sample", "[models][synthetic]") {
    const std::vector<double> rates{5.0, 20.0, 50.0};
    const double dt = 1.0;
    const std::size_t steps = 100000;  // 100 s
    const auto key = synthetic_key(11);
    const SpikeRaster a = poisson_pattern(rates, steps, dt, key, 0), b = poisson_pattern(rates, steps, dt, key, 1);
    for (std::size_t i = 0; i < rates.size(); ++i) {
        const double p = rates[i] * dt / 1000.0, expected = p * steps, sd = std::sqrt(steps * p * (1 - p));
        CAPTURE(i, a.count(i));
        CHECK(std::abs(static_cast<double>(a.count(i)) - expected) < 5 * sd);
    }
    CHECK(a.bits != b.bits);
    CHECK(poisson_pattern(rates, steps, dt, key, 0).bits == a.bits);
    REQUIRE_THROWS_WITH(poisson_pattern(std::vector<double>{2000.0}, 10, 1.0, key), Catch::Contains("rate = 2000"));
}

TEST_CASE("ten-bit spatial patterns: 1024 codes, MSB first, one active channel per bit", "[models][synthetic]") {
    const auto codes = all_bit_codes(10);
    REQUIRE(codes.size() == 1024);
    std::set<std::vector<std::vector<double>>> distinct;
    for (const auto code : codes) {
        const auto times = bit_pattern_spike_times(code, 10, 10.0);
        REQUIRE(times.size() == 20);
        for (int j = 0; j < 10; ++j) REQUIRE(times[j].size() + times[10 + j].size() == 1);  // "1" xor "0"
        distinct.insert(times);
    }
    CHECK(distinct.size() == 1024);
    // 992 = 1111100000b: channel "1" of bits 0..4 and channel "0" of bits 5..9 (sources 15..19).
    const auto times = bit_pattern_spike_times(992, 10, 10.0);
    for (int s = 0; s < 20; ++s) {
        CAPTURE(s);
        CHECK(times[s].size() == ((s < 5 || s >= 15) ? 1u : 0u));
    }
}

TEST_CASE("a spatial-pattern population fires its sources at the pattern time in a network", "[models][synthetic]") {
    auto spec = myelin::test::parse("[simulation]\ndt = 1.0\nduration = 20.0\n[[population]]\nname = \"x\"\nsize = 1\nmodel = \"SpikeSourceArray\"\n");
    spec.network.populations.at(0) = bit_pattern_population("bits", 992, 10, 10.0);
    auto out = myelin::test::simulate(spec, 1);
    // A spike at t = 10 ms is emitted in step 9 (stamped (9+1)*dt).
    const std::vector<myelin::test::Spike> expected{{9, 0}, {9, 1}, {9, 2}, {9, 3}, {9, 4}, {9, 15}, {9, 16}, {9, 17}, {9, 18}, {9, 19}};
    CHECK(out.of("bits") == expected);
}
