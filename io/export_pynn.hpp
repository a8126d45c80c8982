// Writing a PynnPlan as a directory a SpiNNaker user runs: run.py (pyNN.spiNNaker, or pyNN.brian2
// with --backend brian2), one connection file per projection (PyNN FromFileConnector format),
// spike-source data, and report.md (docs/export.md).
#pragma once

#include "io/pynn_plan.hpp"

#include <string>

namespace myelin::io {

// Writes into a fresh sibling folder and renames it to `directory` at the end, so a failed export
// leaves nothing half-written; an existing `directory` is replaced only if it holds a previous
// export (a run.py and a report.md) or nothing. Throws IoError naming the path.
void write_pynn_export(const PynnPlan& plan, const std::string& directory);

// The script alone (tests read it).
std::string pynn_script(const PynnPlan& plan);

}  // namespace myelin::io
