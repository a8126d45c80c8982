// myelin export: build the network a config (or a checkpoint) describes and write it for other
// hardware (docs/export.md). One function per target, each mapping in io/; --to picks it.
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "io/checkpoint.hpp"
#include "io/config.hpp"
#include "io/export_pynn.hpp"
#include "io/nir_export.hpp"
#include "sim/error.hpp"
#include "sim/network.hpp"
#include "sim/suggest.hpp"

#include <algorithm>

#include <cstdio>
#include <iostream>

namespace myelin::cli {
namespace {

// What is exported: the network as Myelin would simulate it (built connectivity, weights,
// delays and initial values for the seed, which do not depend on the thread count), or the
// network a checkpoint holds, with its learned weights and current state.
struct Source {
    io::RunSpec run;
    sim::Network network;
};

Source load_source(const ExportOptions& options, const Catalogue& catalogue) {
    io::ConfigOverrides overrides{options.set};
    if (options.seed >= 0) overrides.set.push_back("simulation.seed=" + std::to_string(options.seed));
    if (!io::is_hdf5_file(options.input)) {
        io::RunSpec run = io::load_config(options.input, overrides, catalogue.models, catalogue.rules);
        sim::Network network = sim::build(run.network, catalogue.models, catalogue.rules, 1);
        return {std::move(run), std::move(network)};
    }
    try {
        const io::Checkpoint checkpoint = io::read_checkpoint(options.input);
        io::RunSpec run = io::resume_spec(checkpoint, options.input, overrides, catalogue.models, catalogue.rules);
        sim::Network network = sim::build(run.network, catalogue.models, catalogue.rules, 1);
        sim::Simulation(network).restore(checkpoint.state);
        return {std::move(run), std::move(network)};
    } catch (const Error& e) {
        throw ConfigError("", 0, 0, e.what());
    }
}

int export_spinnaker(const ExportOptions& options, const Source& source, const Catalogue& catalogue) {
    io::PynnExportOptions export_options;
    export_options.timestep = options.timestep;
    export_options.neurons_per_core = options.neurons_per_core;
    export_options.approximate = options.approximate;
    const io::PynnPlan plan = io::plan_pynn_export(source.run, source.network, catalogue.models, catalogue.rules, export_options);
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

int export_nir(const ExportOptions& options, const Source& source, const Catalogue& catalogue) {
    io::NirExportOptions nir;
    nir.time_unit = io::parse_time_unit(options.time_unit, "--time-unit");
    if (options.max_dense > 0) nir.max_dense_entries = static_cast<std::size_t>(options.max_dense);
    const io::NirExport exported = io::to_nir(source.run, source.network, catalogue.models, nir);
    io::write_nir(exported.graph, options.output);
    for (const auto& note : exported.notes) std::cerr << "myelin: note: " << note << "\n";
    if (!options.quiet)
        std::cout << options.output << ": NIR graph with " << exported.graph.nodes.size() << " nodes and "
                  << exported.graph.edges.size() << " edges (times in " << options.time_unit << ", dt = "
                  << source.network.dt << " ms)\n";
    return 0;
}

}  // namespace

int export_command(const ExportOptions& options) {
    const auto targets = export_targets();
    if (std::find(targets.begin(), targets.end(), options.to) == targets.end())
        throw UsageError("--to " + options.to + " is not a known export target" + sim::did_you_mean(options.to, targets) +
                         "; known: " + sim::join(targets));
    if (options.to == "nir" && options.time_unit != "ms" && options.time_unit != "s")
        throw UsageError("--time-unit must be s or ms, not " + options.time_unit);
    const Catalogue catalogue;
    const Source source = load_source(options, catalogue);
    if (options.to == "spinnaker") return export_spinnaker(options, source, catalogue);
    if (options.to == "nir") return export_nir(options, source, catalogue);
    throw InternalError("export target " + options.to + " has no exporter");
}

std::vector<std::string> export_targets() { return {"spinnaker", "nir"}; }

}  // namespace myelin::cli
