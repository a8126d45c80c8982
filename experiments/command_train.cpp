// myelin train: the trainers that learn from a whole task, dispatched on [train] algorithm
// (docs/learning.md): the Tempotron on the random-latency task (ALGORITHMS.md 7.4) and its
// capacity curve (--capacity); BPTT through Ultra* neurons; meta neurons (--compare); sym-STDP.
#include "experiments/command_train_meta.hpp"
#include "experiments/command_sym_stdp.hpp"
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "experiments/tempotron_engine_network.hpp"
#include "experiments/train_config.hpp"
#include "experiments/train_report.hpp"
#include "learning/tempotron_training.hpp"
#include "models/synthetic_tasks.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace myelin::cli {

int train_bptt(const TrainOptions& options, const TrainSpec& spec, const std::string& output);  // command_train_bptt.cpp
int train_tess(const TrainOptions& options, const TrainSpec& spec, const std::string& output);  // command_train_tess.cpp

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The task of `spec` for `seed`, with `patterns` patterns, prepared for the Tempotron.
learning::TempotronTrainer make_trainer(const TrainSpec& spec, std::size_t patterns, std::uint64_t seed) {
    const models::LatencyTask task =
        models::random_latency_task(patterns, spec.task.afferents, spec.task.duration, seed);
    const learning::PspKernel kernel(spec.tempotron.tau, spec.tempotron.tau_s);
    std::vector<learning::PreparedPattern> prepared(patterns);
    tbb::parallel_for(std::size_t{0}, patterns, [&](std::size_t p) {
        prepared[p] = learning::prepare_pattern(task.spike_times[p], spec.task.duration, kernel);
    });
    return learning::TempotronTrainer(spec.tempotron, std::move(prepared), task.labels, seed);
}

std::string output_path(const TrainOptions& options, const TrainSpec& spec) {
    if (!options.output.empty()) return options.output;
    if (!spec.output.empty()) return spec.output;
    return std::filesystem::path(spec.path).replace_extension(".h5").string();
}

// The trained neuron as an engine network that plays the training patterns one per trial
// (tempotron_engine_network.hpp).
void write_checkpoint(const TrainOptions& options, const TrainSpec& spec, const learning::TempotronTrainer& trainer) {
    const models::LatencyTask task = models::random_latency_task(spec.task.patterns, spec.task.afferents,
                                                                 spec.task.duration, spec.seed);
    std::vector<std::vector<std::vector<double>>> spike_times(task.spike_times.size());
    for (std::size_t p = 0; p < task.spike_times.size(); ++p)
        for (const double t : task.spike_times[p]) spike_times[p].push_back({t});
    const TempotronEngineTiming timing = tempotron_engine_timing(spec.task.duration, spec.tempotron.tau, spec.task.patterns);
    const Catalogue catalogue;
    const io::RunSpec run = tempotron_engine_run(spec.tempotron, trainer.weights(), spike_times, timing,
                                                 catalogue.models, catalogue.rules);
    write_tempotron_engine_checkpoint(options.checkpoint, run, catalogue.models, catalogue.rules);
    if (!options.quiet)
        std::printf("engine checkpoint %s: `myelin run %s -o run.h5` plays pattern p at %g + p*%g ms; the neuron "
                    "\"tempotron\" spikes within %g ms of that iff it fires for p\n",
                    options.checkpoint.c_str(), options.checkpoint.c_str(), timing.start, timing.trial, timing.duration);
}

