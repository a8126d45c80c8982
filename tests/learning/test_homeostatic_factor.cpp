// The global homeostatic factor (ALGORITHMS.md 2.4): the reference search against the closed
// form and against hand-computed values, "no factor" cases and parameter errors.
#include "learning/homeostatic_factor.hpp"

#include "sim/error.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using myelin::learning::HomeostaticFactorParams;
using myelin::learning::closed_form_factor;
using myelin::learning::global_factor;
using myelin::learning::search_factor;

namespace {
constexpr double gap = 15.0;          // mV, V_thresh - V_rest of IF_curr_delta
constexpr double u = 0.3671875;       // the reference data's unit weight (2.2)

// An ideal delta-synapse output: one spike iff h * drive reaches the gap.
auto threshold_neuron(double drive) {
    return [drive](double h) { return h * drive >= gap ? 1 : 0; };
}
}  // namespace

TEST_CASE("the closed-form factor of one pattern with five 1 bits is 15/(10u) rounded up to 1e-5",
          "[learning][homeostasis]") {
    // 15 / 3.671875 = 4.0851063...: the next grid point is 4.08511 (by hand).
    const auto h = closed_form_factor({}, gap, 10.0 * u);
    REQUIRE(h);
    CHECK(*h == Approx(4.08511).margin(1e-12));
    // Pair (992, x) at distance d: drive 2u(10 - d); at d = 5 the same 4.08511 (2.9).
    CHECK(*closed_form_factor({}, gap, 2.0 * u * (10 - 5)) == Approx(4.08511).margin(1e-12));
    // d = 1: 15/(18u) = 2.26950...: 2.26951.
    CHECK(*closed_form_factor({}, gap, 2.0 * u * 9) == Approx(2.26951).margin(1e-12));
}

TEST_CASE("the reference search agrees with the closed form to one grid step", "[learning][homeostasis]") {
    const HomeostaticFactorParams p{};
    for (const double drive : {10.0 * u, 18.0 * u, 2.0 * u, u, 0.1 * 15.0 + 0.001, 7.123456}) {
        CAPTURE(drive);
        const auto searched = search_factor(p, threshold_neuron(drive));
        const auto closed = closed_form_factor(p, gap, drive);
        REQUIRE(searched);
        REQUIRE(closed);
        CHECK(std::abs(*searched - *closed) <= 1e-5 + 1e-12);
        CHECK(*searched * drive >= gap);  // it fires at the factor found ...
        CHECK((*searched - p.resolution) * drive < gap + 1e-9);  // ... and not one step below
    }
}

TEST_CASE("the search returns the first factor with exactly one output spike", "[learning][homeostasis]") {
    // A neuron that fires twice once h reaches 3 and once from 2 on: the answer is 2, not 3.
    const auto h = search_factor({}, [](double x) { return x >= 3.0 ? 2 : (x >= 2.0 ? 1 : 0); });
    REQUIRE(h);
    CHECK(*h == Approx(2.0).margin(1e-12));
    // Always two spikes: no factor.
    CHECK_FALSE(search_factor({}, [](double x) { return x >= 2.0 ? 2 : 0; }));
}

TEST_CASE("no factor exists for a non-positive drive or one beyond the exponential phase", "[learning][homeostasis]") {
    const HomeostaticFactorParams p{};
    CHECK_FALSE(closed_form_factor(p, gap, 0.0));
    CHECK_FALSE(closed_form_factor(p, gap, -3.0));
    CHECK_FALSE(search_factor(p, threshold_neuron(0.0)));
    // h_p = 150: h = 100 is silent, and the next try, 1000, is the limit (2.4: "fail once h >= 1000").
    CHECK_FALSE(closed_form_factor(p, gap, 0.1));
    CHECK_FALSE(search_factor(p, threshold_neuron(0.1)));
    // h_p = 100 exactly still fires at the first try.
    CHECK(*closed_form_factor(p, gap, 0.15) == Approx(100.0));
}

TEST_CASE("the global factor is the largest per-pattern factor, skipping patterns without one",
          "[learning][homeostasis]") {
    const std::vector<std::optional<double>> per_pattern{2.5, std::nullopt, 4.08511, 1.0};
    CHECK(*global_factor(per_pattern) == 4.08511);
    const std::vector<std::optional<double>> none{std::nullopt, std::nullopt};
    CHECK_FALSE(global_factor(none));
}

TEST_CASE("homeostatic factor parameters are validated by key", "[learning][homeostasis]") {
    using Catch::Contains;
    SECTION("h_limit must exceed h_start") {
        REQUIRE_THROWS_WITH(myelin::learning::validate({.h_start = 100.0, .h_limit = 50.0}), Contains("h_limit = 50"));
    }
    SECTION("resolution must not exceed the bisection width") {
        REQUIRE_THROWS_WITH(myelin::learning::validate({.resolution = 0.01}), Contains("resolution = 0.01"));
    }
    SECTION("h_low must be positive") {
        REQUIRE_THROWS_WITH(myelin::learning::validate({.h_low = -1.0}), Contains("h_low = -1"));
    }
}
