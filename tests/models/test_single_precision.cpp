// precision = "single": IF_curr_exp and IF_curr_delta with float state and arithmetic, against
// the closed forms the double models are tested with, and against the double models in a network.
#include "models/lif_curr_delta.hpp"
#include "models/lif_curr_exp.hpp"
#include "sim/snapshot.hpp"
#include "support/one_neuron.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using myelin::models::LifCurrDeltaSingle;
using myelin::models::LifCurrExp;
using myelin::models::LifCurrExpSingle;
using myelin::test::OneNeuron;

TEST_CASE("single precision: a single input spike gives the analytic PSP to float resolution", "[models][lif][precision]") {
    LifCurrExp::Params p;
    p.v_thresh = 1e9;  // never fires
    const double h = 0.1, w = 0.5;
    OneNeuron<LifCurrExpSingle> cell(p, h);
    cell.step(w);
    const double t0 = h, amplitude = w * p.tau_syn_E * p.tau_m / (p.cm * (p.tau_m - p.tau_syn_E));
    double worst = 0.0;
    for (int n = 1; n * h <= 100.0; ++n) {
        cell.step();
        const double t = (n + 1) * h;
        const double expected = amplitude * (std::exp(-(t - t0) / p.tau_m) - std::exp(-(t - t0) / p.tau_syn_E));
        worst = std::max(worst, std::abs(cell.v() - p.v_rest - expected));
    }
    // A step rounds v near -65 mV a few times, each by at most half an ulp (2^-18 mV); while v
    // moves slowly the roundings share their sign, and the membrane forgets them with factor
    // p22 per step, so they add up to at most ~2^-17/(1 - p22) = 1.5e-3 mV (measured: 3.3e-4
    // mV, 1e-4 of the 3.3 mV amplitude). A wrong propagator would miss by a sizeable part of
    // the amplitude.
    const double bound = std::ldexp(1.0, -17) / (1.0 - std::exp(-h / p.tau_m));
    CHECK(worst < bound);
    CHECK(worst > 0.0);  // it is float arithmetic: not the double result
}

TEST_CASE("single precision: constant current fires at the analytic interval", "[models][lif][precision]") {
    LifCurrExp::Params p;
    p.i_offset = 1.0;
    p.tau_refrac = 2.0;
    const double h = 0.1, r_i = p.tau_m / p.cm * p.i_offset;
    const double isi = p.tau_refrac + p.tau_m * std::log(r_i / (r_i - (p.v_thresh - p.v_rest)));
    OneNeuron<LifCurrExpSingle> cell(p, h);
    std::vector<double> times;
    for (int n = 0; n < 2000; ++n)
        if (cell.step()) times.push_back((n + 1) * h);
    REQUIRE(times.size() >= 3);
    for (std::size_t k = 1; k < times.size(); ++k) CHECK(std::abs(times[k] - times[k - 1] - isi) <= h);
}

TEST_CASE("single precision: IF_curr_delta jumps by the weight and relaxes exponentially", "[models][lif][precision]") {
    myelin::models::LifCurrDelta::Params p;
    p.v_thresh = 1e9;
    const double h = 0.1, jump = 2.0;
    OneNeuron<LifCurrDeltaSingle> cell(p, h);
    cell.step(jump);
    CHECK(cell.v() == Approx(p.v_rest + jump).margin(1e-5));
    for (int n = 1; n <= 500; ++n) {
        cell.step();
        CHECK(cell.v() - p.v_rest == Approx(jump * std::exp(-n * h / p.tau_m)).margin(2e-4));
    }
}

TEST_CASE("single precision keeps float columns through a snapshot", "[models][lif][precision]") {
    LifCurrExp::Params p;
    p.i_offset = 1.0;
    myelin::sim::NeuronPopulation<LifCurrExpSingle> a("a", 3, p, 0.1), b("b", 3, p, 0.1);
    a.set_reads_input_ring(false);  // driven by i_offset alone
    b.set_reads_input_ring(false);
    std::vector<std::uint32_t> spikes;
    for (std::int64_t step = 0; step < 57; ++step) a.update({step, 0.1}, 0, 3, spikes);
    myelin::sim::Snapshot snapshot;
    a.save(snapshot, "p");
    CHECK(snapshot.get<float>("p/state/v", 3).size() == 3);  // stored as float, not widened
    b.restore(snapshot, "p");
    for (std::int64_t step = 57; step < 300; ++step) {
        a.update({step, 0.1}, 0, 3, spikes);
        b.update({step, 0.1}, 0, 3, spikes);
        CHECK(a.state()[0].values[0] == b.state()[0].values[0]);
    }
    CHECK(a.state_bytes() < myelin::sim::NeuronPopulation<LifCurrExp>("c", 3, p, 0.1).state_bytes());
}

TEST_CASE("the CUBA network in single precision: same statistics as double, same spikes on 1 and 2 threads",
          "[models][lif][precision][network]") {
    const auto& catalogue = myelin::test::catalogue();
    const std::string cuba = MYELIN_SOURCE_DIR "/experiments/cuba.toml";
    const auto cuba_double = myelin::io::load_config(cuba, {{"simulation.duration=4000"}}, catalogue.models, catalogue.rules);
    const auto cuba_single = myelin::io::load_config(cuba, {{"simulation.duration=4000", "simulation.precision=single"}},
                                                     catalogue.models, catalogue.rules);
    REQUIRE(cuba_single.network.populations[0].precision == myelin::sim::Precision::single_precision);
    auto d = myelin::test::simulate(cuba_double, 1);
    auto s1 = myelin::test::simulate(cuba_single, 1);
    auto s2 = myelin::test::simulate(cuba_single, 2);
    CHECK(s1.of("exc") == s2.of("exc"));
    CHECK(s1.of("inh") == s2.of("inh"));
    CHECK(s1.of("exc") != d.of("exc"));  // float arithmetic really ran
    // Rounding differences make the chaotic network another instance of itself: the rates may
    // differ by the instance-to-instance spread, about 0.25 Hz (exc) and 0.065 Hz (inh) over
    // 10 s (bench/compare_brian2.py, 16 seeds), so ~0.4 and ~0.1 Hz over 4 s; 4 sd allowed.
    const double exc_double = myelin::test::mean_rate_hz(d.of("exc"), 3200, 4.0);
    const double exc_single = myelin::test::mean_rate_hz(s1.of("exc"), 3200, 4.0);
    const double inh_double = myelin::test::mean_rate_hz(d.of("inh"), 800, 4.0);
    const double inh_single = myelin::test::mean_rate_hz(s1.of("inh"), 800, 4.0);
    CHECK(std::abs(exc_single - exc_double) < 1.6);
    CHECK(std::abs(inh_single - inh_double) < 0.4);
    CHECK(std::abs(myelin::test::mean_isi_cv(s1.of("exc"), 3200) - myelin::test::mean_isi_cv(d.of("exc"), 3200)) < 0.1);
}
