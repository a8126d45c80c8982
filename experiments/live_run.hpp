// `myelin run --view` (docs/viewer.md): the simulation on a worker thread, the live window on
// this one (SFML wants its windows on the main thread). Closing the window leaves the run
// going, headless, to its end and its recording; Ctrl-C stops both.
#pragma once

#include "io/run_spec.hpp"
#include "sim/network.hpp"
#include "sim/recorder.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace myelin::cli {

struct LiveView {
    unsigned width = 1600, height = 900;  // window, px
    double span_ms = 1000.0;             // simulated time the window shows while following the run
    double close_after_s = 0.0;          // > 0: the window closes itself (scripts, tests)
    std::string panels;                  // --view-panels, e.g. "raster,fields"; empty: each with data
    std::string field_shape;             // --field-shape for the fields panel; empty: square
    std::string title;
    std::string output;                  // the recording, named on stderr if the window closes first
};

// `simulate(recorder)` runs the whole command's simulation with `recorder` in front of the
// recording (`recording`, may be null) and returns the exit code; it runs on the worker.
int run_with_view(const LiveView& view, const io::RunSpec& run, const sim::Network& network, std::int64_t start_step,
                  sim::Recorder* recording, const std::function<int(sim::Recorder*)>& simulate,
                  const std::atomic<bool>& interrupt);

}  // namespace myelin::cli
