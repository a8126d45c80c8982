// Step pairs (sim/simulation.cpp): with one thread and only direct input, the loop runs two
// steps chunk by chunk. The check is the single-step loop itself: a recorder that says it reads
// the network keeps the same network to single steps, and spikes, state and event counts must
// be identical.
#include "support/identical_runs.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

namespace {

using myelin::test::MemoryRecorder;

// experiments/cuba.toml (exc: 4 chunks of a pair, the last one short), plus Poisson sources reaching E
// after one step with per-synapse weights and I after three steps, and Poisson drive onto I:
// every kind of direct input. 1503 steps: an odd number, so the run ends with a single step.
myelin::io::RunSpec cuba_with_sources() {
    return myelin::test::parse_source_config("experiments/cuba.toml", R"(
[[population]]
name = "noise"
size = 40
model = "SpikeSourcePoisson"
params = { rate = 20.0 }
[[projection]]
name = "noise_exc"
pre = "noise"
post = "exc"
connect = { rule = "fixed_probability", p = 0.2 }
weight = { normal = [0.02, 0.005], clip = [0.0, 0.05] }
delay = 0.1
[[projection]]
name = "noise_inh"
pre = "noise"
post = "inh"
connect = { rule = "fixed_probability", p = 0.2 }
weight = 0.02
delay = 0.3
[[poisson_input]]
target = "inh"
rate = 300.0
weight = 0.01
)",
                                             {"simulation.duration=150.3"});
}

myelin::sim::Network build(const myelin::io::RunSpec& run, int threads) {
    const auto& catalogue = myelin::test::catalogue();
    return myelin::sim::build(run.network, catalogue.models, catalogue.rules, threads);
}

}  // namespace

TEST_CASE("steps in pairs give the same spikes, state and events as single steps", "[sim][step_pairs]") {
    const auto run = cuba_with_sources();
    const std::int64_t steps = 1503;
    auto paired_network = build(run, 1);
    auto single_network = build(run, 1);
    myelin::sim::Simulation paired(paired_network), single(single_network);
    MemoryRecorder spikes_only, reading;
    spikes_only.claims_to_read_network = false;
    REQUIRE(paired.runs_step_pairs(&spikes_only));
    REQUIRE(paired.runs_step_pairs(nullptr));
    REQUIRE_FALSE(single.runs_step_pairs(&reading));

    // In two calls, the first of odd length, as a checkpointed run would be.
    paired.run(7, &spikes_only);
    paired.run(steps - 7, &spikes_only);
    single.run(steps, &reading);
    REQUIRE(paired.step() == steps);

    REQUIRE(spikes_only.spikes.size() == 3);
    REQUIRE(spikes_only.spikes[0].size() > 500);  // exc active: every path ran
    REQUIRE(spikes_only.spikes[1].size() > 100);
    myelin::test::check_identical_runs(paired_network, spikes_only, single_network, reading);
}

TEST_CASE("networks that need single steps do not take pairs", "[sim][step_pairs]") {
    SECTION("two threads") {
        auto network = build(cuba_with_sources(), 2);
        CHECK_FALSE(myelin::sim::Simulation(network).runs_step_pairs(nullptr));
    }
    SECTION("input rings, STDP") {
        auto network = build(myelin::test::every_path_network(10.0), 1);
        CHECK_FALSE(myelin::sim::Simulation(network).runs_step_pairs(nullptr));
    }
    SECTION("rows not sorted by post neuron") {
        myelin::sim::SynapseStore store;
        store.parts.resize(1);
        store.parts[0].row_start = {0, 2, 3};
        store.parts[0].post = {4, 4, 7};
        CHECK(myelin::sim::rows_sorted_by_post(store));  // multapses side by side are sorted
        store.parts[0].post = {5, 4, 7};
        CHECK_FALSE(myelin::sim::rows_sorted_by_post(store));
    }
}
