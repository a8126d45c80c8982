// myelin run --batch B / --sweep KEY=FROM:TO:COUNT on the CPU: the copies run one after the
// other (each on all its threads) into one recording with a copy column (docs/recording.md).
// This is the reference semantics of the GPU backend's batch, where copies run side by side.
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "io/batch_spec.hpp"
#include "io/hdf5_recording.hpp"
#include "sim/simulation.hpp"

#include <tbb/info.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

namespace myelin::cli {
namespace {

std::atomic<bool> batch_interrupted{false};

extern "C" void on_batch_interrupt(int) {
    batch_interrupted.store(true);
    std::signal(SIGINT, SIG_DFL);
}

std::string batch_output_path(const RunOptions& options, const io::RunSpec& run) {
    if (options.no_output) return "";
    if (!options.output.empty()) return options.output;
    if (!run.output_file.empty()) return run.output_file;
    return std::filesystem::path(options.config).stem().string() + ".h5";
}

}  // namespace

std::vector<io::RunSpec> batch_run_specs(const RunOptions& options, const Catalogue& catalogue) {
    io::ConfigOverrides overrides{options.set};
    if (options.seed >= 0) overrides.set.push_back("simulation.seed=" + std::to_string(options.seed));
    if (options.threads >= 0) overrides.set.push_back("simulation.threads=" + std::to_string(options.threads));
    if (!options.duration.empty()) {
        char ms[40];
        std::snprintf(ms, sizeof ms, "%.17g", parse_time_ms(options.duration, "--duration"));
        overrides.set.push_back(std::string("simulation.duration=") + ms);
    }
    std::optional<io::Sweep> sweep;
    if (!options.sweep.empty()) sweep = io::parse_sweep(options.sweep);
    return io::batch_specs(options.config, overrides, options.batch, sweep, catalogue.models, catalogue.rules);
}

int run_batch_command(const RunOptions& options) {
    if (!options.checkpoint.empty() || !options.checkpoint_at.empty())
        throw ConfigError("--batch", 0, 0, "checkpoints of batched runs are not supported");
    const Catalogue catalogue;
    std::vector<io::RunSpec> specs = batch_run_specs(options, catalogue);
    std::optional<io::Sweep> sweep;  // for the table's value column
    if (!options.sweep.empty()) sweep = io::parse_sweep(options.sweep);
    const io::RunSpec& first = specs.front();
    const int threads = first.threads > 0 ? first.threads : tbb::info::default_concurrency();
    const auto steps = static_cast<std::int64_t>(std::llround(first.duration / first.network.dt));
    const std::string output = batch_output_path(options, first);

    std::optional<io::Hdf5Recording> recording;
    std::optional<sim::Network> first_network;  // copy 0: the recording's state samples and /meta
    std::signal(SIGINT, on_batch_interrupt);
    double build_seconds = 0.0, wall_seconds = 0.0;
    std::int64_t steps_done = steps;
    bool interrupted = false;
    std::vector<std::vector<double>> rates(specs.size());  // copy -> population -> Hz
    for (std::size_t b = 0; b < specs.size() && !interrupted; ++b) {
        const auto started = std::chrono::steady_clock::now();
        sim::Network network = sim::build(specs[b].network, catalogue.models, catalogue.rules, threads);
        build_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        sim::Network& mine = b == 0 ? first_network.emplace(std::move(network)) : network;
        if (b == 0 && !output.empty()) recording.emplace(output, first, mine);
        if (recording) recording->set_copy(static_cast<std::uint32_t>(b));
        sim::Simulation simulation(mine);
        const sim::RunResult result = simulation.run(steps, recording ? &*recording : nullptr, &batch_interrupted);
        wall_seconds += result.wall_seconds;
        interrupted = result.interrupted;
        if (interrupted) steps_done = result.steps;
        const double seconds = static_cast<double>(result.steps) * first.network.dt / 1000.0;
        for (std::size_t p = 0; p < mine.populations.size(); ++p)
            rates[b].push_back(seconds > 0 ? static_cast<double>(simulation.spike_counts()[p]) /
                                                 static_cast<double>(mine.populations[p]->size()) / seconds
                                           : 0.0);
    }
    std::signal(SIGINT, SIG_DFL);
    if (recording) recording->finish(*first_network, {steps_done, build_seconds, wall_seconds, threads, interrupted});

    if (!options.quiet) {
        std::printf("%s: %zu copies, %g ms each, %d thread%s, seed %llu; build %.3f s, simulate %.3f s (%.3g network-seconds per second)\n",
                    options.config.c_str(), specs.size(), first.duration, threads, threads == 1 ? "" : "s",
                    static_cast<unsigned long long>(first.network.seed), build_seconds, wall_seconds,
                    wall_seconds > 0 ? static_cast<double>(specs.size()) * first.duration / 1000.0 / wall_seconds : 0.0);
        std::printf("  copy  %-16s", sweep ? "value" : "");
        for (const auto& p : first_network->populations) std::printf(" %12s", p->name().c_str());
        std::printf("   (rates, Hz)\n");
        for (std::size_t b = 0; b < rates.size(); ++b) {
            std::printf("  %4zu  %-16s", b, sweep ? std::to_string(sweep->values[b]).c_str() : "");
            for (const double r : rates[b]) std::printf(" %12.3f", r);
            std::printf("\n");
        }
        if (!output.empty()) std::printf("  recording %s\n", output.c_str());
    }
    if (interrupted) {
        std::cerr << "myelin: interrupted; the recording holds what was simulated\n";
        return exit_interrupted;
    }
    return 0;
}

}  // namespace myelin::cli
