// myelin import: turn a NIR graph into a config (and its side files) that `myelin run` simulates.
#include "experiments/commands.hpp"
#include "io/nir_import.hpp"
#include "sim/error.hpp"

#include <iostream>

namespace myelin::cli {

int import_command(const ImportOptions& options) {
    io::NirImportOptions nir;
    if (!options.time_unit.empty()) {
        if (options.time_unit != "ms" && options.time_unit != "s") throw UsageError("--time-unit must be s or ms, not " + options.time_unit);
        nir.time_unit = io::parse_time_unit(options.time_unit, "--time-unit");
    }
    if (options.dt > 0.0) nir.dt = options.dt;
    if (options.duration > 0.0) nir.duration = options.duration;
    for (const auto& note : io::import_nir(options.input, options.output, nir)) std::cerr << "myelin: note: " << note << "\n";
    std::cout << options.output << ": config written; run it with: myelin run " << options.output << "\n";
    return 0;
}

}  // namespace myelin::cli
