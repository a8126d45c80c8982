// Pair STDP inside the engine: one pre and one post spike at a controlled interval change the
// weight by the analytic window (ALGORITHMS.md 1.5), and weights stay within bounds.
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using myelin::test::parse;

namespace {

// The pre spike reaches the synapse at t_pre_arrival; the post neuron fires at t_post, made to
// by a large input ("kick"). With delta synapses (input through the rings) the kick fires it in
// the step it arrives; with current synapses (input delivered into the current after the
// update) one step later, so it is sent one step earlier. Returns the final weight.
double weight_after_pair(double t_pre_arrival, double t_post, const std::string& dependence, double w0,
                         bool delta_synapses = true) {
    const double delay = 1.0;  // ms, pre -> post (the plastic synapse)
    const std::string post_model = delta_synapses ? "IF_curr_delta" : "IF_curr_exp";
    const double kick_lead = delta_synapses ? 0.1 : 0.2, kick_weight = delta_synapses ? 50.0 : 500.0;
    // A fast synaptic current, so the kick fires the neuron once and has decayed by the end of
    // the refractory period.
    const std::string fast_synapse = delta_synapses ? "" : ", tau_syn_E = 0.1";
    const std::string toml =
        "[simulation]\ndt = 0.1\nduration = 200.0\n"
        "[[population]]\nname = \"pre\"\nsize = 1\nmodel = \"SpikeSourceArray\"\nparams = { spike_times = [" +
        std::to_string(t_pre_arrival - delay) + "] }\n"
        "[[population]]\nname = \"kick\"\nsize = 1\nmodel = \"SpikeSourceArray\"\nparams = { spike_times = [" +
        std::to_string(t_post - kick_lead) + "] }\n"
        "[[population]]\nname = \"post\"\nsize = 1\nmodel = \"" + post_model + "\"\n"
        "params = { v_rest = 0.0, v_reset = 0.0, v_thresh = 20.0, tau_refrac = 2.0" + fast_synapse + " }\n"
        "[[projection]]\nname = \"kick\"\npre = \"kick\"\npost = \"post\"\nconnect = { rule = \"one_to_one\" }\nweight = " +
        std::to_string(kick_weight) + "\ndelay = 0.1\n"
        "[[projection]]\nname = \"plastic\"\npre = \"pre\"\npost = \"post\"\nconnect = { rule = \"one_to_one\" }\n"
        "weight = " + std::to_string(w0) + "\ndelay = " + std::to_string(delay) + "\n"
        "plasticity = { rule = \"stdp\", weight_dependence = \"" + dependence +
        "\", tau_plus = 16.8, tau_minus = 33.7, A_plus = 0.4, A_minus = 0.3, w_min = 0.0, w_max = 1.0 }\n";
    auto outcome = myelin::test::simulate(parse(toml), 1);
    // The post neuron must have fired exactly once, in the step that ends at t_post.
    REQUIRE(outcome.of("post").size() == 1);
    REQUIRE(outcome.of("post")[0].step == std::llround(t_post / 0.1) - 1);
    return outcome.network.projections.at(1)->connections().weight.at(0);
}

}  // namespace

TEST_CASE("an isolated pair changes the weight by the STDP window", "[learning][stdp]") {
    const double tau_plus = 16.8, tau_minus = 33.7, a_plus = 0.4, a_minus = 0.3, w0 = 0.5;
    for (const double s : {1.0, 5.0, 10.0, 20.0, 40.0}) {
        CAPTURE(s);
        // pre before post: potentiation A_plus*exp(-s/tau_plus)
        const double up = weight_after_pair(50.0, 50.0 + s, "additive", w0) - w0;
        // post before pre: depression A_minus*exp(-s/tau_minus)
        const double down = weight_after_pair(50.0 + s, 50.0, "additive", w0) - w0;
        // Weights are floats: 6e-8 absolute near 0.5, so 1e-5 relative for the smallest changes.
        CHECK(up == Approx(a_plus * std::exp(-s / tau_plus)).epsilon(1e-5));
        CHECK(down == Approx(-a_minus * std::exp(-s / tau_minus)).epsilon(1e-5));
    }
}

TEST_CASE("the window is the same when the post neuron takes input after its update", "[learning][stdp]") {
    // IF_curr_exp: weights are delivered into the synaptic current after the membrane update,
    // and depression runs there, still before the step's post spikes potentiate.
    for (const double s : {5.0, 20.0}) {
        CAPTURE(s);
        const double up = weight_after_pair(50.0, 50.0 + s, "additive", 0.5, false) - 0.5;
        const double down = weight_after_pair(50.0 + s, 50.0, "additive", 0.5, false) - 0.5;
        CHECK(up == Approx(0.4 * std::exp(-s / 16.8)).epsilon(1e-5));
        CHECK(down == Approx(-0.3 * std::exp(-s / 33.7)).epsilon(1e-5));
    }
    CHECK(weight_after_pair(50.0, 50.0, "additive", 0.5, false) - 0.5 == Approx(0.4).epsilon(1e-6));
}

TEST_CASE("a simultaneous pre arrival and post spike counts as potentiation", "[learning][stdp]") {
    CHECK(weight_after_pair(50.0, 50.0, "additive", 0.5) - 0.5 == Approx(0.4).epsilon(1e-6));
}

TEST_CASE("multiplicative STDP scales the change by the distance to the bound", "[learning][stdp]") {
    const double w0 = 0.25, s = 10.0;
    const double up = weight_after_pair(50.0, 50.0 + s, "multiplicative", w0) - w0;
    const double down = weight_after_pair(50.0 + s, 50.0, "multiplicative", w0) - w0;
    CHECK(up == Approx(0.4 * (1.0 - w0) * std::exp(-s / 16.8)).epsilon(1e-5));
    CHECK(down == Approx(-0.3 * w0 * std::exp(-s / 33.7)).epsilon(1e-5));
}

TEST_CASE("weights stay within [w_min, w_max] however many pairs occur", "[learning][stdp]") {
    const std::string toml = R"(
[simulation]
duration = 2000.0
seed = 3
[[population]]
name = "in"
size = 50
model = "SpikeSourcePoisson"
params = { rate = 40.0 }
[[population]]
name = "out"
size = 20
model = "IF_curr_exp"
params = { tau_refrac = 2.0 }
[[projection]]
name = "plastic"
pre = "in"
post = "out"
connect = { rule = "all_to_all" }
weight = { uniform = [0.0, 1.0] }
plasticity = { rule = "stdp", A_plus = 0.2, A_minus = 0.25, w_min = 0.1, w_max = 0.9 }
)";
    auto outcome = myelin::test::simulate(parse(toml), 2);
    REQUIRE(!outcome.of("out").empty());
    const auto weights = outcome.network.projections.at(0)->connections().weight;
    int at_bounds = 0;
    for (const float w : weights) {
        CHECK(w >= 0.1f);
        CHECK(w <= 0.9f);
        at_bounds += (w == 0.1f || w == 0.9f);
    }
    CHECK(at_bounds > 0);  // the bounds were actually hit, so clipping was exercised
}
