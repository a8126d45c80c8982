// `myelin view`: an interactive window over a recording. Wheel zooms time around the mouse,
// drag pans, Home/End jump to the start/end, 0 shows the whole run, 1-9 toggle populations,
// [ and ] step through the weight snapshots, the hover readout names time, population and
// neuron; Esc or Q closes.
#pragma once

#include "viewer/plot_options.hpp"
#include "viewer/run_data.hpp"

#include <cstdint>
#include <string>

namespace myelin::viewer {

// Where a live window's data comes from (live_feed.hpp), polled once per frame on the
// window's thread.
class LiveSource {
public:
    virtual ~LiveSource() = default;
    virtual bool poll(RunData& data) = 0;          // appends what arrived; true if anything did
    virtual bool finished() const = 0;             // nothing more will arrive
    virtual bool close_requested() const = 0;      // e.g. Ctrl-C: the window should close
    virtual std::uint64_t frames_dropped() const = 0;
};

// Needs a display (display.hpp). close_after_s > 0 closes the window by itself (for scripts
// and tests that take a screenshot).
void run_view_window(const RunData& data, PlotOptions options, unsigned width, unsigned height, const std::string& title,
                     double close_after_s = 0.0);

// `myelin run --view`: the same window while `data` grows. The view follows the simulated
// time, showing the last `options.to_ms - options.from_ms` ms, until the user pans back (End
// follows again); returns when the window is closed (by the user, close_after_s or the source).
void run_live_window(RunData& data, LiveSource& live, PlotOptions options, unsigned width, unsigned height,
                     const std::string& title, double close_after_s = 0.0);

// The population and neuron under pixel row y of a raster box (false if none): the inverse
// of draw_raster's stacking.
bool raster_neuron_at(const RunData& data, const PlotOptions& options, float box_top, float box_height, float y,
                      std::size_t& population, std::uint32_t& neuron);

}  // namespace myelin::viewer
