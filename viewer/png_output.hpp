// `myelin plot`: a plot rendered offscreen (sf::RenderTexture) and written as a PNG, all or
// nothing: to a temporary name next to the target, renamed when complete.
#pragma once

#include "viewer/plot_options.hpp"
#include "viewer/run_data.hpp"

#include <string>

namespace myelin::viewer {

// Needs a display (display.hpp). Throws IoError naming the path if it cannot be written.
void write_png(const RunData& data, const PlotOptions& options, unsigned width, unsigned height, const std::string& path);

}  // namespace myelin::viewer
