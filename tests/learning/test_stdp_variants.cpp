// Pair-STDP variants in the engine: nearest-spike and all-to-all pairing, additive,
// multiplicative and soft-bound weight dependence (ALGORITHMS.md 1.5; docs/learning.md). The
// expected weights come from pair sums over the spike times (a second implementation that uses
// no traces) and, for the protocols where pairing matters, from closed forms written out here.
#include "io/pynn_plan.hpp"
#include "support/simulate.hpp"

#include "support/replace_once.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

using myelin::test::parse;
using Catch::Contains;

namespace {

struct Rule {
    std::string pairing = "all_to_all", dependence = "additive";
    double tau_plus = 16.8, tau_minus = 33.7, A_plus = 0.1, A_minus = 0.12, w_min = 0.0, w_max = 1.0;
    double mu = 0.5;  // soft_bound only
};

std::string plasticity_table(const Rule& r) {
    std::ostringstream out;
    out.precision(17);
    out << "{ rule = \"stdp\", weight_dependence = \"" << r.dependence << "\", pairing = \"" << r.pairing
        << "\", tau_plus = " << r.tau_plus << ", tau_minus = " << r.tau_minus << ", A_plus = " << r.A_plus
        << ", A_minus = " << r.A_minus << ", w_min = " << r.w_min << ", w_max = " << r.w_max;
    if (r.dependence == "soft_bound") out << ", mu = " << r.mu;
    out << " }";
    return out.str();
}

std::string time_list(const std::vector<double>& times) {
    std::ostringstream out;
    out.precision(17);
    out << "[";
    for (std::size_t k = 0; k < times.size(); ++k) out << (k ? ", " : "") << times[k];
    return out.str() + "]";
}

// F_plus(w) and F_minus(w) of ALGORITHMS.md 1.5 for the three weight dependences.
double f_plus(const Rule& r, double w) {
    if (r.dependence == "additive") return r.A_plus;
    if (r.dependence == "multiplicative") return r.A_plus * (r.w_max - w);
    return r.A_plus * std::pow(std::max(0.0, r.w_max - w), r.mu);
}
double f_minus(const Rule& r, double w) {
    if (r.dependence == "additive") return r.A_minus;
    if (r.dependence == "multiplicative") return r.A_minus * (w - r.w_min);
    return r.A_minus * std::pow(std::max(0.0, w - r.w_min), r.mu);
}

// The final weight from the pairs themselves, event by event in time order (pre arrivals before
// post spikes at equal times, so a simultaneous pair potentiates): a post spike at t adds
// F_plus(w) times the sum over paired pre arrivals t_j <= t of exp(-(t - t_j)/tau_plus); a pre
// arrival at t subtracts F_minus(w) times the sum over paired post spikes t_i < t of
// exp(-(t - t_i)/tau_minus). All-to-all pairs with every earlier spike; nearest with the latest.
double reference_weight(const Rule& r, double w, const std::vector<double>& pre, const std::vector<double>& post) {
    struct Event { double t; bool is_post; };
    std::vector<Event> events;
    for (const double t : pre) events.push_back({t, false});
    for (const double t : post) events.push_back({t, true});
    std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
        return a.t < b.t || (a.t == b.t && !a.is_post && b.is_post);
    });
    const bool nearest = r.pairing == "nearest";
    std::vector<double> pre_seen, post_seen;
    for (const Event& e : events) {
        const auto& partners = e.is_post ? pre_seen : post_seen;
        const double tau = e.is_post ? r.tau_plus : r.tau_minus;
        double sum = 0.0;
        if (nearest && !partners.empty()) sum = std::exp(-(e.t - partners.back()) / tau);
        if (!nearest)
            for (const double t : partners) sum += std::exp(-(e.t - t) / tau);
        w = e.is_post ? w + f_plus(r, w) * sum : w - f_minus(r, w) * sum;
        w = std::clamp(w, r.w_min, r.w_max);
        (e.is_post ? post_seen : pre_seen).push_back(e.t);
    }
    return w;
}

