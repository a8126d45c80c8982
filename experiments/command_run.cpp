// myelin run: validate the config, build, simulate with a progress line, record, summarise.
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "experiments/run_report.hpp"
#include "io/config.hpp"
#include "io/hdf5_recording.hpp"
#include "sim/simulation.hpp"

#include <tbb/info.h>

#include <unistd.h>

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

// Set by SIGINT; the step loop stops after the current step and the recording is finished.
std::atomic<bool> interrupt_requested{false};

extern "C" void on_interrupt(int) {
    interrupt_requested.store(true);
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

// A progress line on a terminal (simulated time, steps/s, spikes/s); nothing when piped.
class ProgressLine {
public:
    ProgressLine(const sim::Simulation& simulation, std::int64_t total_steps)
        : simulation_(simulation), total_steps_(total_steps), enabled_(::isatty(STDERR_FILENO)),
          started_(Clock::now()), last_(started_) {}

    void update(std::int64_t step) {
        if (!enabled_) return;
        const auto now = Clock::now();
        if (now - last_ < std::chrono::milliseconds(250)) return;
        last_ = now;
        const double seconds = std::chrono::duration<double>(now - started_).count();
        std::uint64_t spikes = 0;
        for (const auto n : simulation_.spike_counts()) spikes += n;
        const std::int64_t done = step - first_step_;
        std::fprintf(stderr, "\r  t = %.1f ms (%4.1f%%)  %.3g steps/s  %.3g spikes/s   ",
                     simulation_.time(), 100.0 * static_cast<double>(done) / static_cast<double>(total_steps_),
                     static_cast<double>(done) / seconds, static_cast<double>(spikes) / seconds);
        std::fflush(stderr);
        shown_ = true;
    }
    void close() {
        if (shown_) std::fprintf(stderr, "\r%80s\r", "");
    }
    void start_at(std::int64_t step) { first_step_ = step; }

private:
    using Clock = std::chrono::steady_clock;
    const sim::Simulation& simulation_;
    std::int64_t total_steps_, first_step_ = 0;
    bool enabled_, shown_ = false;
    Clock::time_point started_, last_;
};

std::string output_path(const RunOptions& options, const io::RunSpec& run) {
    if (options.no_output) return "";
    if (!options.output.empty()) return options.output;
    if (!run.output_file.empty()) {
        // Relative to the working directory, like every other path the user types.
        return run.output_file;
    }
    return std::filesystem::path(options.config).stem().string() + ".h5";
}

}  // namespace

int run_command(const RunOptions& options) {
    const Catalogue catalogue;
    io::ConfigOverrides overrides{options.set};
    if (options.seed >= 0) overrides.set.push_back("simulation.seed=" + std::to_string(options.seed));
    if (options.threads >= 0) overrides.set.push_back("simulation.threads=" + std::to_string(options.threads));
    const io::RunSpec run = io::load_config(options.config, overrides, catalogue.models, catalogue.rules);
    const int threads = run.threads > 0 ? run.threads : tbb::info::default_concurrency();
    const std::string output = output_path(options, run);

    const auto build_started = std::chrono::steady_clock::now();
    sim::Network network = sim::build(run.network, catalogue.models, catalogue.rules, threads);
    const double build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - build_started).count();

    std::optional<io::Hdf5Recording> recording;
    if (!output.empty()) recording.emplace(output, run, network);

    sim::Simulation simulation(network);
    const auto steps = static_cast<std::int64_t>(std::llround(run.duration / run.network.dt));
    ProgressLine progress(simulation, steps);
    progress.start_at(simulation.step());
    std::signal(SIGINT, on_interrupt);
    const sim::RunResult result = simulation.run(
        steps, recording ? &*recording : nullptr, &interrupt_requested,
        [&](std::int64_t step) { progress.update(step); }, 100);
    std::signal(SIGINT, SIG_DFL);
    progress.close();

    io::RunOutcome outcome{result.steps, build_seconds, result.wall_seconds, threads, result.interrupted};
    if (recording) recording->finish(network, outcome);

    const RunReport report = make_report(run, network, simulation, outcome, output);
    if (!options.quiet) print_summary(std::cout, report);
    if (!options.report_json.empty()) write_report_json(options.report_json, report);
    if (result.interrupted) {
        std::cerr << "myelin: interrupted at t = " << simulation.time() << " ms; the recording holds what was simulated\n";
        return exit_interrupted;
    }
    return 0;
}

}  // namespace myelin::cli
