// UltraDLIF (ALGORITHMS.md 5.3): the ring update against an independent implementation, the
// uncoupled case, the analytic two-neuron solution, and the same spikes for any split of the
// population between threads.
#include "models/ultra_dlif.hpp"
#include "support/driven_population.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using myelin::models::UltraDlif;
using myelin::test::DrivenPopulation;
using myelin::test::random_input;
using Catch::Contains;

namespace {

// One step of the paper's update, written naively: every neuron reads the potentials of the
// previous step (a copy), neighbours i-1 and i+1 with wrap-around, weight g in the linear domain.
std::vector<bool> reference_step(std::vector<double>& v, const std::vector<float>& input, const UltraDlif::Params& p) {
    const std::size_t n = v.size();
    const std::vector<double> old = v;
    std::vector<bool> fired(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double left = old[(i + n - 1) % n], right = old[(i + 1) % n];
        const double log_g = std::log(p.coupling);  // -infinity for g = 0: the term vanishes
        const double sum = std::exp((left + log_g) / p.eps) + std::exp(old[i] / p.eps) + std::exp((right + log_g) / p.eps);
        const double relaxed = p.eps * std::log(sum) + input[i] + p.i_offset;
        const double s = 1.0 / (1.0 + std::exp(-(relaxed - p.v_thresh) / p.eps));
        fired[i] = relaxed >= p.v_thresh;
        v[i] = relaxed * (1.0 - s);
    }
    return fired;
}

}  // namespace

TEST_CASE("UltraDLIF follows lse(V_{i-1} + log g, V_i, V_{i+1} + log g) + I on a ring", "[models][ultra_dlif]") {
    for (const double coupling : {1.0, 0.3, 0.0}) {
        CAPTURE(coupling);
        const UltraDlif::Params p{.coupling = coupling, .eps = 0.7, .v_thresh = 1.0, .i_offset = -0.1};
        const auto input = random_input(300, 7, -0.8, 0.9, 21);
        DrivenPopulation<UltraDlif> population(7, p);
        std::vector<double> v(7, 0.0);
        std::size_t spikes = 0;
        for (const auto& row : input) {
            const auto expected = reference_step(v, row, p);
            const auto fired = population.step(row);
            for (std::size_t i = 0; i < 7; ++i) {
                CAPTURE(i);
                REQUIRE((std::find(fired.begin(), fired.end(), i) != fired.end()) == expected[i]);
                // The soft spike is evaluated in float (ultra_float_math.hpp), ~1e-7 relative per
                // step; without a leak (g = 0) those errors add up like a random walk over the
                // 300 steps, hence 1e-5.
                REQUIRE(population.column("v")[i] == Approx(v[i]).epsilon(1e-5).margin(1e-5));
            }
            spikes += fired.size();
        }
        CHECK(spikes > 5);  // the threshold path ran
    }
}

TEST_CASE("UltraDLIF with zero coupling is a set of independent neurons V <- V + I", "[models][ultra_dlif]") {
    // With g = 0 no neighbour term enters: each neuron integrates its own input exactly (the
    // paper's middle term has no leak), then the soft spike and reset. Neighbours' inputs differ
    // by a factor of 10, so any leak between them would show.
    const UltraDlif::Params p{.coupling = 0.0, .eps = 0.5};
    DrivenPopulation<UltraDlif> population(4, p);
    const std::vector<float> input{0.01f, 0.1f, 0.001f, 0.0f};
    std::vector<double> v(4, 0.0);
    for (int t = 0; t < 200; ++t) {
        population.step(input);
        for (std::size_t i = 0; i < 4; ++i) {
            const double relaxed = v[i] + input[i];
            v[i] = relaxed / (1.0 + std::exp((relaxed - p.v_thresh) / p.eps));  // V (1 - s)
            REQUIRE(population.column("v")[i] == Approx(v[i]).epsilon(1e-6));  // float soft spike
        }
    }
    CHECK(population.column("v")[3] == 0.0);
}

