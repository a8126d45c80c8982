// myelin run: validate the config, build, simulate with a progress line, record, summarise.
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "experiments/live_run.hpp"
#include "experiments/run_report.hpp"
#include "io/checkpoint.hpp"
#include "io/config.hpp"
#include "io/hdf5_recording.hpp"
#include "sim/simulation.hpp"
#include "viewer/display.hpp"
#include "viewer/plot.hpp"

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
#include <regex>

namespace myelin::cli {
namespace {

// Set by SIGINT; the step loop stops after the current step (or block of steps) and the
// recording is finished.
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

// A resumed run records next to its checkpoint unless told otherwise, so it cannot overwrite
// the recording of the run the checkpoint came from.
std::string output_path(const RunOptions& options, const io::RunSpec& run, bool resumed) {
    namespace fs = std::filesystem;
    if (options.no_output) return "";
    std::string path = options.output;
    if (path.empty() && resumed) {
        fs::path stem = fs::path(options.config).filename();
        while (stem.has_extension()) stem = stem.stem();  // run.ckpt.h5 -> run
        path = (fs::path(options.config).parent_path() / stem).string() + "-resumed.h5";
    }
    // Relative to the working directory, like every other path the user types.
    if (path.empty()) path = run.output_file;
    if (path.empty()) path = fs::path(options.config).stem().string() + ".h5";
    std::error_code ignored;
    for (const std::string& input : {options.config, options.checkpoint})
        if (!input.empty() && fs::weakly_canonical(path, ignored) == fs::weakly_canonical(input, ignored))
            throw ConfigError("-o", 0, 0, "the recording would overwrite " + input);
    return path;
}

// --view: the window size, and a display and a font, checked before anything is built or written.
LiveView live_view_of(const RunOptions& options) {
    LiveView view;
    std::smatch size;
    if (!std::regex_match(options.view_size, size, std::regex("([0-9]{3,5})x([0-9]{3,5})")))
        throw UsageError("--view-size " + options.view_size + ": expected WIDTHxHEIGHT in pixels, e.g. 1600x900");
    view.width = static_cast<unsigned>(std::stoul(size[1]));
    view.height = static_cast<unsigned>(std::stoul(size[2]));
    if (!(options.view_span_ms > 0.0)) throw UsageError("--view-span must be > 0 (ms)");
    view.span_ms = options.view_span_ms;
    view.close_after_s = options.close_after_s;
    view.panels = options.view_panels;
    view.field_shape = options.field_shape;
    view.title = "myelin run " + options.config;
    viewer::require_display("myelin run " + options.config + " --view");
    viewer::default_font();
    return view;
}

}  // namespace

// A time on the command line: a number with an optional unit, ms (the default) or s.
double parse_time_ms(const std::string& text, const std::string& option) {
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const std::string unit = text.substr(used);
    const double scale = unit.empty() || unit == "ms" ? 1.0 : unit == "s" ? 1000.0 : 0.0;
    if (used == 0 || scale == 0.0 || !std::isfinite(value) || value < 0.0)
        throw ConfigError(option, 0, 0, "\"" + text + "\" is not a time (e.g. 500ms, 0.5s, or 500 for ms)");
    return value * scale;
}

int run_command(const RunOptions& options) {
    if (options.backend == "cuda") return run_cuda_command(options);
    if (options.batch > 1 || !options.sweep.empty()) return run_batch_command(options);
    const Catalogue catalogue;
    if (!options.view && (options.close_after_s > 0.0 || options.view_size != "1600x900" || !options.view_panels.empty() ||
                          !options.field_shape.empty()))
        throw UsageError("--close-after, --view-size, --view-panels and --field-shape go with --view");
    std::optional<LiveView> live;
    if (options.view) live = live_view_of(options);
    io::ConfigOverrides overrides{options.set};
    if (options.seed >= 0) overrides.set.push_back("simulation.seed=" + std::to_string(options.seed));
    if (options.threads >= 0) overrides.set.push_back("simulation.threads=" + std::to_string(options.threads));
    const double duration = options.duration.empty() ? -1.0 : parse_time_ms(options.duration, "--duration");
    if (options.checkpoint_at.empty() != options.checkpoint.empty())
        throw ConfigError("--checkpoint", 0, 0, "--checkpoint-at and --checkpoint go together");

    // A checkpoint file continues the run it was taken from; anything wrong with it is bad
    // input (exit 2) found before anything is built or written.
    std::optional<io::Checkpoint> checkpoint;
    io::RunSpec run;
    if (io::is_hdf5_file(options.config) || options.config.ends_with(".ckpt.h5")) {
        try {
            checkpoint = io::read_checkpoint(options.config);
            run = io::resume_spec(*checkpoint, options.config, overrides, catalogue.models, catalogue.rules);
        } catch (const IoError& e) {
            throw ConfigError("", 0, 0, e.what());
        }
    } else {
        run = io::load_config(options.config, overrides, catalogue.models, catalogue.rules);
        if (options.batch == 0 && run.batch > 1) return run_batch_command(options);
    }
    const int threads = run.threads > 0 ? run.threads : tbb::info::default_concurrency();

    const auto build_started = std::chrono::steady_clock::now();
    // More parts than threads where that lets delivery read 2-byte post indices; the team
    // still has `threads` threads.
    sim::Network network =
        sim::build(run.network, catalogue.models, catalogue.rules, sim::parts_for(run.network, catalogue.models, threads), threads);
    sim::Simulation simulation(network, threads);
    if (checkpoint) {
        try {
            simulation.restore(checkpoint->state);
        } catch (const Error& e) {
            throw ConfigError(options.config, 0, 0, std::string("cannot resume from this checkpoint: ") + e.what());
        }
    }
    const bool resumed = checkpoint.has_value();
    checkpoint.reset();  // its state is in the network now
    const double build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - build_started).count();

