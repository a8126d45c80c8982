// What `myelin plot` and `myelin view` share: loading a recording and turning the command
// line into plot options, with every bad input as a UsageError (exit 2, nothing written).
#pragma once

#include "experiments/commands.hpp"
#include "viewer/plot_options.hpp"
#include "viewer/run_data.hpp"

namespace myelin::cli {

viewer::RunData load_for_viewing(const std::string& path, unsigned copy = 0);
viewer::PlotOptions plot_options(const viewer::RunData& data, const PlotRequest& request);

}  // namespace myelin::cli
