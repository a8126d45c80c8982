// AdEx against an independent tight-tolerance integration, and the firing patterns of the
// published parameter sets (Naud, Marcille, Clopath & Gerstner 2008, Table 1 / Fig. 4).
#include "models/adex.hpp"
#include "support/ode_reference.hpp"
#include "support/one_neuron.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

using myelin::models::AdEx;
using myelin::test::OneNeuron;
using myelin::test::ReferenceOde;
using Vector = AdEx::Vector;

namespace {

// The AdEx equations as Brette & Gerstner (2005) write them, with exponential conductances,
// in PyNN units (a in nS), written here apart from the model's code. While refractory, V is
// held at v_reset. Like the model, the exponential's argument stops at v_spike: the
// trajectory below v_spike is the same, and probes past it stay finite.
ReferenceOde<4> reference_system(const AdEx::Params& p, bool refractory) {
    const double g_l = p.cm / p.tau_m;
    return ReferenceOde<4>([p, g_l, refractory](const Vector& x, Vector& dxdt) {
        const double v = refractory ? p.v_reset : x[0];
        const double exponential =
            p.delta_T > 0.0 ? g_l * p.delta_T * std::exp((std::min(v, p.v_spike) - p.v_thresh) / p.delta_T) : 0.0;
        const double current = -g_l * (v - p.v_rest) + exponential - x[1] + x[2] * (p.e_rev_E - v) +
                               x[3] * (p.e_rev_I - v) + p.i_offset;
        dxdt[0] = refractory ? 0.0 : current / p.cm;
        dxdt[1] = (p.a * 1e-3 * (v - p.v_rest) - x[1]) / p.tau_w;
        dxdt[2] = -x[2] / p.tau_syn_E;
        dxdt[3] = -x[3] / p.tau_syn_I;
    });
}

struct Input {
    float exc = 0.0f, inh = 0.0f;  // uS arriving in one step (floats: what the ring holds)
};

struct Run {
    std::vector<double> spike_times;   // ms
    std::vector<double> v;             // mV at the end of each step
};

// The reference run: input of step k joins the conductances at (k+1)*dt, as the engine's does.
Run reference_run(const AdEx::Params& p, double dt, const std::vector<Input>& inputs) {
    const auto free = reference_system(p, false), held = reference_system(p, true);
    const double threshold = p.delta_T > 0.0 ? p.v_spike : p.v_thresh;
    Run run;
    Vector x{p.v_rest, 0.0, 0.0, 0.0};
    double refractory_until = -1.0;
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        const double t_end = static_cast<double>(k + 1) * dt;
        double t = static_cast<double>(k) * dt;
        while (t < t_end) {
            if (refractory_until > t) {
                const double until = std::min(refractory_until, t_end);
                x = held.integrate(x, until - t);
                x[0] = p.v_reset;
                t = until;
                continue;
            }
            const auto crossing = free.to_threshold(x, t_end - t, threshold, dt / 10.0);
            if (!crossing) break;
            t += *crossing;
            run.spike_times.push_back(t);
            x[0] = p.v_reset;
            x[1] += p.b;
            refractory_until = t + p.tau_refrac;
        }
        x[2] += inputs[k].exc;
        x[3] += inputs[k].inh;
        run.v.push_back(x[0]);
    }
    return run;
}

// The model through the engine's population code (OneNeuron), and beside it the same
// arithmetic through AdEx::advance, which also gives each spike's offset within its step.
// The two must agree bit for bit, so the precise times are those of the engine's steps.
Run model_run(const AdEx::Params& p, double dt, const std::vector<Input>& inputs) {
    OneNeuron<AdEx> cell(p, dt);
    const AdEx::Propagators k = AdEx::prepare(p, dt);
    Vector x{p.v_rest, 0.0, 0.0, 0.0};
    double refrac_left = 0.0;
    Run run;
    for (std::size_t n = 0; n < inputs.size(); ++n) {
        const bool spiked = cell.step(inputs[n].exc, inputs[n].inh);
        const Vector start = x;
        const AdEx::StepResult result = AdEx::advance(p, k, x, refrac_left);
        x[2] = k.decay_exc * start[2] + inputs[n].exc;
        x[3] = k.decay_inh * start[3] + inputs[n].inh;
        REQUIRE(spiked == (result.spikes > 0));
        REQUIRE(cell.v() == x[0]);
        if (result.spikes > 0) run.spike_times.push_back(static_cast<double>(n) * dt + result.first_spike);
        run.v.push_back(x[0]);
    }
    return run;
}

