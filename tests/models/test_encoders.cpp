// Data encoders: Poisson rate coding against the binomial distribution, latency coding against
// its documented mapping, the config populations against the trainer API, determinism across
// thread counts, and the config errors of the encoder keys.
#include "models/encoders.hpp"
#include "support/simulate.hpp"

#include "support/replace_once.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace myelin::models;
using myelin::test::parse;
using myelin::test::simulate;
using Catch::Contains;

TEST_CASE("Poisson encoding spikes at intensity times max_rate, within a binomial tolerance", "[models][encoders]") {
    const double dt = 0.5, max_rate = 200.0;  // p = x * 0.1 per step
    const std::size_t steps = 4000, per_level = 250;
    const std::vector<double> levels{0.0, 0.1, 0.5, 1.0};
    std::vector<double> intensity;
    for (const double x : levels) intensity.insert(intensity.end(), per_level, x);
    const std::uint64_t seed = 12345;
    CAPTURE(seed);
    const SpikeRaster raster = poisson_encode(intensity, steps, max_rate, dt, population_key(seed, 0));
    for (std::size_t l = 0; l < levels.size(); ++l) {
        std::size_t count = 0;
        for (std::size_t i = l * per_level; i < (l + 1) * per_level; ++i) count += raster.count(i);
        const double trials = static_cast<double>(per_level * steps), p = levels[l] * max_rate * dt / 1000.0;
        CAPTURE(levels[l], count);
        if (p == 0.0) {
            CHECK(count == 0);  // a black pixel never spikes
        } else {
            // Count ~ Binomial(trials, p); five standard deviations: a false alarm ~1 in 10^6.
            CHECK(std::abs(static_cast<double>(count) - trials * p) < 5.0 * std::sqrt(trials * p * (1.0 - p)));
        }
    }
}

TEST_CASE("Poisson encoding: no two steps or neurons share draws (lag-1 and neighbour correlation)", "[models][encoders]") {
    const std::vector<double> intensity(64, 0.5);
    const SpikeRaster r = poisson_encode(intensity, 20000, 500.0, 1.0, population_key(7, 3));  // p = 0.25
    double both_time = 0, both_space = 0, n_time = 0, n_space = 0;
    for (std::size_t k = 0; k + 1 < r.steps; ++k)
        for (std::size_t i = 0; i + 1 < r.neurons; ++i) {
            both_time += r.at(k, i) & r.at(k + 1, i);
            both_space += r.at(k, i) & r.at(k, i + 1);
            ++n_time;
            ++n_space;
        }
    // Independence: P(both) = p^2 = 1/16; five standard errors of a Bernoulli(1/16) mean.
    const double se = std::sqrt(1.0 / 16 * 15.0 / 16 / n_time);
    CHECK(std::abs(both_time / n_time - 1.0 / 16) < 5 * se);
    CHECK(std::abs(both_space / n_space - 1.0 / 16) < 5 * se);
}

TEST_CASE("latency encoding puts the spike round(t_max (1 - x) / dt) steps after the start, brighter first", "[models][encoders]") {
    const std::vector<double> intensity{1.0, 0.5, 0.25, 0.0, 0.001, 0.8};
    const SpikeRaster r = latency_encode(intensity, 200, 10.0, 0.1);
    // t_max * (1 - x) = 0, 5, 7.5, none, 9.99, 2 ms -> steps 0, 50, 75, none, 100, 20.
    const std::vector<int> expected{0, 50, 75, -1, 100, 20};
    for (std::size_t i = 0; i < intensity.size(); ++i) {
        CAPTURE(i);
        CHECK(r.count(i) == (expected[i] < 0 ? 0u : 1u));
        if (expected[i] >= 0) CHECK(r.at(static_cast<std::size_t>(expected[i]), i) == 1);
    }
    SECTION("a threshold silences dim pixels") {
        const SpikeRaster t = latency_encode(intensity, 200, 10.0, 0.1, 0.3);
        CHECK(t.count(2) == 0);  // 0.25 <= 0.3
        CHECK(t.count(1) == 1);
    }
}

