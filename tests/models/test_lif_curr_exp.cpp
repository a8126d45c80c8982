// IF_curr_exp against closed forms (ALGORITHMS.md 1.2 acceptance tests).
#include "models/lif_curr_exp.hpp"
#include "models/lif_propagators.hpp"
#include "support/one_neuron.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using myelin::models::LifCurrExp;
using myelin::test::OneNeuron;

namespace {

LifCurrExp::Params no_threshold() {
    LifCurrExp::Params p;
    p.v_thresh = 1e9;  // never fires: pure subthreshold response
    return p;
}

}  // namespace

TEST_CASE("a single input spike gives the analytic PSP at every grid time, for any step", "[models][lif]") {
    const auto p = no_threshold();
    for (const double h : {0.01, 0.1, 1.0}) {
        CAPTURE(h);
        OneNeuron<LifCurrExp> cell(p, h);
        const double w = 0.5;  // nA; exactly representable as the float the ring stores
        cell.step(w);          // arrives in step 0: joins I_ex at t0 = h
        const double t0 = h, amplitude = w * p.tau_syn_E * p.tau_m / (p.cm * (p.tau_m - p.tau_syn_E));
        double worst = 0.0;
        for (int n = 1; n * h <= 100.0; ++n) {
            cell.step();
            const double t = (n + 1) * h;
            const double expected = amplitude * (std::exp(-(t - t0) / p.tau_m) - std::exp(-(t - t0) / p.tau_syn_E));
            worst = std::max(worst, std::abs(cell.v() - p.v_rest - expected));
        }
        // Relative to the PSP's size (the peak is ~0.31*amplitude); exact integration leaves
        // only rounding, far below the 1e-6 the engine issue asks for.
        CHECK(worst < 1e-9 * amplitude);
    }
}

TEST_CASE("a LIF neuron under constant current fires at the analytic interval", "[models][lif]") {
    LifCurrExp::Params p;
    p.i_offset = 1.0;       // nA: R*I = 20 mV, above the 15 mV from rest to threshold
    p.tau_refrac = 2.0;
    const double h = 0.1, r_i = p.tau_m / p.cm * p.i_offset;
    const double isi = p.tau_refrac + p.tau_m * std::log(r_i / (r_i - (p.v_thresh - p.v_rest)));
    OneNeuron<LifCurrExp> cell(p, h);
    std::vector<double> times;
    for (int n = 0; n < 2000; ++n)
        if (cell.step()) times.push_back((n + 1) * h);
    REQUIRE(times.size() >= 3);
    for (std::size_t k = 1; k < times.size(); ++k) CHECK(std::abs(times[k] - times[k - 1] - isi) <= h);
    CHECK(std::abs(times[0] - (isi - p.tau_refrac)) <= h);  // the first one starts from rest, unclamped
}

TEST_CASE("the membrane stays at v_reset for exactly tau_refrac after a spike", "[models][lif]") {
    LifCurrExp::Params p;
    p.tau_refrac = 2.0;
    p.v_reset = -70.0;
    p.i_offset = 2.0;  // strong drive: it would leave v_reset at once if it were not clamped
    const double h = 0.1;
    OneNeuron<LifCurrExp> cell(p, h);
    int spike_step = -1;
    for (int n = 0; n < 1000 && spike_step < 0; ++n)
        if (cell.step()) spike_step = n;
    REQUIRE(spike_step >= 0);
    for (int n = 1; n <= 20; ++n) {  // round(2.0 / 0.1) = 20 clamped steps
        cell.step();
        CHECK(cell.v() == p.v_reset);
    }
    cell.step();
    CHECK(cell.v() > p.v_reset);
}

TEST_CASE("the propagator is continuous as tau_syn approaches tau_m", "[models][lif]") {
    const double h = 0.1, tau_m = 10.0, cm = 0.25;
    const double limit = h / cm * std::exp(-h / tau_m);
    for (const double factor : {1.0 - 1e-9, 1.0, 1.0 + 1e-9}) {
        CAPTURE(factor);
        CHECK(std::abs(myelin::models::current_to_membrane(h, tau_m, tau_m * factor, cm) - limit) < 1e-8 * limit);
    }
    // Far from the limit it is the difference formula itself.
    const double tau_s = 2.0;
    const double direct = tau_s * tau_m / (cm * (tau_m - tau_s)) * (std::exp(-h / tau_m) - std::exp(-h / tau_s));
    CHECK(myelin::models::current_to_membrane(h, tau_m, tau_s, cm) == Approx(direct).epsilon(1e-12));
}

TEST_CASE("IF_curr_exp rejects a non-positive membrane time constant, naming it", "[models][lif]") {
    LifCurrExp::Params p;
    p.tau_m = -5.0;
    REQUIRE_THROWS_WITH(LifCurrExp::validate(p), Catch::Contains("tau_m = -5") && Catch::Contains("> 0"));
    LifCurrExp::Params q;
    q.v_reset = -40.0;
    REQUIRE_THROWS_WITH(LifCurrExp::validate(q), Catch::Contains("v_reset = -40") && Catch::Contains("below v_thresh"));
}