// Random excitatory and inhibitory conductance input, fixed seed (so the test is the same on
// every run): Poisson-like arrivals of one weight each.
std::vector<Input> random_input(std::size_t steps, double p_exc, float w_exc, double p_inh, float w_inh) {
    std::mt19937_64 engine(12345);
    std::bernoulli_distribution exc(p_exc), inh(p_inh);
    std::vector<Input> inputs(steps);
    for (auto& in : inputs) {
        if (exc(engine)) in.exc = w_exc;
        if (inh(engine)) in.inh = w_inh;
    }
    return inputs;
}

std::vector<double> intervals(const std::vector<double>& times) {
    std::vector<double> isi;
    for (std::size_t k = 1; k < times.size(); ++k) isi.push_back(times[k] - times[k - 1]);
    return isi;
}

// Naud et al. (2008), Table 1, in PyNN units (pF -> nF, pA -> nA); no refractory period, and
// spikes cut at 0 mV (their V_peak; Brian's reproduction of the figures uses the same).
AdEx::Params naud(double c_pf, double g_l_ns, double e_l, double a_ns, double tau_w, double b_pa,
                  double v_r, double i_pa) {
    AdEx::Params p;
    p.cm = c_pf * 1e-3;
    p.tau_m = c_pf / g_l_ns;
    p.v_rest = e_l;
    p.v_thresh = -50.0;
    p.delta_T = 2.0;
    p.v_spike = 0.0;
    p.a = a_ns;
    p.tau_w = tau_w;
    p.b = b_pa * 1e-3;
    p.v_reset = v_r;
    p.i_offset = i_pa * 1e-3;
    p.tau_refrac = 0.0;
    return p;
}

}  // namespace

TEST_CASE("AdEx steps agree with a tight-tolerance reference integration", "[models][adex]") {
    const double dt = 0.1;
    AdEx::Params p;  // PyNN defaults: v_spike = -40 mV = v_thresh + 5.2 delta_T
    p.i_offset = 0.6;
    p.tau_refrac = 2.0;
    SECTION("PyNN defaults") {}
    SECTION("v_spike at 0 mV (NEST's V_peak): a steep upswing") { p.v_spike = 0.0; }
    // TOOLCHAIN.md: an uncapped exponential with this peak made the step size collapse to NaN.
    SECTION("v_spike at 20 mV (Brette & Gerstner 2005's V_peak)") { p.v_spike = 20.0; }
    SECTION("no refractory period, strong adaptation") {
        p.tau_refrac = 0.0;
        p.b = 0.3;
        p.i_offset = 1.2;
    }
    SECTION("delta_T = 0: the LIF limit with adaptation") {
        p.delta_T = 0.0;
        p.i_offset = 0.8;
    }
    const auto inputs = random_input(5000, 0.1, 1.0f / 256, 0.05, 1.0f / 128);  // 500 ms
    const Run model = model_run(p, dt, inputs), reference = reference_run(p, dt, inputs);
    CAPTURE(p.v_spike, p.tau_refrac, p.delta_T);
    REQUIRE(reference.spike_times.size() >= 10);
    REQUIRE(model.spike_times.size() == reference.spike_times.size());
    double worst_time = 0.0;
    for (std::size_t k = 0; k < model.spike_times.size(); ++k)
        worst_time = std::max(worst_time, std::abs(model.spike_times[k] - reference.spike_times[k]));
    // Issue 3 asks for 1e-3 ms; the stepper's 1e-8 tolerance gives ~1e-6 ms (bench/README.md),
    // so 1e-4 ms leaves a wide margin and still fails on a misplaced reset or refractory end.
    CHECK(worst_time < 1e-4);
    // V away from the upswing (below v_thresh in both): a spike-time error dt_s moves V by
    // dt_s*dV/dt only while V races to the peak, so the comparison leaves the upswing out.
    double worst_v = 0.0;
    for (std::size_t n = 0; n < model.v.size(); ++n)
        if (model.v[n] < p.v_thresh && reference.v[n] < p.v_thresh)
            worst_v = std::max(worst_v, std::abs(model.v[n] - reference.v[n]));
    CHECK(worst_v < 1e-4);  // mV: measured ~5e-6 (1e-8 per step over 5000 steps, and the spike-time error)
}