// One plastic synapse per pre source; `pre[j]` lists the times source j's spikes reach its
// synapse, `post` the times the post neuron fires (a strong "kick" makes it fire in the step
// that ends there; the plastic weights, at most w_max = 1 mV each, never make it fire). dt =
// 0.1 ms; spike times are on the grid. Returns the final weights.
std::vector<float> engine_weights(const Rule& r, double w0, const std::vector<std::vector<double>>& pre,
                                  const std::vector<double>& post, double duration, int threads = 1) {
    const double delay = 1.0;  // ms, pre -> post
    std::vector<std::vector<double>> emitted = pre;
    for (auto& list : emitted)
        for (double& t : list) t -= delay;
    std::ostringstream pre_lists;
    pre_lists << "[";
    for (std::size_t j = 0; j < emitted.size(); ++j) pre_lists << (j ? ", " : "") << time_list(emitted[j]);
    pre_lists << "]";
    std::vector<double> kicks = post;
    for (double& t : kicks) t -= 0.1;  // IF_curr_delta: the kick fires the neuron in the step it arrives
    std::ostringstream toml;
    toml.precision(17);
    toml << "[simulation]\ndt = 0.1\nduration = " << duration << "\n"
         << "[[population]]\nname = \"pre\"\nsize = " << pre.size()
         << "\nmodel = \"SpikeSourceArray\"\nparams = { spike_times = " << pre_lists.str() << " }\n"
         << "[[population]]\nname = \"kick\"\nsize = 1\nmodel = \"SpikeSourceArray\"\nparams = { spike_times = "
         << time_list(kicks) << " }\n"
         << "[[population]]\nname = \"post\"\nsize = 1\nmodel = \"IF_curr_delta\"\n"
         << "params = { v_rest = 0.0, v_reset = 0.0, v_thresh = 20.0, tau_refrac = 2.0 }\n"
         << "[[projection]]\nname = \"kick\"\npre = \"kick\"\npost = \"post\"\nconnect = { rule = \"one_to_one\" }\n"
         << "weight = 100.0\ndelay = 0.1\n"
         << "[[projection]]\nname = \"plastic\"\npre = \"pre\"\npost = \"post\"\nconnect = { rule = \"all_to_all\" }\n"
         << "weight = " << w0 << "\ndelay = " << delay << "\nplasticity = " << plasticity_table(r) << "\n";
    auto outcome = myelin::test::simulate(parse(toml.str()), threads);
    // The post neuron fired exactly at the requested times.
    const auto& fired = outcome.of("post");
    REQUIRE(fired.size() == post.size());
    for (std::size_t k = 0; k < post.size(); ++k) REQUIRE(fired[k].step == std::llround(post[k] / 0.1) - 1);
    return outcome.network.projections.at(1)->connections().weight;
}

double engine_weight(const Rule& r, double w0, const std::vector<double>& pre, const std::vector<double>& post) {
    return engine_weights(r, w0, {pre}, post, std::max(pre.back(), post.back()) + 10.0).at(0);
}

// Weights are floats (6e-8 absolute near 0.5) rounded once per update; the engine's trace decay
// is a product of two tabulated exponentials. 1e-6 absolute covers both with a wide margin and is
// still 1000 times below the smallest pair change the protocols contain.
constexpr double weight_margin = 1e-6;

}  // namespace

TEST_CASE("every pairing and weight dependence gives the weight of its pair sums", "[learning][stdp_variants]") {
    // Pre-pre-post, post-post-pre, a simultaneous pair and lone pairs at several intervals.
    const std::vector<double> pre{20.0, 28.0, 71.0, 90.0, 131.0};
    const std::vector<double> post{33.0, 55.0, 64.0, 90.0, 112.0, 119.0};
    for (const std::string pairing : {"all_to_all", "nearest"})
        for (const std::string dependence : {"additive", "multiplicative", "soft_bound"})
            for (const double w0 : {0.2, 0.5, 0.8}) {
                CAPTURE(pairing, dependence, w0);
                Rule r;
                r.pairing = pairing;
                r.dependence = dependence;
                const double expected = reference_weight(r, w0, pre, post);
                CHECK(engine_weight(r, w0, pre, post) == Approx(expected).margin(weight_margin));
                // The protocol is one where the weight moves and the two pairings disagree.
                CHECK(std::abs(expected - w0) > 1e-3);
                Rule other = r;
                other.pairing = pairing == "nearest" ? "all_to_all" : "nearest";
                CHECK(std::abs(expected - reference_weight(other, w0, pre, post)) > 1e-3);
            }
}

