// The same config and seed give bit-identical spikes and weights on any thread count.
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using myelin::test::parse;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("spikes and learned weights are identical on 1, 2 and 3 threads", "[sim][determinism]") {
    // A smaller CUBA with STDP on E->E, a Poisson source and Poisson input: every random and
    // every order-sensitive path of the step loop.
    std::string config = read_file(MYELIN_SOURCE_DIR "/experiments/stdp.toml");
    const std::vector<std::string> changes{
        "simulation.duration=300", "population.exc.size=800", "population.inh.size=200",
        "projection.ee.connect.p=0.08", "projection.ei.connect.p=0.08", "projection.ie.connect.p=0.08",
        "projection.ii.connect.p=0.08"};
    config += R"(
[[population]]
name = "noise"
size = 40
model = "SpikeSourcePoisson"
params = { rate = 20.0 }
[[projection]]
name = "noise_exc"
pre = "noise"
post = "exc"
connect = { rule = "fixed_probability", p = 0.1 }
weight = { normal = [0.01, 0.005], clip = [0.0, 0.05] }
delay = { uniform = [0.1, 2.0] }
[[poisson_input]]
target = "inh"
rate = 500.0
weight = 0.01
)";
    const auto run = parse(config, changes);
    auto one = myelin::test::simulate(run, 1);
    REQUIRE(one.of("exc").size() > 300);  // active enough that every path runs
    for (const int threads : {2, 3}) {
        CAPTURE(threads);
        auto many = myelin::test::simulate(run, threads);
        for (const std::string population : {"exc", "inh", "noise"}) CHECK(many.of(population) == one.of(population));
        const auto learned_one = one.network.projections.at(0)->connections();
        const auto learned_many = many.network.projections.at(0)->connections();
        CHECK(learned_many.post == learned_one.post);
        CHECK(learned_many.weight == learned_one.weight);
    }
}
