// Export of a built network to a NIR graph (docs/export.md "NIR"): populations become neuron or
// Input nodes, projections Linear weight matrices followed by Delay nodes. Exported from the
// built network (connectivity and weights as simulated), so a checkpoint can feed it too.
#pragma once

#include "io/nir_format.hpp"
#include "io/run_spec.hpp"
#include "sim/model_registry.hpp"
#include "sim/network.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace myelin::io {

enum class NirTimeUnit { ms, s };

// "ms" -> ms, "s" -> s; anything else throws Error naming `option`.
NirTimeUnit parse_time_unit(const std::string& text, const std::string& option);
const char* to_string(NirTimeUnit unit);

struct NirExportOptions {
    NirTimeUnit time_unit = NirTimeUnit::ms;
    // NIR weights are dense matrices: a projection of more pre x post entries is refused
    // (2^24 entries = 64 MiB as float32; raise it with --max-dense).
    std::size_t max_dense_entries = std::size_t{1} << 24;
};

struct NirExport {
    NirGraph graph;
    std::vector<std::string> notes;  // what NIR cannot say and how it was handled
};

// Maps the network; throws Error naming the population, projection or input NIR cannot express.
NirExport to_nir(const RunSpec& run, const sim::Network& network, const sim::ModelRegistry& models,
                 const NirExportOptions& options);

}  // namespace myelin::io