TEST_CASE("an isolated pair gives the closed-form change for every pairing and dependence", "[learning][stdp_variants]") {
    // One pre and one post spike: the two pairings agree, dw = F(w0) exp(-|s|/tau) (1.5 test 3).
    const double w0 = 0.3, mu = 0.7;
    for (const std::string pairing : {"all_to_all", "nearest"})
        for (const double s : {1.0, 7.5, 20.0, -1.0, -7.5, -20.0}) {
            CAPTURE(pairing, s);
            Rule r;
            r.pairing = pairing;
            r.mu = mu;
            const std::vector<double> pre{50.0}, post{50.0 + s};
            const double up = std::exp(-s / r.tau_plus), down = std::exp(s / r.tau_minus);
            r.dependence = "additive";
            CHECK(engine_weight(r, w0, pre, post) - w0 ==
                  Approx(s > 0 ? r.A_plus * up : -r.A_minus * down).margin(weight_margin));
            r.dependence = "multiplicative";
            CHECK(engine_weight(r, w0, pre, post) - w0 ==
                  Approx(s > 0 ? r.A_plus * (1.0 - w0) * up : -r.A_minus * w0 * down).margin(weight_margin));
            r.dependence = "soft_bound";
            CHECK(engine_weight(r, w0, pre, post) - w0 ==
                  Approx(s > 0 ? r.A_plus * std::pow(1.0 - w0, mu) * up : -r.A_minus * std::pow(w0, mu) * down)
                      .margin(weight_margin));
        }
}

TEST_CASE("nearest and all-to-all pairing differ exactly by the pairs nearest leaves out", "[learning][stdp_variants]") {
    Rule all, nearest;
    nearest.pairing = "nearest";
    const double w0 = 0.5;
    SECTION("pre, pre, post: all-to-all also pairs the post spike with the first pre spike") {
        const std::vector<double> pre{10.0, 20.0}, post{25.0};
        const double a = engine_weight(all, w0, pre, post), n = engine_weight(nearest, w0, pre, post);
        CHECK(a - w0 == Approx(0.1 * (std::exp(-15.0 / 16.8) + std::exp(-5.0 / 16.8))).margin(weight_margin));
        CHECK(n - w0 == Approx(0.1 * std::exp(-5.0 / 16.8)).margin(weight_margin));
        CHECK(a - n == Approx(0.1 * std::exp(-15.0 / 16.8)).margin(weight_margin));
    }
    SECTION("post, post, pre: all-to-all also pairs the pre spike with the first post spike") {
        const std::vector<double> pre{25.0}, post{10.0, 20.0};
        const double a = engine_weight(all, w0, pre, post), n = engine_weight(nearest, w0, pre, post);
        CHECK(a - w0 == Approx(-0.12 * (std::exp(-15.0 / 33.7) + std::exp(-5.0 / 33.7))).margin(weight_margin));
        CHECK(n - w0 == Approx(-0.12 * std::exp(-5.0 / 33.7)).margin(weight_margin));
        CHECK(n - a == Approx(0.12 * std::exp(-15.0 / 33.7)).margin(weight_margin));
    }
    SECTION("pre, post, post: both post spikes pair with the one pre spike in either scheme") {
        const std::vector<double> pre{10.0}, post{15.0, 30.0};
        const double expected = 0.1 * (std::exp(-5.0 / 16.8) + std::exp(-20.0 / 16.8));
        CHECK(engine_weight(all, w0, pre, post) - w0 == Approx(expected).margin(weight_margin));
        CHECK(engine_weight(nearest, w0, pre, post) - w0 == Approx(expected).margin(weight_margin));
    }
}

