// A trained Tempotron run in the engine (experiments/tempotron_engine_network.hpp) decides as the
// trainer does: one IF_curr_exp neuron with the kernel's time constants and scaled weights has
// the Tempotron's V(t), and the exact-maximum search of the trainer is the reference.
#include "experiments/tempotron_engine_network.hpp"
#include "learning/tempotron_training.hpp"
#include "models/synthetic_tasks.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

using namespace myelin;

TEST_CASE("a trained Tempotron run in the engine fires for the patterns the trainer's neuron fires for",
          "[experiments][tempotron]") {
    const std::size_t afferents = 100, patterns = 60;
    const double duration = 500.0;
    const models::LatencyTask task = models::random_latency_task(patterns, afferents, duration, 11);
    learning::TempotronParams params;
    params.learning_rate = 1e-3;
    const learning::PspKernel kernel(params.tau, params.tau_s);
    std::vector<learning::PreparedPattern> prepared;
    for (const auto& times : task.spike_times) prepared.push_back(learning::prepare_pattern(times, duration, kernel));
    learning::TempotronTrainer trainer(params, prepared, task.labels, 11);
    for (int cycle = 0; cycle < 200 && trainer.run_cycle().accuracy < 1.0; ++cycle) {}
    REQUIRE(trainer.accuracy() > 0.9);

    std::vector<std::vector<std::vector<double>>> spike_times(patterns);
    for (std::size_t p = 0; p < patterns; ++p)
        for (const double t : task.spike_times[p]) spike_times[p].push_back({t});
    const cli::TempotronEngineTiming timing = cli::tempotron_engine_timing(duration, params.tau, patterns);
    const io::RunSpec run = cli::tempotron_engine_run(params, trainer.weights(), spike_times, timing,
                                                      test::catalogue().models, test::catalogue().rules);
    test::Outcome outcome = test::simulate(run, 2);
    std::vector<std::int64_t> steps;
    for (const test::Spike& s : outcome.of("tempotron")) steps.push_back(s.step);
    const std::vector<bool> engine = cli::tempotron_engine_decisions(steps, timing);

    // The engine puts input spikes on its 0.1 ms grid, which moves V by a little; patterns whose
    // maximum lies within 0.01 of threshold may go either way. All others must agree, and they
    // must be most patterns (else the comparison proves nothing).
    std::size_t compared = 0, fired = 0;
    for (std::size_t p = 0; p < patterns; ++p) {
        const auto maximum = learning::find_maximum(prepared[p], trainer.weights(), kernel, params.v_rest, params.v_thresh);
        const double margin = std::abs(maximum.v_max - params.v_thresh);
        CAPTURE(p, maximum.v_max, maximum.t_max);
        if (margin < 0.01) continue;
        ++compared;
        fired += maximum.fired;
        CHECK(engine[p] == maximum.fired);
    }
    CHECK(compared >= patterns * 9 / 10);
    CHECK(fired >= compared / 4);  // both decisions are exercised
    CHECK(compared - fired >= compared / 4);
}