    // Steps to run: --duration from where the run starts; else a fresh run simulates the
    // config's duration and a resumed run continues up to it.
    const std::int64_t start = simulation.step();
    const auto steps_of = [&](double ms) { return static_cast<std::int64_t>(std::llround(ms / run.network.dt)); };
    const std::int64_t steps = duration >= 0.0 ? steps_of(duration) : steps_of(run.duration) - start;
    if (steps <= 0)
        throw ConfigError(options.config, 0, 0, "the checkpoint is at t = " + std::to_string(simulation.time()) +
                                                    " ms, past the config's duration: give --duration");
    run.duration = static_cast<double>(steps) * run.network.dt;
    std::int64_t checkpoint_step = -1;
    if (!options.checkpoint_at.empty()) {
        checkpoint_step = steps_of(parse_time_ms(options.checkpoint_at, "--checkpoint-at"));
        if (checkpoint_step <= start || checkpoint_step > start + steps)
            throw ConfigError("--checkpoint-at", 0, 0, "t = " + options.checkpoint_at + " is outside the run (" +
                                                           std::to_string(simulation.time()) + " ms to " +
                                                           std::to_string(static_cast<double>(start + steps) * run.network.dt) + " ms)");
    }
    const std::string output = output_path(options, run, resumed);

    std::optional<io::Hdf5Recording> recording;
    if (!output.empty()) recording.emplace(output, run, network);

    // Everything from the first step to the summary: on this thread, or with --view on a
    // worker while the window runs here. `recorder` is the recording, or the live feed in
    // front of it.
    const auto simulate = [&](sim::Recorder* recorder) -> int {
        ProgressLine progress(simulation, steps);
        progress.start_at(start);
        std::signal(SIGINT, on_interrupt);
        const auto run_steps = [&](std::int64_t n) {
            return simulation.run(n, recorder, &interrupt_requested,
                                  [&](std::int64_t step) { progress.update(step); }, 100);
        };
        sim::RunResult result;
        if (checkpoint_step > 0) {
            result = run_steps(checkpoint_step - start);
            if (!result.interrupted) {
                // The checkpoint's config ends where this run ends, so resuming it without
                // --duration finishes this run.
                io::RunSpec saved = run;
                char end_ms[32];
                std::snprintf(end_ms, sizeof end_ms, "%.17g", static_cast<double>(start + steps) * run.network.dt);
                saved.overrides.push_back(std::string("simulation.duration=") + end_ms);
                io::write_checkpoint(options.checkpoint, saved, network, simulation);
                const sim::RunResult rest = run_steps(start + steps - checkpoint_step);
                result.steps += rest.steps;
                result.wall_seconds += rest.wall_seconds;
                result.interrupted = rest.interrupted;
            }
        } else {
            result = run_steps(steps);
        }
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
    };
    if (live) {
        live->output = output;
        return run_with_view(*live, run, network, start, recording ? &*recording : nullptr, simulate, interrupt_requested);
    }
    return simulate(recording ? &*recording : nullptr);
}

}  // namespace myelin::cli