TEST_CASE("AdEx shows the firing patterns of Naud et al. 2008", "[models][adex]") {
    const double dt = 0.1;
    const std::vector<Input> no_input(5000);  // 500 ms of the constant current alone
    SECTION("tonic spiking: the intervals settle within 10% of the first to a constant value") {
        const auto p = naud(200, 10, -70, 2, 30, 0, -58, 500);
        const Run run = model_run(p, dt, no_input);
        REQUIRE(run.spike_times.size() == reference_run(p, dt, no_input).spike_times.size());
        const auto isi = intervals(run.spike_times);
        REQUIRE(isi.size() >= 20);
        CHECK(isi.back() < 1.1 * isi.front());  // adapting cells (below) grow several-fold
        const auto [lo, hi] = std::minmax_element(isi.end() - 10, isi.end());
        CHECK(*hi - *lo < 1e-3 * *hi);
    }
    SECTION("adaptation: the intervals grow, to several times the first") {
        const auto p = naud(200, 12, -70, 2, 300, 60, -58, 500);
        const Run run = model_run(p, dt, no_input);
        REQUIRE(run.spike_times.size() == reference_run(p, dt, no_input).spike_times.size());
        const auto isi = intervals(run.spike_times);
        REQUIRE(isi.size() >= 5);
        for (std::size_t k = 1; k < isi.size(); ++k) CHECK(isi[k] >= isi[k - 1] - 1e-9);
        CHECK(isi.back() > 3.0 * isi.front());
    }
    SECTION("initial burst: a few short intervals, then regular long ones") {
        const auto p = naud(130, 18, -58, 4, 150, 120, -50, 400);
        const Run run = model_run(p, dt, no_input);
        REQUIRE(run.spike_times.size() == reference_run(p, dt, no_input).spike_times.size());
        const auto isi = intervals(run.spike_times);
        REQUIRE(isi.size() >= 5);
        CHECK(isi.front() < 0.25 * isi.back());
        const auto [lo, hi] = std::minmax_element(isi.end() - 3, isi.end());
        CHECK(*hi - *lo < 0.05 * *hi);  // the tail is tonic
    }
    SECTION("regular bursting: short intervals within bursts, long ones between, repeated") {
        const auto p = naud(200, 10, -58, 2, 120, 100, -46, 210);
        const Run run = model_run(p, dt, no_input);
        REQUIRE(run.spike_times.size() == reference_run(p, dt, no_input).spike_times.size());
        const auto isi = intervals(run.spike_times);
        const double longest = *std::max_element(isi.begin(), isi.end());
        const double shortest = *std::min_element(isi.begin(), isi.end());
        CHECK(longest > 5.0 * shortest);
        // Bursts: intervals under a third of the longest are within a burst.
        const auto between = std::count_if(isi.begin(), isi.end(), [&](double d) { return d > longest / 3.0; });
        const auto within = static_cast<std::ptrdiff_t>(isi.size()) - between;
        CHECK(between >= 3);
        CHECK(within >= between);  // at least two spikes per burst
    }
}

TEST_CASE("AdEx clamps V at v_reset for tau_refrac after a spike, counted from the spike time", "[models][adex]") {
    AdEx::Params p;
    p.i_offset = 2.0;
    p.tau_refrac = 1.25;  // not a multiple of the step: the clamp ends inside a step
    const double dt = 0.1;
    const AdEx::Propagators k = AdEx::prepare(p, dt);
    Vector x{p.v_rest, 0.0, 0.0, 0.0};
    double refrac_left = 0.0, spike_time = -1.0;
    int n = 0;
    for (; n < 1000 && spike_time < 0.0; ++n) {
        const auto result = AdEx::advance(p, k, x, refrac_left);
        if (result.spikes) spike_time = n * dt + result.first_spike;
    }
    REQUIRE(spike_time > 0.0);
    const double release = spike_time + p.tau_refrac;
    for (; (n + 1) * dt <= release; ++n) {
        AdEx::advance(p, k, x, refrac_left);
        CHECK(x[0] == p.v_reset);
    }
    AdEx::advance(p, k, x, refrac_left);  // the step in which the clamp ends
    CHECK(x[0] > p.v_reset);
    CHECK(refrac_left == 0.0);
}

