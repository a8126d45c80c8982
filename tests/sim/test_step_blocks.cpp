// Step blocks (sim/simulation.cpp): in a network whose input all comes through the input rings,
// the loop takes as many steps at a time as the shortest delay. The check is the single-step
// loop itself: a recorder that says it reads the network keeps the same network to single
// steps, and spikes, state and event counts must be identical, on 1 and 2 threads.
#include "support/identical_runs.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

namespace {

using myelin::test::MemoryRecorder;

// experiments/brunel.toml at 2500 neurons (same in-degrees; blocks of 15 steps, the exc chunks
// shorter than a part), plus a Poisson source reaching E through per-synapse delays of 3 to
// 10 steps with release probability 0.5: blocks of 3 steps, unreliable and per-delay delivery.
// 302 steps: the run does not end at a block's end. `change`: one more setting (--set syntax).
myelin::io::RunSpec brunel_with_source(bool with_source, const std::string& change = "simulation.duration=30.2") {
    return myelin::test::parse_source_config("experiments/brunel.toml", with_source ? myelin::test::delayed_unreliable_source : "",
                                             {change, "population.exc.size=2000", "population.inh.size=500"});
}

struct Run {
    myelin::sim::Network network;
    MemoryRecorder recorder;
    std::int64_t block_steps = 0;
};

// Runs 302 steps in two calls (the first ends inside a block), single steps if `reading`;
// `parts` parts run by at most `team` threads (0: one per core).
Run simulate(const myelin::io::RunSpec& spec, int parts, bool reading, int team = 0) {
    const auto& catalogue = myelin::test::catalogue();
    Run run{myelin::sim::build(spec.network, catalogue.models, catalogue.rules, parts), {}, 0};
    run.recorder.claims_to_read_network = reading;
    myelin::sim::Simulation simulation(run.network, team);
    run.block_steps = simulation.block_steps(&run.recorder);
    simulation.run(20, &run.recorder);
    simulation.run(282, &run.recorder);
    return run;
}

}  // namespace

TEST_CASE("steps in blocks give the same spikes, state and events as single steps", "[sim][step_blocks]") {
    for (const bool with_source : {false, true}) {
        CAPTURE(with_source);
        const auto spec = brunel_with_source(with_source);
        auto single = simulate(spec, 1, true);
        REQUIRE(single.block_steps == 1);
        // 2 parts on one thread: a machine with one core running --threads 2.
        for (const auto& [parts, team] : {std::pair{1, 0}, std::pair{2, 0}, std::pair{2, 1}}) {
            CAPTURE(parts, team);
            auto blocks = simulate(spec, parts, false, team);
            CHECK(blocks.block_steps == (with_source ? 3 : 15));
            REQUIRE(blocks.recorder.spikes.at(0).size() > 500);  // active: every path ran
            myelin::test::check_identical_runs(blocks.network, blocks.recorder, single.network, single.recorder);
        }
    }
}

TEST_CASE("networks that need single steps do not take blocks", "[sim][step_blocks]") {
    const auto& catalogue = myelin::test::catalogue();
    SECTION("STDP, direct input") {
        auto network = myelin::sim::build(myelin::test::every_path_network(10.0).network, catalogue.models, catalogue.rules, 1);
        CHECK(myelin::sim::Simulation(network).block_steps(nullptr) == 1);
    }
    SECTION("a delay of one step") {
        const auto spec = brunel_with_source(false, "projection.ie.delay=0.1");
        auto network = myelin::sim::build(spec.network, catalogue.models, catalogue.rules, 1);
        CHECK(myelin::sim::Simulation(network).block_steps(nullptr) == 1);
    }
}
