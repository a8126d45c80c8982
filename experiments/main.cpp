// The myelin command line (DESIGN.md "Command line"): run, info, export, import, train,
// spatial-patterns, plot, view, models.
#include "experiments/commands.hpp"
#include "sim/error.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    using namespace myelin;
    CLI::App app{"Myelin: a spiking neural network simulator.\n"
                 "Experiments are TOML configs (see docs/config.md); recordings are HDF5 (docs/recording.md)."};
    app.require_subcommand(1);
    app.set_version_flag("--version", "myelin " MYELIN_VERSION);

    cli::RunOptions run;
    CLI::App* run_app = app.add_subcommand("run", "Build and simulate the network a config describes, recording to HDF5");
    run_app->add_option("config", run.config, "experiment config (TOML), or a checkpoint (HDF5) to resume")
        ->required()->check(CLI::ExistingFile);
    run_app->add_option("--duration", run.duration,
                        "simulated time to run, e.g. 500ms or 2s (default: [simulation] duration; a resumed "
                        "run continues up to it)");
    run_app->add_option("--checkpoint-at", run.checkpoint_at,
                        "write a checkpoint when the simulation reaches this time (e.g. 500ms), then go on");
    run_app->add_option("--checkpoint", run.checkpoint, "the checkpoint file for --checkpoint-at (e.g. out.ckpt.h5)");
    run_app->add_option("-o,--output", run.output, "recording file (default: [output] file of the config, else <config>.h5)");
    run_app->add_flag("--no-output", run.no_output, "write no recording");
    run_app->add_option("--threads", run.threads, "threads (0: all cores; default: [simulation] threads)")->check(CLI::Range(0, 1024));
    run_app->add_option("--seed", run.seed, "random seed (default: [simulation] seed)")->check(CLI::NonNegativeNumber);
    run_app->add_option("--set", run.set,
                        "change a config value before it is read, e.g. --set population.exc.size=8000 "
                        "--set simulation.duration=500 (value in TOML syntax; repeatable)")
        ->allow_extra_args(false);  // one value per --set, so a config after it stays positional
    run_app->add_option("--report-json", run.report_json, "also write the run summary as JSON to this file");
    run_app->add_flag("-q,--quiet", run.quiet, "print no summary");
    run_app->add_flag("--view", run.view,
                      "watch it live: the panels of myelin view in a window while it runs (needs a display; docs/viewer.md)");
    run_app->add_option("--view-size", run.view_size, "--view: window size in pixels (default 1600x900)");
    run_app->add_option("--view-span", run.view_span_ms, "--view: simulated ms the window shows as it follows the run (default 1000)")
        ->check(CLI::PositiveNumber);
    run_app->add_option("--view-panels", run.view_panels, "--view: panels, as for myelin plot --panels (e.g. raster,rate,fields)");
    run_app->add_option("--field-shape", run.field_shape, "--view: the fields panel's image shape, e.g. 28x28 (default: square)");
    run_app->add_option("--close-after", run.close_after_s, "--view: close the window by itself after this many seconds (the run goes on)")
        ->check(CLI::NonNegativeNumber);
    run_app->add_option("--batch", run.batch, "run B independent copies: shared connectivity, own seeds (docs/config.md)")
        ->check(CLI::Range(1, 65536));
    run_app->add_option("--sweep", run.sweep, "copies with one neuron parameter swept, e.g. population.exc.params.i_offset=0.1:0.5:16");
    run_app->add_option("--backend", run.backend, "cpu (default) or cuda (docs/gpu.md)")->check(CLI::IsMember({"cpu", "cuda"}));
    run_app->add_option("--gpu-chunk", run.gpu_chunk, "cuda: steps per launch and spike copy (default 1000)")->check(CLI::Range(1, 100000));
    run_app->add_option("--gpu-kernel", run.gpu_kernel,
                        "cuda: resident (one block per copy; small networks of one neuron model), interval (any network) or auto "
                        "(resident where it can run; default)")
        ->check(CLI::IsMember({"auto", "interval", "resident"}));
    run_app->footer(
        "\nThe config format is in docs/config.md, the recording layout in docs/recording.md.\n"
        "A progress line is shown on a terminal. Ctrl-C stops at the end of the current step (or\n"
        "block of steps, at most the shortest delay) and finishes the recording, marked as\n"
        "interrupted.\n"
        "Checkpoints (docs/checkpoint.md): `myelin run cfg.toml --checkpoint-at 500ms --checkpoint\n"
        "run.ckpt.h5` saves the whole network at t = 500 ms; `myelin run run.ckpt.h5 --duration 500ms`\n"
        "continues it with the same spikes as a run that never stopped, on any thread count\n"
        "(recording to run-resumed.h5 unless -o is given).\n"
        "Exit status: 0 done; 2 bad config or command line (nothing written); 1 other error\n"
        "(e.g. the recording cannot be written); 130 interrupted; 3 internal error.");

    std::string info_config;
    std::vector<std::string> info_set;
    int info_threads = -1;
    CLI::App* info_app = app.add_subcommand("info", "Print what a config would build (populations, projections, synapses, memory) without running it");
    info_app->add_option("config", info_config, "experiment config (TOML), or a checkpoint")->required()->check(CLI::ExistingFile);
    info_app->add_option("--set", info_set, "change a config value, as for run")->allow_extra_args(false);
    info_app->add_option("--threads", info_threads, "threads to estimate memory for")->check(CLI::Range(0, 1024));

    cli::ExportOptions export_options;
    CLI::App* export_app = app.add_subcommand("export", "Write the network a config or checkpoint builds for neuromorphic hardware: a PyNN script directory for SpiNNaker, or a NIR graph (docs/export.md)");
    export_app->add_option("config", export_options.input, "experiment config (TOML), or a checkpoint")->required()->check(CLI::ExistingFile);
    export_app->add_option("--to", export_options.to, "target: spinnaker (a PyNN script directory) or nir (a .nir HDF5 file)")
        ->required();
    export_app->add_option("-o,--output", export_options.output, "output directory (spinnaker) or file (nir)")->required();
    export_app->add_option("--set", export_options.set, "change a config value, as for run")->allow_extra_args(false);
    export_app->add_option("--seed", export_options.seed, "random seed (default: [simulation] seed)")->check(CLI::NonNegativeNumber);
    export_app->add_option("--timestep", export_options.timestep, "spinnaker: tick in ms, 0.1 or 1.0 (default: dt if it is one)");
    export_app->add_option("--neurons-per-core", export_options.neurons_per_core, "spinnaker: neurons per core (default 256)")
        ->check(CLI::Range(1, 1024));
    export_app->add_flag("--approximate", export_options.approximate,
                         "accept the documented approximations (static weights for rules SpiNNaker lacks, clamped delays)");
    export_app->add_option("--time-unit", export_options.time_unit, "nir: unit of the times in the file, ms (default) or s");
    export_app->add_option("--max-dense", export_options.max_dense, "nir: most entries of one dense weight matrix (default 2^24)")
        ->check(CLI::PositiveNumber);
    export_app->add_flag("-q,--quiet", export_options.quiet, "print no summary");
    export_app->footer("\nEvery approximation and SpiNNaker limit hit is listed in DIR/report.md (docs/export.md).\n"
                       "Exit status: 0 done; 2 bad config or command line; 1 refused (no SpiNNaker equivalent) or\n"
                       "the directory cannot be written; nothing is written unless the export succeeds.");

    cli::ImportOptions import_options;
    CLI::App* import_app = app.add_subcommand("import", "Turn a NIR graph (.nir) into a config that myelin run simulates");
    import_app->add_option("nir", import_options.input, "NIR graph (HDF5)")->required();
    import_app->add_option("-o,--output", import_options.output, "config to write (side files go next to it)")->required();
    import_app->add_option("--time-unit", import_options.time_unit,
                           "unit of the file's times, s or ms; required unless the file's metadata says it");
    import_app->add_option("--dt", import_options.dt, "time step, ms; required unless the file's metadata says it")->check(CLI::PositiveNumber);
    import_app->add_option("--duration", import_options.duration, "simulated time of the config, ms (default: file metadata, else 1000)")
        ->check(CLI::PositiveNumber);

    cli::TrainOptions train;
    CLI::App* train_app = app.add_subcommand("train", "Train a model on a whole task as a config's [train] table says (docs/learning.md)");
    train_app->add_option("config", train.config, "training config (TOML) with a [train] table")->required()->check(CLI::ExistingFile);
    train_app->add_option("-o,--output", train.output, "HDF5 report (default: [output] file of the config, else <config>.h5)");
    train_app->add_flag("--no-output", train.no_output, "write no report");
    train_app->add_option("--seed", train.seed, "random seed (default: [train] seed)")->check(CLI::NonNegativeNumber);
    train_app->add_option("--cycles", train.cycles, "most cycles (default: [train] cycles)")->check(CLI::PositiveNumber);
    train_app->add_option("--epochs", train.epochs, "bptt, tess: epochs (default: [bptt] or [tess] epochs)")->check(CLI::PositiveNumber);
    train_app->add_option("--threads", train.threads, "threads (0: all cores; default: [train] threads)")->check(CLI::Range(0, 1024));
    train_app->add_option("--every", train.every, "print progress every N cycles (default 1; sym_stdp: every N samples, default [sym_stdp] report_every)")->check(CLI::PositiveNumber);
    train_app->add_flag("-q,--quiet", train.quiet, "print no progress");
    train_app->add_option("--checkpoint", train.checkpoint,
                          "bptt, tempotron, tess, meta: also write the trained network as a checkpoint that myelin run simulates (bptt, tess: on the test images; tempotron: on the training patterns; meta: on the test samples)");
    train_app->add_flag("--capacity", train.capacity,
                        "print the capacity curve instead: training accuracy against alpha = P/N, over seeds");
    train_app->add_flag("--compare", train.compare,
                        "algorithm \"meta\": the table of fixed against learned intrinsics per rule, over seeds");
    CLI::Option* seeds_option = train_app->add_option("--seeds", train.seeds, "--capacity: seeds per alpha (default 10); --compare: seeds (default 5); from the config's seed on")
        ->check(CLI::PositiveNumber);
    train_app->add_option("--alphas", train.alphas, "--capacity: the alphas (default 0.5 1 1.5 2 2.5 3)")->delimiter(',');
    train_app->footer("\nThe config format is in docs/learning.md. --capacity writes no report.\n"
                      "Exit status: 0 done; 2 bad config or command line (nothing written); 1 the report cannot be written.");

    std::string spatial_config;
    CLI::App* spatial_app = app.add_subcommand(
        "spatial-patterns", "Train and test the Davies et al. spatial-pattern networks (STDP + homeostatic factor) and print the table beside the paper's (docs/learning.md)");
    spatial_app->add_option("config", spatial_config, "study config (TOML), e.g. experiments/davies_two_patterns.toml")
        ->required()->check(CLI::ExistingFile);

    cli::PlotRequest plot;
    CLI::App* plot_app = app.add_subcommand("plot", "Draw a recording's spike raster, rates, traces and weights to a PNG (needs a display or Xvfb; docs/viewer.md)");
    plot_app->add_option("recording", plot.input, "recording (HDF5) written by myelin run")->required();
    plot_app->add_option("-o,--output", plot.output, "PNG to write")->required();
    cli::PlotRequest view;
    CLI::App* view_app = app.add_subcommand("view", "Open a window on a recording: raster, rates, traces, weights; zoom and pan in time (docs/viewer.md)");
    view_app->add_option("recording", view.input, "recording (HDF5) written by myelin run")->required();
    for (auto [sub, request] : {std::pair{plot_app, &plot}, std::pair{view_app, &view}}) {
        sub->add_option("--from", request->from_ms, "start of the time window, ms (default: start of the run)")->check(CLI::NonNegativeNumber);
        sub->add_option("--to", request->to_ms, "end of the time window, ms (default: end of the run)")->check(CLI::NonNegativeNumber);
        sub->add_option("--panels", request->panels, "panels, top to bottom: raster,rate,v,weights,fields (default: each with data but fields)");
        sub->add_option("--populations", request->populations, "populations to show, e.g. exc,inh (default: all)");
        sub->add_option("--weights-at", request->weights_at_ms, "weight snapshot: the last one at or before this time, ms (default: the last)");
        sub->add_option("--size", request->size, "image or window size in pixels (default 1600x900)");
        sub->add_option("--projection", request->projection, "projection whose weights and fields are shown (default: the first recorded)");
        sub->add_option("--field-shape", request->field_shape,
                        "fields panel: the pre population as an image, e.g. 28x28 (default: square)");
        sub->add_option("--copy", request->copy, "batched recordings: the copy to show (default 0)");
    }
    view_app->add_option("--close-after", view.close_after_s, "close the window by itself after this many seconds (for scripts)")
        ->check(CLI::NonNegativeNumber);
    plot_app->add_flag("-q,--quiet", plot.quiet, "print nothing when done");
    plot_app->footer("\nRenders offscreen with OpenGL, which needs an X display: on a machine without one, run\n"
                     "xvfb-run -a myelin plot run.h5 -o raster.png\n"
                     "Exit status: 0 done; 2 bad input (not a recording, unknown panel or population, empty\n"
                     "time range; nothing written); 1 other error (no display, cannot write the PNG).");

    app.add_subcommand("models", "List the neuron models, spike sources and plasticity rules with their parameters");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : cli::exit_usage;
    }
    try {
        if (run_app->parsed()) return cli::run_command(run);
        if (info_app->parsed()) return cli::info_command(info_config, info_set, info_threads);
        if (export_app->parsed()) return cli::export_command(export_options);
        if (import_app->parsed()) return cli::import_command(import_options);
        if (train_app->parsed() && train.compare && seeds_option->count() == 0) train.seeds = 5;
        if (train_app->parsed()) return cli::train_command(train);
        if (spatial_app->parsed()) return cli::spatial_patterns_command(spatial_config);
        if (plot_app->parsed()) return cli::plot_command(plot);
        if (view_app->parsed()) return cli::view_command(view);
        return cli::models_command();
    } catch (const cli::UsageError& e) {
        std::cerr << "myelin: error: " << e.what() << "\n";
        return cli::exit_usage;
    } catch (const ConfigError& e) {
        std::cerr << "myelin: error: " << e.what() << "\n";
        return cli::exit_usage;
    } catch (const Error& e) {
        std::cerr << "myelin: error: " << e.what() << "\n";
        return cli::exit_error;
    } catch (const std::exception& e) {
        std::cerr << "myelin: internal error: " << e.what() << " (please report this)\n";
        return cli::exit_internal;
    }
}
