// TessLIF (ALGORITHMS.md 4.2): a hand-computed trajectory with a soft reset, the trainer's own
// layer update (learning/tess_layer.hpp) on random input, and parameter errors.
#include "learning/tess_layer.hpp"
#include "models/tess_lif.hpp"
#include "support/driven_population.hpp"

#include <catch2/catch.hpp>

using myelin::models::TessLif;
using myelin::test::DrivenPopulation;
using myelin::test::random_input;
using Catch::Contains;

TEST_CASE("a TessLIF neuron follows the hand-computed trajectory and keeps the surplus after a spike",
          "[models][tess_lif]") {
    // beta = 0.5, theta = 1: every value below is exact in binary, so equality is exact.
    //   step  input  v before reset        spike  v after
    //   1     0.75   0.75                  no     0.75
    //   2     0.75   0.375 + 0.75 = 1.125  yes    0.125
    //   3     0      0.0625                no     0.0625
    //   4     2.5    2.53125               yes    1.53125  (above theta, but one spike a step)
    //   5     0      0.765625              no     0.765625
    //   6     0.25   0.6328125             no     0.6328125
    const TessLif::Params p{.beta = 0.5, .v_thresh = 1.0};
    DrivenPopulation<TessLif> cell(1, p, 1.0);
    const std::vector<float> input{0.75f, 0.75f, 0.0f, 2.5f, 0.0f, 0.25f};
    const std::vector<double> v{0.75, 0.125, 0.0625, 1.53125, 0.765625, 0.6328125};
    const std::vector<bool> spike{false, true, false, true, false, false};
    for (std::size_t t = 0; t < input.size(); ++t) {
        CAPTURE(t);
        const auto fired = cell.step(std::span<const float>(&input[t], 1));
        CHECK(fired.size() == (spike[t] ? 1u : 0u));
        CHECK(cell.column("v")[0] == v[t]);
    }
}

TEST_CASE("a TessLIF neuron exactly at the threshold spikes and resets to 0, as H(0) = 1 in the trainer",
          "[models][tess_lif]") {
    DrivenPopulation<TessLif> cell(1, TessLif::Params{.beta = 0.5, .v_thresh = 0.75}, 1.0);
    const float input = 0.75f;
    CHECK(cell.step(std::span<const float>(&input, 1)).size() == 1);
    CHECK(cell.column("v")[0] == 0.0);
}

TEST_CASE("TessLIF spikes and membranes equal the TESS trainer's layer update on random input", "[models][tess_lif]") {
    // The trainer's update (tess_layer_step) in double on the same input: an independent
    // implementation of ALGORITHMS.md 4.2, so both must agree exactly, spike by spike.
    const std::size_t neurons = 64, steps = 200;
    myelin::learning::TessNeuron neuron;  // leak 2 (beta = sigmoid(2)), threshold 0.6
    const TessLif::Params p{.beta = neuron.beta(), .v_thresh = neuron.theta()};
    const auto input = random_input(steps, neurons, -0.5, 1.0, 7);
    DrivenPopulation<TessLif> cell(neurons, p, 1.0);
    myelin::learning::TessLayerState<double> state;
    state.reset(1, static_cast<Eigen::Index>(neurons), 1);
    const Eigen::MatrixXd no_input = Eigen::MatrixXd::Zero(1, 1);
    std::size_t spikes = 0;
    for (std::size_t t = 0; t < steps; ++t) {
        Eigen::MatrixXd current(neurons, 1);
        for (std::size_t i = 0; i < neurons; ++i) current(static_cast<Eigen::Index>(i), 0) = input[t][i];
        myelin::learning::tess_layer_step<double>(neuron, {}, current, no_input, state);
        const auto fired = cell.step(input[t], 2);
        std::vector<double> engine_spikes(neurons, 0.0);
        for (const auto i : fired) engine_spikes[i] = 1.0;
        for (std::size_t i = 0; i < neurons; ++i) {
            CAPTURE(t, i);
            REQUIRE(engine_spikes[i] == state.spikes(static_cast<Eigen::Index>(i), 0));
            REQUIRE(cell.column("v")[i] == state.u(static_cast<Eigen::Index>(i), 0));
        }
        spikes += fired.size();
    }
    CHECK(spikes > steps);  // the comparison covered many resets
}

TEST_CASE("TessLIF rejects a decay outside 0 < beta <= 1 or a non-positive threshold, naming key and value",
          "[models][tess_lif]") {
    SECTION("beta") {
        REQUIRE_THROWS_WITH(TessLif::validate({.beta = 1.5}), Contains("beta") && Contains("1.5") && Contains("(0, 1]"));
        REQUIRE_THROWS_WITH(TessLif::validate({.beta = 0.0}), Contains("beta"));
    }
    SECTION("v_thresh") {
        REQUIRE_THROWS_WITH(TessLif::validate({.v_thresh = -0.2}), Contains("v_thresh") && Contains("-0.2"));
    }
}
