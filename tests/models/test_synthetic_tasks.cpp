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

TEST_CASE("gamma variates have the mean and variance of Gamma(shape, 1)", "[models][synthetic]") {
    const myelin::sim::RandomKey key = synthetic_key(21, 7);
    for (const double shape : {0.5, 1.0, 4.0, 10.0}) {
        CAPTURE(shape);
        myelin::sim::RandomStream stream(key, static_cast<std::uint32_t>(shape * 10), 0);
        const int n = 200000;
        double sum = 0, sum_sq = 0;
        for (int i = 0; i < n; ++i) {
            const double x = gamma_variate(stream, shape);
            REQUIRE(x > 0.0);
            sum += x;
            sum_sq += x * x;
        }
        const double mean = sum / n, var = sum_sq / n - mean * mean;
        // Mean k and variance k; five standard errors: sqrt(k/n) for the mean, and for the
        // variance sqrt((mu4 - k^2)/n) with the fourth central moment mu4 = 3k^2 + 6k.
        CHECK(std::abs(mean - shape) < 5 * std::sqrt(shape / n));
        CHECK(std::abs(var - shape) < 5 * std::sqrt((2 * shape * shape + 6 * shape) / n));
    }
}

TEST_CASE("gamma renewal trains: the rate is the same for every shape, the interval CV is 1/sqrt(shape)",
          "[models][synthetic]") {
    const double rate = 20.0, dt = 0.1;             // Hz, ms: bins far below the 50 ms mean interval
    const std::size_t neurons = 100, steps = 100000;  // 10 s each
    for (const double shape : {1.0, 4.0}) {
        CAPTURE(shape);
        const SpikeRaster raster = gamma_renewal_pattern(rate, shape, neurons, steps, dt, synthetic_key(5, 3), 2);
        double spikes = 0, isi_sum = 0, isi_sq = 0, isi_n = 0;
        for (std::size_t i = 0; i < neurons; ++i) {
            std::int64_t last = -1;
            for (std::size_t k = 0; k < steps; ++k) {
                if (!raster.at(k, i)) continue;
                ++spikes;
                if (last >= 0) {
                    const double isi = static_cast<double>(static_cast<std::int64_t>(k) - last) * dt;
                    isi_sum += isi;
                    isi_sq += isi * isi;
                    ++isi_n;
                }
                last = static_cast<std::int64_t>(k);
            }
        }
        // The count over 10 s of a stationary renewal train has variance ~ CV^2 * mean (at most
        // the Poisson value): five standard errors of the pooled count.
        const double expected = rate * 10.0 * neurons;
        CHECK(std::abs(spikes - expected) < 5 * std::sqrt(expected));
        const double mean = isi_sum / isi_n, cv = std::sqrt(isi_sq / isi_n - mean * mean) / mean;
        CHECK(mean == Approx(1000.0 / rate).epsilon(0.02));
        CHECK(cv == Approx(1.0 / std::sqrt(shape)).epsilon(0.03));  // ~20,000 intervals: sd of the CV ~0.6%
    }
    const SpikeRaster a = gamma_renewal_pattern(rate, 4.0, 10, 1000, 1.0, synthetic_key(5, 3), 7);
    CHECK(a.bits == gamma_renewal_pattern(rate, 4.0, 10, 1000, 1.0, synthetic_key(5, 3), 7).bits);
    CHECK(a.bits != gamma_renewal_pattern(rate, 4.0, 10, 1000, 1.0, synthetic_key(5, 3), 8).bits);
    CHECK_THROWS(gamma_renewal_pattern(rate, 0.0, 10, 1000, 1.0, synthetic_key(5, 3)));
    CHECK_THROWS(gamma_renewal_pattern(2000.0, 1.0, 10, 1000, 1.0, synthetic_key(5, 3)));
}
