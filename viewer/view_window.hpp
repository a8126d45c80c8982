// `myelin view`: an interactive window over a recording. Wheel zooms time around the mouse,
// drag pans, Home/End jump to the start/end, 0 shows the whole run, 1-9 toggle populations,
// [ and ] step through the weight snapshots, the hover readout names time, population and
// neuron; Esc or Q closes.
#pragma once

#include "viewer/plot_options.hpp"
#include "viewer/run_data.hpp"

#include <string>

namespace myelin::viewer {

// Needs a display (display.hpp). close_after_s > 0 closes the window by itself (for scripts
// and tests that take a screenshot).
void run_view_window(const RunData& data, PlotOptions options, unsigned width, unsigned height, const std::string& title,
                     double close_after_s = 0.0);

// The population and neuron under pixel row y of a raster box (false if none): the inverse
// of draw_raster's stacking.
bool raster_neuron_at(const RunData& data, const PlotOptions& options, float box_top, float box_height, float y,
                      std::size_t& population, std::uint32_t& neuron);

}  // namespace myelin::viewer
