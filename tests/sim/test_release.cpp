// Unreliable synapses (release_probability, NEST's bernoulli_synapse): the fraction of events
// transmitted is binomial with the configured probability, and the same events fail on any
// thread count.
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using myelin::test::parse;

namespace {

// 200 sources firing in every step of 100 ms (1000 steps) into 50 delta neurons, all to all,
// weights 0: the engine's event counter counts the events transmitted.
std::string network(const std::string& delay, double p) {
    std::string times = "[";
    for (int k = 0; k < 1000; ++k) times += (k ? ", " : "") + std::to_string(0.1 * k + 0.05);
    times += "]";
    return R"(
[simulation]
duration = 100.0
seed = 3
[[population]]
name = "src"
size = 200
model = "SpikeSourceArray"
params = { spike_times = )" + times + R"( }
[[population]]
name = "post"
size = 50
model = "IF_curr_exp"
[[projection]]
name = "p"
pre = "src"
post = "post"
connect = { rule = "all_to_all" }
weight = 0.0
delay = )" + delay + R"(
release_probability = )" + std::to_string(p) + "\n";
}

}  // namespace

TEST_CASE("each synaptic event is transmitted with the release probability", "[sim][release]") {
    for (const std::string delay : {"0.1", "{ uniform = [0.1, 2.0] }"}) {  // direct and ring delivery
        for (const double p : {0.0, 0.1, 0.5, 0.85, 1.0}) {
            CAPTURE(delay, p);
            const auto run = parse(network(delay, p));
            auto one = myelin::test::simulate(run, 1);
            const auto& projection = *one.network.projections.at(0);
            // The events offered are those the same network transmits with p = 1.
            auto all = myelin::test::simulate(parse(network(delay, 1.0)), 1);
            const double offered = static_cast<double>(all.network.projections.at(0)->events());
            const double sent = static_cast<double>(projection.events());
            REQUIRE(offered > 5e6);
            if (p == 0.0) CHECK(sent == 0.0);
            else if (p == 1.0) CHECK(sent == offered);
            else CHECK(std::abs(sent - p * offered) < 5.0 * std::sqrt(offered * p * (1.0 - p)));  // 5 sigma
            auto two = myelin::test::simulate(run, 2);
            CHECK(two.network.projections.at(0)->events() == projection.events());
        }
    }
}

TEST_CASE("the release draws do not depend on the thread count", "[sim][release]") {
    // Spikes, not only counts: a driven network whose input fails at random.
    auto run = parse(network("{ uniform = [0.1, 2.0] }", 0.3), {"projection.p.weight=0.2", "simulation.duration=50"});
    auto one = myelin::test::simulate(run, 1);
    auto two = myelin::test::simulate(run, 2);
    REQUIRE(one.of("post").size() > 100);
    CHECK(one.of("post") == two.of("post"));
    auto reliable = myelin::test::simulate(parse(network("{ uniform = [0.1, 2.0] }", 1.0), {"projection.p.weight=0.2", "simulation.duration=50"}), 1);
    CHECK(reliable.of("post").size() > one.of("post").size());
}

TEST_CASE("release_probability is checked", "[sim][release]") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_WITH(parse(network("0.1", 1.5)), Contains("release_probability") && Contains("must be within [0, 1]"));
}
