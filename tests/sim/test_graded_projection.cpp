// Graded projections (transmit = state variable; sim/graded_projection.hpp) and periodic state
// resets (reset = trials): the arithmetic against closed forms, the same results on 1 and 2
// threads, and config errors that name file:line:column and the key.
#include "io/nir_export.hpp"
#include "io/pynn_plan.hpp"
#include "support/replace_once.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

using myelin::test::parse;
using Catch::Contains;

namespace {

// pre: Integrators with i_offset a_i, so after step k their v is (k + 1) a_i. post: an
// Integrator fed by a graded projection from pre's v with weight w and delay d.
const std::string graded = R"([simulation]
dt = 1.0
duration = 20.0
[[population]]
name = "pre"
size = 3
model = "Integrator"
params = { i_offset = 0.5 }
init = { v = 0.0 }
[[population]]
name = "post"
size = 2
model = "Integrator"
[[projection]]
pre = "pre"
post = "post"
connect = { rule = "all_to_all" }
weight = 0.25
delay = 3.0
transmit = "v"
)";

// The post neuron's v after every step.
std::vector<double> post_trace(const myelin::io::RunSpec& run, int threads) {
    const auto& catalogue = myelin::test::catalogue();
    myelin::sim::Network network = myelin::sim::build(run.network, catalogue.models, catalogue.rules, threads);
    struct Trace final : myelin::sim::Recorder {
        std::vector<double> v;
        void after_step(const myelin::sim::Network& n, std::int64_t, std::span<const myelin::sim::SpikeLists>) override {
            v.push_back(n.populations[n.population_index("post")]->state().front().values[1]);
        }
    } trace;
    myelin::sim::Simulation(network).run(std::llround(run.duration / run.network.dt), &trace);
    return trace.v;
}

}  // namespace

TEST_CASE("a graded projection carries weight times the pre value of the step one delay earlier", "[sim][graded]") {
    // Post receives in step k the value pre had after step k - d, (k - d + 1) a, from each of
    // the 3 pre neurons: after step K its v is 3 w a (K - d + 1)(K - d + 2) / 2 for K >= d.
    const auto v = post_trace(parse(graded), 2);
    REQUIRE(v.size() == 20);
    const double w = 0.25, a = 0.5;
    const int d = 3;
    for (int k = 0; k < 20; ++k) {
        const double expected = k < d ? 0.0 : 3.0 * w * a * (k - d + 1) * (k - d + 2) / 2.0;
        CAPTURE(k);
        CHECK(v[static_cast<std::size_t>(k)] == Approx(expected).epsilon(1e-12));  // exact in binary (float products)
    }
    CHECK(post_trace(parse(graded), 1) == v);  // Determinism: exact
}

TEST_CASE("a periodic reset sets the named variables at start, start + every, ... before the update", "[sim][graded]") {
    // Integrator with i_offset 1: v counts the steps since the last reset, that step included.
    const auto run = parse(myelin::test::replace_once(graded, "model = \"Integrator\"\n[[projection]]",
                                                      "model = \"Integrator\"\nparams = { i_offset = 1.0 }\n"
                                                      "reset = { every = 5.0, start = 3.0, values = { v = 0.0 } }\n"
                                                      "[[projection]]"));
    const auto v = post_trace(run, 2);
    // The graded input adds 3*0.25*(k - 2)*0.5 from step 3 on; subtract it to see the counter.
    for (int k = 0; k < 20; ++k) {
        double input = 0.0;  // graded input since the last reset (or the start)
        const int since = k < 3 ? 0 : 3 + (k - 3) / 5 * 5;
        for (int j = std::max(since, 3); j <= k; ++j) input += 3.0 * 0.25 * 0.5 * (j - 2);
        const double counter = k < 3 ? k + 1 : (k - 3) % 5 + 1;
        CAPTURE(k);
        CHECK(v[static_cast<std::size_t>(k)] == Approx(counter + input).epsilon(1e-12));
    }
}

