// myelin export: build the network a config describes and write it for another platform.
// `--to` picks the target; each target's mapping lives in io/ (NIR: io/nir_export.cpp).
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "io/config.hpp"
#include "io/nir_export.hpp"
#include "sim/error.hpp"

#include <iostream>

namespace myelin::cli {
namespace {

int export_nir(const ExportOptions& options, const io::RunSpec& run, const sim::Network& network, const Catalogue& catalogue) {
    io::NirExportOptions nir;
    nir.time_unit = io::parse_time_unit(options.time_unit, "--time-unit");
    if (options.max_dense > 0) nir.max_dense_entries = static_cast<std::size_t>(options.max_dense);
    const io::NirExport exported = io::to_nir(run, network, catalogue.models, nir);
    io::write_nir(exported.graph, options.output);
    for (const auto& note : exported.notes) std::cerr << "myelin: note: " << note << "\n";
    std::cout << options.output << ": NIR graph with " << exported.graph.nodes.size() << " nodes and " << exported.graph.edges.size()
              << " edges (times in " << options.time_unit << ", dt = " << network.dt << " ms)\n";
    return 0;
}

}  // namespace

int export_command(const ExportOptions& options) {
    if (options.target != "nir") throw UsageError("--to " + options.target + " is not a known export target (known: nir)");
    if (options.time_unit != "ms" && options.time_unit != "s") throw UsageError("--time-unit must be s or ms, not " + options.time_unit);
    const Catalogue catalogue;
    const io::RunSpec run = io::load_config(options.config, io::ConfigOverrides{options.set}, catalogue.models, catalogue.rules);
    // Export what Myelin would simulate: the built connectivity and weights for this seed.
    const sim::Network network = sim::build(run.network, catalogue.models, catalogue.rules, 1);
    return export_nir(options, run, network, catalogue);
}

}  // namespace myelin::cli
