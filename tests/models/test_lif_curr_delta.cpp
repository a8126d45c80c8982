// IF_curr_delta: voltage jumps, exact decay, and input discarded while refractory (ALGORITHMS.md 1.3).
#include "models/lif_curr_delta.hpp"
#include "support/one_neuron.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using myelin::models::LifCurrDelta;
using myelin::test::OneNeuron;

namespace {

LifCurrDelta::Params brunel() {
    LifCurrDelta::Params p;
    p.v_rest = 0.0;
    p.v_reset = 10.0;
    p.v_thresh = 20.0;
    p.tau_refrac = 2.0;
    return p;
}

}  // namespace

TEST_CASE("a delta input jumps the membrane by its weight, which then decays exactly", "[models][lif_delta]") {
    const auto p = brunel();
    const double h = 0.1;
    OneNeuron<LifCurrDelta> cell(p, h);
    cell.step(0.5);
    CHECK(cell.v() == Approx(0.5).epsilon(1e-12));
    for (int n = 1; n <= 100; ++n) cell.step();
    CHECK(cell.v() == Approx(0.5 * std::exp(-100 * h / p.tau_m)).epsilon(1e-12));
}

TEST_CASE("spike times and refractory discard follow the hand-computed steps", "[models][lif_delta]") {
    const auto p = brunel();  // 2 ms refractory = 20 steps at h = 0.1
    const double h = 0.1;
    SECTION("a jump during the refractory period is discarded") {
        OneNeuron<LifCurrDelta> cell(p, h);
        std::vector<int> spikes;
        for (int n = 0; n < 60; ++n) {
            const double jump = (n == 10 || n == 30) ? 30.0 : 0.0;  // step 30 is the last clamped one
            if (cell.step(jump)) spikes.push_back(n);
        }
        CHECK(spikes == std::vector<int>{10});
    }
    SECTION("the first step after the refractory period integrates input again") {
        OneNeuron<LifCurrDelta> cell(p, h);
        std::vector<int> spikes;
        for (int n = 0; n < 60; ++n) {
            const double jump = (n == 10 || n == 31) ? 30.0 : 0.0;
            if (cell.step(jump)) spikes.push_back(n);
        }
        CHECK(spikes == std::vector<int>{10, 31});
    }
}
