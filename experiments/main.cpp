// The myelin command line (DESIGN.md "Command line"): run, info, export, models.
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
    run_app->add_option("config", run.config, "experiment config (TOML)")->required()->check(CLI::ExistingFile);
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
    run_app->footer(
        "\nThe config format is in docs/config.md, the recording layout in docs/recording.md.\n"
        "A progress line is shown on a terminal. Ctrl-C stops at the end of the current step and\n"
        "finishes the recording, marked as interrupted.\n"
        "Exit status: 0 done; 2 bad config or command line (nothing written); 1 other error\n"
        "(e.g. the recording cannot be written); 130 interrupted; 3 internal error.");

    std::string info_config;
    std::vector<std::string> info_set;
    int info_threads = -1;
    CLI::App* info_app = app.add_subcommand("info", "Print what a config would build (populations, projections, synapses, memory) without running it");
    info_app->add_option("config", info_config, "experiment config (TOML)")->required()->check(CLI::ExistingFile);
    info_app->add_option("--set", info_set, "change a config value, as for run")->allow_extra_args(false);
    info_app->add_option("--threads", info_threads, "threads to estimate memory for")->check(CLI::Range(0, 1024));

    cli::ExportOptions export_options;
    CLI::App* export_app = app.add_subcommand("export", "Write the network a config builds for neuromorphic hardware (docs/export.md)");
    export_app->add_option("config", export_options.input, "experiment config (TOML)")->required()->check(CLI::ExistingFile);
    export_app->add_option("--to", export_options.to, "target: spinnaker (a PyNN script directory)")
        ->required()->check(CLI::IsMember(cli::export_targets()));
    export_app->add_option("-o,--output", export_options.output, "output directory")->required();
    export_app->add_option("--set", export_options.set, "change a config value, as for run")->allow_extra_args(false);
    export_app->add_option("--seed", export_options.seed, "random seed (default: [simulation] seed)")->check(CLI::NonNegativeNumber);
    export_app->add_option("--timestep", export_options.timestep, "spinnaker: tick in ms, 0.1 or 1.0 (default: dt if it is one)");
    export_app->add_option("--neurons-per-core", export_options.neurons_per_core, "spinnaker: neurons per core (default 256)")
        ->check(CLI::Range(1, 1024));
    export_app->add_flag("--approximate", export_options.approximate,
                         "accept the documented approximations (static weights for rules SpiNNaker lacks, clamped delays)");
    export_app->add_flag("-q,--quiet", export_options.quiet, "print no summary");
    export_app->footer("\nEvery approximation and SpiNNaker limit hit is listed in DIR/report.md (docs/export.md).\n"
                       "Exit status: 0 done; 2 bad config or command line; 1 refused (no SpiNNaker equivalent) or\n"
                       "the directory cannot be written; nothing is written unless the export succeeds.");

    app.add_subcommand("models", "List the neuron models, spike sources and plasticity rules with their parameters");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : cli::exit_usage;
    }
    try {
        if (run_app->parsed()) return cli::run_command(run);
        if (export_app->parsed()) return cli::export_command(export_options);
        if (info_app->parsed()) return cli::info_command(info_config, info_set, info_threads);
        return cli::models_command();
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