int train_once(const TrainOptions& options, const TrainSpec& spec) {
    const std::string output = options.no_output ? std::string() : output_path(options, spec);
    const bool live = !options.quiet && ::isatty(STDOUT_FILENO);
    const std::size_t every = options.every > 0 ? options.every : 1;
    if (!options.quiet)
        std::printf("%s: tempotron, %zu afferents, %zu patterns (alpha = %.3g), T = %g ms, seed %llu, up to %zu cycles\n",
                    spec.path.c_str(), spec.task.afferents, spec.task.patterns,
                    static_cast<double>(spec.task.patterns) / static_cast<double>(spec.task.afferents),
                    spec.task.duration, static_cast<unsigned long long>(spec.seed), spec.cycles);
    learning::TempotronTrainer trainer = make_trainer(spec, spec.task.patterns, spec.seed);
    TrainReport report;
    const Clock::time_point start = Clock::now();
    for (std::size_t c = 0; c < spec.cycles; ++c) {
        const Clock::time_point cycle_start = Clock::now();
        const learning::CycleResult result = trainer.run_cycle();
        report.cycles.push_back(result);
        const bool done = result.accuracy == 1.0 || c + 1 == spec.cycles;
        if (!options.quiet && (done || result.cycle % every == 0 || live)) {
            const double rate = static_cast<double>(spec.task.patterns) / seconds_since(cycle_start);
            const bool permanent = done || result.cycle % every == 0;
            std::printf("%scycle %6zu  accuracy %7.3f%%  errors %6zu  %9.3g patterns/s%s", live ? "\r" : "",
                        result.cycle, 100.0 * result.accuracy, result.sweep_errors, rate, permanent ? "\n" : "");
            std::fflush(stdout);
        }
        if (result.accuracy == 1.0) break;
    }
    report.seconds = seconds_since(start);
    report.weights = trainer.weights();
    const double final_accuracy = report.cycles.empty() ? 0.0 : report.cycles.back().accuracy;
    if (!output.empty()) write_train_report(output, spec, report);
    if (!options.quiet)
        std::printf("training accuracy %.3f%% after %zu cycles in %.2f s%s%s\n", 100.0 * final_accuracy,
                    report.cycles.size(), report.seconds, output.empty() ? "" : "; report ", output.c_str());
    if (!options.checkpoint.empty()) write_checkpoint(options, spec, trainer);
    return 0;
}

// One (alpha, seed) run of the capacity curve: the accuracy after every cycle (1.0 from the cycle
// that reached it on, as training stops there).
struct CapacityRun {
    std::vector<double> accuracy;
    std::size_t solved_at = 0;  // cycle that reached 100%; 0 if none
};