TEST_CASE("two coupled UltraDLIF neurons follow the analytic sum and difference modes", "[models][ultra_dlif]") {
    // In the linear domain u_i = exp(V_i/eps) two neurons on a ring (each is the other's left and
    // right neighbour) evolve as u_1' = u_1 + c u_2, u_2' = u_2 + c u_1 with c = 2 g^(1/eps):
    // the sum grows as (1 + c)^t and the difference relaxes as (1 - c)^t. No input, no reset.
    const double eps = 0.5, g = 0.3;
    const double c = 2.0 * std::pow(g, 1.0 / eps);  // 0.18
    DrivenPopulation<UltraDlif> pair(2, {.coupling = g, .eps = eps, .v_thresh = 1e9});
    pair.column("v")[0] = 1.0;
    pair.column("v")[1] = -0.5;
    const double sum0 = std::exp(1.0 / eps) + std::exp(-0.5 / eps), diff0 = std::exp(1.0 / eps) - std::exp(-0.5 / eps);
    for (int t = 1; t <= 40; ++t) {
        pair.step();
        const double sum = std::pow(1.0 + c, t) * sum0, diff = std::pow(1.0 - c, t) * diff0;
        CAPTURE(t);
        REQUIRE(pair.column("v")[0] == Approx(eps * std::log((sum + diff) / 2)).epsilon(1e-12));
        REQUIRE(pair.column("v")[1] == Approx(eps * std::log((sum - diff) / 2)).epsilon(1e-12));
    }
    // The normalised difference (u_1 - u_2)/(u_1 + u_2) has relaxed by ((1 - c)/(1 + c))^40 ~ 1e-6.
    const double u1 = std::exp(pair.column("v")[0] / eps), u2 = std::exp(pair.column("v")[1] / eps);
    CHECK((u1 - u2) / (u1 + u2) == Approx(std::pow((1 - c) / (1 + c), 40) * diff0 / sum0).epsilon(1e-9));
}

TEST_CASE("UltraDLIF gives the same result however the population is split into ranges", "[models][ultra_dlif]") {
    // Ranges are what threads update; the boundaries are where a neighbour is read across them.
    const UltraDlif::Params p{.coupling = 0.8, .eps = 0.3, .v_thresh = 1.0};
    const auto input = random_input(200, 101, -0.6, 0.7, 23);
    DrivenPopulation<UltraDlif> whole(101, p), split(101, p);
    for (const auto& row : input) REQUIRE(split.step(row, 4) == whole.step(row, 1));
    CHECK(std::equal(whole.column("v").begin(), whole.column("v").end(), split.column("v").begin()));
}

TEST_CASE("an UltraDLIF network gives identical spikes on 1 and 2 threads", "[models][ultra_dlif][determinism]") {
    const auto run = myelin::test::parse(R"([simulation]
dt = 1.0
duration = 300.0
seed = 5
[[population]]
name = "ring"
size = 2000
model = "UltraDLIF"
params = { coupling = 0.5, eps = 0.2, v_thresh = 1.0, i_offset = -0.03 }
init = { v = { uniform = [-1.0, 0.9] } }
[[population]]
name = "noise"
size = 100
model = "SpikeSourcePoisson"
params = { rate = 50.0 }
[[projection]]
pre = "noise"
post = "ring"
connect = { rule = "fixed_probability", p = 0.05 }
weight = { uniform = [0.0, 0.4] }
delay = { uniform = [1.0, 3.0] }
)");
    auto one = myelin::test::simulate(run, 1);
    auto two = myelin::test::simulate(run, 2);
    REQUIRE(one.of("ring").size() > 1000);
    CHECK(two.of("ring") == one.of("ring"));
}

TEST_CASE("UltraDLIF parameters are checked by name and value", "[models][ultra_dlif]") {
    REQUIRE_THROWS_WITH(UltraDlif::validate({.coupling = -0.1}), Contains("coupling = -0.1 must be >= 0"));
    REQUIRE_THROWS_WITH(UltraDlif::validate({.eps = -1.0}), Contains("eps = -1 must be > 0"));
}
