// SpiNNaker's limits as the export applies them: timestep choice, delay ticks, 16-bit weights.
#include "io/spinnaker_limits.hpp"
#include "sim/error.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

namespace sp = myelin::io::spinnaker;
using Catch::Contains;

TEST_CASE("a weight is stored as a 16-bit integer at 2^15 per unit when the largest weight is below 1",
          "[io][spinnaker]") {
    const sp::WeightFormat f = sp::weight_format(0.09);  // CUBA's largest weight, nA
    CHECK(f.left_shift == 0);
    CHECK(f.scale == 32768.0);
    // 0.0162 nA * 32768 = 530.84 -> 531 units: the error is 0.16 units over 530.84.
    CHECK(sp::quantize(0.0162, f) == 531.0 / 32768.0);
    CHECK(sp::relative_error(0.0162, f) == Approx((531.0 - 0.0162 * 32768.0) / (0.0162 * 32768.0)).epsilon(1e-12));
    CHECK(sp::quantize(-0.0162, f) == -531.0 / 32768.0);  // the sign is kept for the caller
    CHECK(sp::relative_error(0.0, f) == 0.0);
}

TEST_CASE("the weight shift grows by one bit each time the largest weight doubles past 1", "[io][spinnaker]") {
    CHECK(sp::weight_format(1.0).left_shift == 0);
    CHECK(sp::weight_format(1.5).left_shift == 1);
    CHECK(sp::weight_format(3.0).left_shift == 2);
    CHECK(sp::weight_format(3.0).scale == 8192.0);  // 2^(15 - 2)
    CHECK(sp::weight_format(1e9).left_shift == 16);  // capped; saturates below
    CHECK(sp::quantize(1e9, sp::weight_format(1e9)) == 65535.0 * 2.0);
}

TEST_CASE("rounding to the weight grid errs by at most half a unit", "[io][spinnaker]") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> weight(1e-3, 4.0);
    for (int k = 0; k < 1000; ++k) {
        const double w = weight(rng);
        const sp::WeightFormat f = sp::weight_format(4.0);
        CAPTURE(w);
        CHECK(std::abs(sp::quantize(w, f) - w) <= 0.5 / f.scale * (1 + 1e-12));
    }
    // A weight below half a unit rounds to zero: total loss.
    CHECK(sp::relative_error(1e-5, sp::weight_format(1e-5)) == 1.0);
}

TEST_CASE("delays become whole ticks, clamped into 1..144", "[io][spinnaker]") {
    const auto d = sp::delay_ticks(1.5, 0.1);
    CHECK(d.ticks == 15);
    CHECK_FALSE(d.rounded);
    CHECK_FALSE(d.clamped);
    const auto r = sp::delay_ticks(1.5, 1.0);  // 1.5 ticks -> 2
    CHECK(r.ticks == 2);
    CHECK(r.rounded);
    const auto longest = sp::delay_ticks(20.0, 0.1);
    CHECK(longest.ticks == 144);
    CHECK(longest.clamped);
    const auto shortest = sp::delay_ticks(0.1, 1.0);  // 0.1 tick rounds to 0, clamped up to 1
    CHECK(shortest.ticks == 1);
    CHECK(shortest.clamped);
    CHECK_FALSE(sp::delay_ticks(14.4, 0.1).clamped);
}

TEST_CASE("the export timestep is dt when SpiNNaker runs it, else the nearer of 0.1 and 1 ms", "[io][spinnaker]") {
    CHECK(sp::choose_timestep(0.1, 0.0) == 0.1);
    CHECK(sp::choose_timestep(1.0, 0.0) == 1.0);
    CHECK(sp::choose_timestep(0.05, 0.0) == 0.1);
    CHECK(sp::choose_timestep(0.25, 0.0) == 0.1);  // below sqrt(0.1) = 0.316
    CHECK(sp::choose_timestep(0.5, 0.0) == 1.0);
    CHECK(sp::choose_timestep(0.1, 1.0) == 1.0);
    REQUIRE_THROWS_WITH(sp::choose_timestep(0.1, 0.2), Contains("--timestep 0.2") && Contains("0.1 or 1.0"));
}