TEST_CASE("the engine's STDP window matches the analytic window for every dependence", "[learning][stdp_variants]") {
    // 201 synapses, one pre spike each, at s = t_post - t_pre from -50 to +50 ms in 0.5 ms steps,
    // and one post spike: each synapse sees one isolated pair, so one run traces the whole curve.
    const double t_post = 100.0, w0 = 0.1;
    std::vector<double> offsets;
    for (int k = -100; k <= 100; ++k) offsets.push_back(0.5 * k);
    std::vector<std::vector<double>> pre;
    for (const double s : offsets) pre.push_back({t_post - s});
    for (const std::string pairing : {"all_to_all", "nearest"})
        for (const std::string dependence : {"additive", "multiplicative", "soft_bound"}) {
            CAPTURE(pairing, dependence);
            Rule r;
            r.pairing = pairing;
            r.dependence = dependence;
            // Small: 201 inputs of at most ~0.11 mV (2 per ms, tau_m = 20 ms) keep v below ~5 mV,
            // far from the 20 mV threshold, so only the kick fires the post neuron.
            r.A_plus = 0.01;
            r.A_minus = 0.012;
            const auto w = engine_weights(r, w0, pre, {t_post}, 200.0);
            REQUIRE(w.size() == offsets.size());
            for (std::size_t j = 0; j < offsets.size(); ++j) {
                const double s = offsets[j];
                const double window = s >= 0.0 ? f_plus(r, w0) * std::exp(-s / r.tau_plus)
                                               : -f_minus(r, w0) * std::exp(s / r.tau_minus);
                CAPTURE(s);
                CHECK(w[j] - w0 == Approx(window).margin(weight_margin));
            }
        }
}

TEST_CASE("soft bounds with mu = 0 and mu = 1 are the additive and multiplicative rules", "[learning][stdp_variants]") {
    // Guetig et al.'s family spans the two: the same protocol must give the same float weights.
    const std::vector<double> pre{20.0, 28.0, 71.0, 90.0}, post{33.0, 55.0, 64.0, 90.0};
    for (const std::string pairing : {"all_to_all", "nearest"}) {
        CAPTURE(pairing);
        Rule soft, plain;
        soft.pairing = plain.pairing = pairing;
        soft.dependence = "soft_bound";
        soft.mu = 0.0;
        plain.dependence = "additive";
        CHECK(engine_weight(soft, 0.5, pre, post) == engine_weight(plain, 0.5, pre, post));
        soft.mu = 1.0;
        plain.dependence = "multiplicative";
        CHECK(engine_weight(soft, 0.5, pre, post) == engine_weight(plain, 0.5, pre, post));
    }
}

TEST_CASE("soft-bound weights slow down near the bound where additive ones hit it", "[learning][stdp_variants]") {
    // 20 pre-post pairs 1 ms apart: additive steps of 0.047 carry 0.5 to w_max; soft-bound steps
    // 0.047*sqrt(w_max - w) shrink on the way (a step reaches the bound only once the distance is
    // below 0.047^2, which 20 steps from 0.5 do not get to: sqrt of the distance falls by about
    // 0.0235 per pair, from 0.71 to about 0.24).
    std::vector<double> pre, post;
    for (int k = 0; k < 20; ++k) {
        pre.push_back(20.0 + 10.0 * k);
        post.push_back(21.0 + 10.0 * k);
    }
    Rule r;
    r.pairing = "nearest";  // each post spike pairs with one pre spike: steps of 0.05*exp(-1/16.8)
    r.A_plus = 0.05;
    r.A_minus = 0.0;
    r.dependence = "additive";
    CHECK(engine_weight(r, 0.5, pre, post) == 1.0f);
    r.dependence = "soft_bound";
    const double w = engine_weight(r, 0.5, pre, post);
    CHECK(w < 0.97);
    CHECK(w > 0.9);
    CHECK(w == Approx(reference_weight(r, 0.5, pre, post)).margin(weight_margin));
}

