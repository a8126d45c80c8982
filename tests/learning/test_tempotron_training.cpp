// Tempotron training (ALGORITHMS.md 7.3-7.4, 7.6): a small random-latency task is learned, and
// results depend only on the seed, not on the thread count.
#include "learning/tempotron_training.hpp"
#include "models/synthetic_tasks.hpp"

#include <catch2/catch.hpp>

#include <tbb/global_control.h>

using namespace myelin::learning;

namespace {

TempotronTrainer small_task(std::size_t afferents, std::size_t patterns, std::uint64_t seed, TempotronParams params = {}) {
    const myelin::models::LatencyTask task = myelin::models::random_latency_task(patterns, afferents, 500.0, seed);
    const PspKernel kernel(params.tau, params.tau_s);
    std::vector<PreparedPattern> prepared;
    for (const auto& times : task.spike_times) prepared.push_back(prepare_pattern(times, 500.0, kernel));
    return TempotronTrainer(params, std::move(prepared), task.labels, seed);
}

}  // namespace

TEST_CASE("a Tempotron learns a small random-latency task (N = 50, alpha = 0.5) to 100%", "[learning][tempotron]") {
    const std::uint64_t seed = 4;
    CAPTURE(seed);
    TempotronTrainer trainer = small_task(50, 25, seed);
    // Random labels: about half the patterns start wrong (the initial weights are ~0, nothing fires).
    CHECK(trainer.accuracy() < 0.8);
    CycleResult result;
    for (int c = 0; c < 200 && result.accuracy < 1.0; ++c) result = trainer.run_cycle();
    // alpha = 0.5 is far below capacity (~3): the default rule needs a few tens of cycles; 200 is the budget.
    CHECK(result.accuracy == 1.0);
    CHECK(result.cycle < 200);
    CHECK(trainer.accuracy() == 1.0);
}

TEST_CASE("Tempotron training gives the same weights for the same seed on 1 and 2 threads", "[learning][tempotron]") {
    std::vector<double> weights[2];
    double accuracy[2];
    for (const int threads : {1, 2}) {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        TempotronTrainer trainer = small_task(100, 150, 7);
        for (int c = 0; c < 5; ++c) trainer.run_cycle();
        weights[threads - 1] = trainer.weights();
        accuracy[threads - 1] = trainer.accuracy();
    }
    CHECK(weights[0] == weights[1]);  // exact: no Approx for determinism
    CHECK(accuracy[0] == accuracy[1]);
    TempotronTrainer other_seed = small_task(100, 150, 8);
    other_seed.run_cycle();
    CHECK(other_seed.weights() != weights[0]);
}

TEST_CASE("a correctly classified pattern changes no weight", "[learning][tempotron]") {
    TempotronTrainer trainer = small_task(50, 10, 3);
    for (int c = 0; c < 200 && trainer.accuracy() < 1.0; ++c) trainer.run_cycle();
    REQUIRE(trainer.accuracy() == 1.0);
    const std::vector<double> before = trainer.weights();
    for (std::size_t p = 0; p < trainer.patterns(); ++p) CHECK(trainer.learn(p));
    CHECK(trainer.weights() == before);
}