TEST_CASE("graded projections and resets reject bad values naming file:line and the key", "[sim][graded][io]") {
    using myelin::test::replace_once;
    SECTION("transmit names no state variable of the pre model") {
        REQUIRE_THROWS_WITH(parse(replace_once(graded, "transmit = \"v\"", "transmit = \"vv\"")),
                            Contains("test.toml:20:") && Contains("\"vv\" is not a state variable of Integrator") &&
                                Contains("did you mean \"v\""));
    }
    SECTION("a graded projection cannot be plastic") {
        REQUIRE_THROWS_WITH(parse(replace_once(graded, "transmit = \"v\"",
                                               "transmit = \"v\"\nplasticity = { rule = \"stdp\" }")),
                            Contains("test.toml:20:") && Contains("cannot be plastic"));
    }
    SECTION("reset names an unknown variable") {
        REQUIRE_THROWS_WITH(parse(replace_once(graded, "init = { v = 0.0 }",
                                               "reset = { every = 2.0, values = { w = 0.0 } }")),
                            Contains("test.toml:9:") && Contains("\"w\" is not a state variable of Integrator"));
    }
    SECTION("reset every is not a whole number of steps") {
        REQUIRE_THROWS_WITH(parse(replace_once(graded, "init = { v = 0.0 }",
                                               "reset = { every = 2.5, values = { v = 0.0 } }")),
                            Contains("test.toml:9:") && Contains("reset.every = 2.5") && Contains("whole number of steps"));
    }
    SECTION("reset has a misspelt key") {
        REQUIRE_THROWS_WITH(parse(replace_once(graded, "init = { v = 0.0 }",
                                               "reset = { evry = 2.0, values = { v = 0.0 } }")),
                            Contains("test.toml:9:") && Contains("did you mean \"every\""));
    }
}

TEST_CASE("SpiNNaker and NIR export refuse graded projections and periodic resets by name", "[sim][graded][export]") {
    // Models both exporters map (IF_curr_delta), so only the graded projection or the reset is new.
    const std::string text = R"([simulation]
dt = 0.1
duration = 10.0
[[population]]
name = "a"
size = 2
model = "IF_curr_delta"
[[population]]
name = "b"
size = 2
model = "IF_curr_delta"
[[projection]]
name = "a_to_b"
pre = "a"
post = "b"
connect = { rule = "all_to_all" }
weight = 0.1
)";
    const auto& catalogue = myelin::test::catalogue();
    const auto refused = [&](const myelin::io::RunSpec& run, const std::string& what) {
        const myelin::sim::Network network = myelin::sim::build(run.network, catalogue.models, catalogue.rules, 1);
        REQUIRE_THROWS_WITH(myelin::io::to_nir(run, network, catalogue.models, {}), Contains(what));
        REQUIRE_THROWS_WITH(myelin::io::plan_pynn_export(run, network, catalogue.models, catalogue.rules, {0.0, 0, true}),
                            Contains(what));
    };
    SECTION("graded") { refused(parse(text + "transmit = \"v\"\n"), "projection \"a_to_b\": "); }
    SECTION("reset") {
        refused(parse(myelin::test::replace_once(text, "model = \"IF_curr_delta\"\n[[projection]]",
                                                 "model = \"IF_curr_delta\"\nreset = { every = 1.0, values = { v = 0.0 } }\n"
                                                 "[[projection]]")),
                "population \"b\": ");
    }
    // Without either, both export the network (so the refusals above are about them).
    const auto plain = parse(text);
    const myelin::sim::Network network = myelin::sim::build(plain.network, catalogue.models, catalogue.rules, 1);
    CHECK_NOTHROW(myelin::io::to_nir(plain, network, catalogue.models, {}));
    CHECK_NOTHROW(myelin::io::plan_pynn_export(plain, network, catalogue.models, catalogue.rules, {0.0, 0, false}));
}