int train_capacity(const TrainOptions& options, const TrainSpec& spec) {
    const std::size_t n = spec.task.afferents;
    const std::size_t report_cycle = std::min<std::size_t>(500, spec.cycles);
    std::printf("Tempotron capacity: N = %zu, T = %g ms, %d seeds from %llu, up to %zu cycles, lambda %g, mu %g\n",
                n, spec.task.duration, options.seeds, static_cast<unsigned long long>(spec.seed), spec.cycles,
                spec.tempotron.learning_rate, spec.tempotron.momentum);
    std::printf("%6s %6s %11s %11s %13s %13s %13s %14s %8s\n", "alpha", "P", "100%@500", "100%@cap", "mean acc@500",
                "mean acc@cap", "min acc@cap", "median cycles", "wall s");
    for (const double alpha : options.alphas) {
        const auto patterns = static_cast<std::size_t>(std::llround(alpha * static_cast<double>(n)));
        std::vector<CapacityRun> runs(static_cast<std::size_t>(options.seeds));
        const Clock::time_point start = Clock::now();
        // Determinism: every seed is an independent run; results land at the seed's index.
        tbb::parallel_for(std::size_t{0}, runs.size(), [&](std::size_t s) {
            learning::TempotronTrainer trainer = make_trainer(spec, patterns, spec.seed + s);
            CapacityRun& run = runs[s];
            for (std::size_t c = 0; c < spec.cycles; ++c) {
                const learning::CycleResult result = trainer.run_cycle();
                run.accuracy.push_back(result.accuracy);
                if (result.accuracy == 1.0) {
                    run.solved_at = result.cycle;
                    break;
                }
            }
        });
        const auto accuracy_at = [](const CapacityRun& run, std::size_t cycle) {
            return run.solved_at && run.solved_at <= cycle ? 1.0 : run.accuracy[std::min(cycle, run.accuracy.size()) - 1];
        };
        int solved_early = 0, solved = 0;
        double sum_early = 0, sum_final = 0, min_final = 1.0;
        std::vector<std::size_t> solve_cycles;
        for (const CapacityRun& run : runs) {
            solved_early += run.solved_at && run.solved_at <= report_cycle;
            solved += run.solved_at != 0;
            if (run.solved_at) solve_cycles.push_back(run.solved_at);
            sum_early += accuracy_at(run, report_cycle);
            const double final_accuracy = accuracy_at(run, spec.cycles);
            sum_final += final_accuracy;
            min_final = std::min(min_final, final_accuracy);
        }
        std::string median = "-";
        // Median over all seeds, unsolved ones counted as above the cap.
        if (2 * solve_cycles.size() > runs.size()) {
            std::sort(solve_cycles.begin(), solve_cycles.end());
            median = std::to_string(solve_cycles[(runs.size() - 1) / 2]);
        }
        const double count = static_cast<double>(runs.size());
        std::printf("%6.2f %6zu %8d/%-2d %8d/%-2d %12.2f%% %12.2f%% %12.2f%% %14s %8.1f\n", alpha, patterns, solved_early,
                    options.seeds, solved, options.seeds, 100.0 * sum_early / count, 100.0 * sum_final / count,
                    100.0 * min_final, median.c_str(), seconds_since(start));
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

int train_command(const TrainOptions& options) {
    TrainSpec spec = load_train_config(options.config);
    if (options.seed >= 0) spec.seed = static_cast<std::uint64_t>(options.seed);
    if (options.cycles > 0) spec.cycles = static_cast<std::size_t>(options.cycles);
    if (options.threads >= 0) spec.threads = options.threads;
    if (options.compare && spec.algorithm != "meta") throw UsageError("--compare is for algorithm = \"meta\"");
    if (options.capacity && spec.algorithm != "tempotron") throw UsageError("--capacity is for algorithm = \"tempotron\"");
    if (options.capacity) {
        if (options.seeds < 1) throw UsageError("--seeds must be at least 1");
        for (const double alpha : options.alphas)
            if (!(alpha > 0.0) || std::llround(alpha * static_cast<double>(spec.task.afferents)) < 1)
                throw UsageError("--alphas: every alpha must give at least one pattern (alpha * afferents >= 0.5)");
    }
    if (!options.checkpoint.empty() && spec.algorithm != "bptt" && spec.algorithm != "tempotron" &&
        spec.algorithm != "tess" && spec.algorithm != "meta")
        throw UsageError("--checkpoint is for algorithm = \"bptt\", \"tempotron\", \"tess\" and \"meta\" (the other "
                         "trainers write their networks in the report)");
    if (!options.checkpoint.empty() && options.capacity) throw UsageError("--checkpoint trains one network: not with --capacity");
    if (!options.checkpoint.empty() && options.compare) throw UsageError("--checkpoint trains one network: not with --compare");
    if (!options.checkpoint.empty() && spec.algorithm == "bptt" && spec.bptt.settings.shape.neuron == learning::BpttNeuron::lif)
        throw UsageError("--checkpoint: the LIF surrogate baseline has no engine model (its update V = tau V + I with a "
                         "reset to 0 is none of the engine's models); the Ultra* neurons can be written");
    if (options.epochs > 0) spec.bptt.settings.epochs = spec.tess.settings.epochs = static_cast<std::size_t>(options.epochs);
    const int threads = spec.threads > 0 ? spec.threads : tbb::info::default_concurrency();
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    if (spec.algorithm == "bptt") return train_bptt(options, spec, options.no_output ? std::string() : output_path(options, spec));
    if (spec.algorithm == "tess") return train_tess(options, spec, options.no_output ? std::string() : output_path(options, spec));
    if (spec.algorithm == "meta") return train_meta(options, spec, options.compare);
    if (spec.algorithm == "sym_stdp") return train_sym_stdp(options, spec, threads);
    return options.capacity ? train_capacity(options, spec) : train_once(options, spec);
}

}  // namespace myelin::cli
