// The same config and seed give bit-identical spikes and weights on any thread count.
#include "support/simulate.hpp"

#include <catch2/catch.hpp>


TEST_CASE("spikes and learned weights are identical on 1, 2 and 3 threads", "[sim][determinism]") {
    const auto run = myelin::test::every_path_network(300.0);
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
