// myelin export: build the network a config describes and write it for other hardware
// (docs/export.md). One function per target; --to picks it.
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "io/config.hpp"
#include "io/export_pynn.hpp"
#include "sim/error.hpp"
#include "sim/network.hpp"

#include <tbb/info.h>

#include <cstdio>
#include <iostream>

namespace myelin::cli {
namespace {

int export_spinnaker(const ExportOptions& options) {
    const Catalogue catalogue;
    io::ConfigOverrides overrides{options.set};
    if (options.seed >= 0) overrides.set.push_back("simulation.seed=" + std::to_string(options.seed));
    const io::RunSpec run = io::load_config(options.input, overrides, catalogue.models, catalogue.rules);
    // The network Myelin would simulate (connectivity, weights, delays and initial values do not
    // depend on the thread count), exported from its built form.
    const int threads = run.threads > 0 ? run.threads : tbb::info::default_concurrency();
    const sim::Network network = sim::build(run.network, catalogue.models, catalogue.rules, threads);
    io::PynnExportOptions export_options;
    export_options.timestep = options.timestep;
    export_options.neurons_per_core = options.neurons_per_core;
    export_options.approximate = options.approximate;
    const io::PynnPlan plan = io::plan_pynn_export(run, network, catalogue.models, catalogue.rules, export_options);
    io::write_pynn_export(plan, options.output);
    if (!options.quiet) {
        std::size_t connections = 0;
        for (const auto& p : plan.projections) connections += p.connections.size();
        std::printf("%s: %zu populations, %zu projections, %zu connections -> %s (timestep %g ms)\n"
                    "  largest relative weight error in SpiNNaker's 16-bit weights: %.3g (best) .. %.3g (worst)\n"
                    "  run: python3 %s/run.py [--backend brian2]; approximations: %s/report.md\n",
                    options.input.c_str(), plan.populations.size(), plan.projections.size(), connections,
                    options.output.c_str(), plan.timestep, plan.largest_weight_error, plan.largest_weight_error_worst,
                    options.output.c_str(), options.output.c_str());
    }
    return 0;
}

}  // namespace

int export_command(const ExportOptions& options) {
    if (options.to == "spinnaker") return export_spinnaker(options);
    throw InternalError("export target " + options.to + " passed the command line's check");
}

std::vector<std::string> export_targets() { return {"spinnaker"}; }

}  // namespace myelin::cli