TEST_CASE("nearest pairing and soft bounds give the same weights on 1 and 2 threads", "[learning][stdp_variants]") {
    for (const std::string dependence : {"soft_bound", "additive"}) {
        CAPTURE(dependence);
        auto spec = myelin::test::every_path_network(300.0);
        for (auto& p : spec.network.projections)
            if (p.plasticity) {
                p.plasticity->pairing = "nearest";
                p.plasticity->weight_dependence = dependence;
                if (dependence == "soft_bound") p.plasticity->params["mu"] = 0.3;
            }
        auto one = myelin::test::simulate(spec, 1);
        auto two = myelin::test::simulate(spec, 2);
        REQUIRE(one.spikes == two.spikes);
        REQUIRE(!one.of("exc").empty());
        for (std::size_t k = 0; k < one.network.projections.size(); ++k) {
            const auto a = one.network.projections[k]->connections(), b = two.network.projections[k]->connections();
            CHECK(a.weight == b.weight);
        }
    }
}

TEST_CASE("pairing and soft-bound keys are validated with file:line:column", "[learning][stdp_variants]") {
    const std::string valid = R"([simulation]
duration = 10.0
[[population]]
name = "a"
size = 2
model = "IF_curr_exp"
[[projection]]
pre = "a"
post = "a"
connect = { rule = "all_to_all" }
weight = 0.1
plasticity = { rule = "stdp", weight_dependence = "soft_bound", pairing = "nearest", mu = 0.5 }
)";
    const auto with = [&](const std::string& from, const std::string& to) { return myelin::test::replace_once(valid, from, to); };
    REQUIRE_NOTHROW(parse(valid));
    SECTION("misspelt pairing") {
        REQUIRE_THROWS_WITH(parse(with("\"nearest\"", "\"nearset\"")),
                            Contains("test.toml:12:") && Contains("pairing \"nearset\"") &&
                                Contains("did you mean \"nearest\"") && Contains("all_to_all"));
    }
    SECTION("pairing of the wrong type") {
        REQUIRE_THROWS_WITH(parse(with("\"nearest\"", "1")), Contains("test.toml:12:") && Contains("pairing must be a string"));
    }
    SECTION("negative mu") {
        REQUIRE_THROWS_WITH(parse(with("mu = 0.5", "mu = -0.5")),
                            Contains("test.toml:12:") && Contains("mu = -0.5 must be >= 0"));
    }
    SECTION("mu on a weight dependence without it") {
        REQUIRE_THROWS_WITH(parse(with("\"soft_bound\"", "\"additive\"")),
                            Contains("test.toml:12:") && Contains("unknown parameter \"mu\""));
    }
    SECTION("misspelt weight dependence") {
        REQUIRE_THROWS_WITH(parse(with("\"soft_bound\"", "\"soft_bounds\"")),
                            Contains("test.toml:12:") && Contains("did you mean \"soft_bound\""));
    }
}

TEST_CASE("SpiNNaker export refuses nearest pairing and soft bounds, or exports them static", "[learning][stdp_variants]") {
    const auto& catalogue = myelin::test::catalogue();
    auto spec = myelin::test::every_path_network(10.0);
    for (auto& p : spec.network.projections)
        if (p.plasticity) p.plasticity->pairing = "nearest";
    const auto network = myelin::sim::build(spec.network, catalogue.models, catalogue.rules, 1);
    REQUIRE_THROWS_WITH(myelin::io::plan_pynn_export(spec, network, catalogue.models, catalogue.rules, {}),
                        Contains("projection \"ee\"") && Contains("stdp/additive, pairing nearest") &&
                            Contains("--approximate"));
    const auto plan = myelin::io::plan_pynn_export(spec, network, catalogue.models, catalogue.rules, {0.0, 0, true});
    std::string report;
    for (const auto& line : plan.report) report += line + "\n";
    CHECK_THAT(report, Contains("exported static with its current weights"));
}

TEST_CASE("the shipped nearest/soft-bound/homeostasis experiment is a valid config", "[learning][stdp_variants]") {
    std::ifstream in(MYELIN_SOURCE_DIR "/experiments/stdp_nearest.toml");
    std::ostringstream text;
    text << in.rdbuf();
    const auto spec = parse(text.str());
    const auto& plastic = spec.network.projections.at(0).plasticity;
    REQUIRE(plastic);
    CHECK(plastic->pairing == "nearest");
    CHECK(plastic->weight_dependence == "soft_bound");
    CHECK(spec.network.populations.at(1).homeostasis.has_value());
}