TEST_CASE("AdEx parameters are checked, naming the key and the value", "[models][adex]") {
    SECTION("a non-positive adaptation time constant") {
        AdEx::Params p;
        p.tau_w = -1.0;
        REQUIRE_THROWS_WITH(AdEx::validate(p), Catch::Contains("tau_w = -1") && Catch::Contains("> 0"));
    }
    SECTION("a detection threshold below v_thresh") {
        AdEx::Params p;
        p.v_spike = -55.0;
        REQUIRE_THROWS_WITH(AdEx::validate(p), Catch::Contains("v_spike = -55") && Catch::Contains("above v_thresh"));
    }
    SECTION("a detection threshold so high that the exponential would overflow") {
        AdEx::Params p;
        p.v_spike = 2000.0;
        REQUIRE_THROWS_WITH(AdEx::validate(p), Catch::Contains("v_spike = 2000") && Catch::Contains("delta_T"));
    }
    SECTION("a reset at or above the detection threshold") {
        AdEx::Params p;
        p.v_reset = -40.0;
        REQUIRE_THROWS_WITH(AdEx::validate(p), Catch::Contains("v_reset = -40") && Catch::Contains("below v_spike"));
    }
    SECTION("in a config, the error points at the line and suggests the key") {
        const std::string config = R"([simulation]
duration = 10.0
[[population]]
name = "adex"
size = 10
model = "AdEx"
params = { tau_W = 100.0 }
)";
        REQUIRE_THROWS_WITH(myelin::test::parse(config),
                            Catch::Contains("test.toml:7:") && Catch::Contains("did you mean \"tau_w\""));
        std::string negative = config;
        negative.replace(negative.find("tau_W = 100.0"), 13, "tau_w = -100.0");
        REQUIRE_THROWS_WITH(myelin::test::parse(negative),
                            Catch::Contains("test.toml:7:") && Catch::Contains("tau_w = -100"));
    }
}

TEST_CASE("an AdEx network gives the same spikes on 1 and 2 threads", "[models][adex][determinism]") {
    const auto spec = myelin::test::parse(R"([simulation]
dt = 0.1
duration = 100.0
seed = 7
[[population]]
name = "adex"
size = 100
model = "AdEx"
params = { a = 2.0, b = 0.06, tau_w = 300.0 }
init = { v = { uniform = [-70.0, -52.0] } }
[[population]]
name = "izh"
size = 50
model = "Izhikevich"
params = { a = 0.02, b = 0.2, c = -50.0, d = 2.0 }
[[projection]]
pre = "adex"
post = "adex"
connect = { rule = "fixed_probability", p = 0.05 }
weight = 0.004
delay = 1.0
[[projection]]
pre = "adex"
post = "izh"
connect = { rule = "fixed_probability", p = 0.1 }
weight = 0.5
delay = { uniform = [0.5, 2.0] }
[[poisson_input]]
target = "adex"
rate = 2000.0
weight = 0.002
[[poisson_input]]
target = "izh"
rate = 2000.0
weight = 1.0
)");
    auto one = myelin::test::simulate(spec, 1);
    auto two = myelin::test::simulate(spec, 2);
    REQUIRE(one.of("adex").size() > 100);
    REQUIRE(one.of("izh").size() > 50);
    CHECK(one.of("adex") == two.of("adex"));
    CHECK(one.of("izh") == two.of("izh"));
}

TEST_CASE("experiments/adex.toml is a valid config", "[models][adex]") {
    std::ifstream in(MYELIN_SOURCE_DIR "/experiments/adex.toml");
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    const auto spec = myelin::test::parse(text.str());
    CHECK(spec.network.populations.size() == 2);
}