TEST_CASE("static input repeats the intensities in every step, batched step by sample by neuron", "[models][encoders]") {
    const std::vector<double> a{0.0, 0.5, 1.0}, b{1.0, 0.25, 0.0};
    const auto single = static_encode(a, 4, 2.0);
    REQUIRE(single.size() == 12);
    for (std::size_t k = 0; k < 4; ++k)
        for (std::size_t i = 0; i < 3; ++i) CHECK(single[k * 3 + i] == static_cast<float>(2.0 * a[i]));
    const std::vector<std::vector<double>> batch{a, b};
    const auto both = static_encode_batch(batch, 2);
    REQUIRE(both.size() == 12);
    CHECK(both[(1 * 2 + 1) * 3 + 1] == 0.25f);  // step 1, sample 1, neuron 1
    CHECK(both[(1 * 2 + 0) * 3 + 2] == 1.0f);   // step 1, sample 0, neuron 2
}

namespace {

// A PoissonEncoder and a LatencyEncoder on given intensities, run for 30 ms at dt = 0.1.
std::string encoder_config(std::size_t size) {
    return R"([simulation]
dt = 0.1
duration = 30.0
seed = 9
[[population]]
name = "rate"
size = )" + std::to_string(size) + R"(
model = "PoissonEncoder"
params = { max_rate = 400.0 }
init = { intensity = { uniform = [0.0, 1.0] } }
[[population]]
name = "latency"
size = 4
model = "LatencyEncoder"
params = { t_max = 10.0, start = 5.0 }
init = { intensity = { values = [1.0, 0.5, 0.25, 0.0] } }
)";
}

}  // namespace

TEST_CASE("encoder populations give the trainer API's spikes, on 1 and 2 threads alike", "[models][encoders][determinism]") {
    const auto spec = parse(encoder_config(3000));
    auto one = simulate(spec, 1), two = simulate(spec, 2);
    CHECK(one.of("rate") == two.of("rate"));
    CHECK(one.of("latency") == two.of("latency"));
    REQUIRE(one.of("rate").size() > 1000);

    // The same spikes from poisson_encode with the population's key and its intensities.
    auto& rate = *one.network.populations[0];
    const auto intensity = rate.state().at(0).values.doubles();
    const SpikeRaster raster = poisson_encode({intensity.data(), intensity.size()}, 300, 400.0, 0.1, population_key(9, 0));
    std::vector<myelin::test::Spike> expected;
    for (std::size_t k = 0; k < raster.steps; ++k)
        for (std::size_t i = 0; i < raster.neurons; ++i)
            if (raster.at(k, i)) expected.push_back({static_cast<std::int64_t>(k), static_cast<std::uint32_t>(i)});
    CHECK(one.of("rate") == expected);

    // Latency: start 5 ms = step 50, then 0, 50, 75 steps; intensity 0 never.
    const std::vector<myelin::test::Spike> latency{{50, 0}, {100, 1}, {125, 2}};
    CHECK(one.of("latency") == latency);
}

TEST_CASE("encoder parameters and intensities are validated, naming the key", "[models][encoders][config]") {
    const std::string valid = encoder_config(10);
    const auto with = [&](const std::string& from, const std::string& to) { return myelin::test::replace_once(valid, from, to); };
    REQUIRE_NOTHROW(parse(valid));
    SECTION("max_rate above one spike per step") {
        REQUIRE_THROWS_WITH(parse(with("max_rate = 400.0", "max_rate = 20000.0")),
                            Contains("test.toml:9:") && Contains("max_rate = 20000") && Contains("<= 10000"));
    }
    SECTION("misspelt parameter") {
        REQUIRE_THROWS_WITH(parse(with("max_rate = 400.0", "max_rat = 400.0")), Contains("did you mean \"max_rate\""));
    }
    SECTION("intensity outside [0, 1]") {
        REQUIRE_THROWS_WITH(parse(with("[1.0, 0.5, 0.25, 0.0]", "[1.0, 1.5, 0.25, 0.0]")),
                            Contains("init.intensity = 1.5") && Contains("within [0, 1]"));
    }
    SECTION("no intensities") {
        REQUIRE_THROWS_WITH(parse(with("init = { intensity = { uniform = [0.0, 1.0] } }\n", "")),
                            Contains("PoissonEncoder needs intensities") && Contains("encoder = {"));
    }
    SECTION("latency threshold") {
        REQUIRE_THROWS_WITH(parse(with("t_max = 10.0", "t_max = 10.0, threshold = 1.0")), Contains("threshold = 1 must be within [0, 1)"));
    }
}
