// What the viewer shows of a run, loaded once from a recording (docs/recording.md): spike
// times in ms per population, sampled state traces and weight snapshots, in flat arrays.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace myelin::viewer {

struct RasterLevels;

struct PopulationSpikes {
    std::string name;
    std::uint32_t size = 0;
    std::vector<float> t;                 // ms, ascending (the recording's order)
    std::vector<std::uint32_t> neuron;    // index within the population
    // Drawing's cache of the spikes decimated ahead of time (raster_levels.hpp), made on first use.
    mutable std::shared_ptr<const RasterLevels> levels = nullptr;
};

struct StateTrace {
    std::string population, variable, unit;
    std::vector<std::uint32_t> neurons;   // the sampled neurons
    std::vector<double> times_ms;
    std::vector<double> values;           // samples x neurons, row-major
};

struct WeightSnapshots {
    std::string projection;
    std::uint32_t n_pre = 0, n_post = 0;  // sizes of the pre and post populations
    std::vector<std::uint32_t> pre, post;
    std::vector<double> times_ms;
    std::vector<float> weights;           // snapshots x synapses, row-major
};

struct RunData {
    double dt = 0.1;                      // ms
    double start_ms = 0.0, end_ms = 0.0;  // the simulated time span
    std::vector<PopulationSpikes> populations;
    std::vector<StateTrace> traces;
    std::vector<WeightSnapshots> weights;
    bool weights_only = false;            // a training report: weights, no time axis (report_data.cpp)
    unsigned field_width = 0, field_height = 0;  // the image shape the file gives its first projection's pre side (0: none)
};

// Throws IoError naming the file if it is missing or not a Myelin recording, Error for a copy
// the recording does not hold. `copy`: which copy of a batched run to show (its spikes; traces
// and weights are copy 0's).
// A training report (`myelin train`, docs/learning.md) is loaded by load_train_report.
RunData load_run(const std::string& path, std::uint32_t copy = 0);

// `myelin train` reports: /meta format = "myelin-train-report". load_train_report gives the
// learned receptive fields /weights/input_exc as projection "input_exc" (weights_only, with the
// report's rows x columns as field shape); throws IoError naming the file.
bool is_train_report(const std::string& path);
RunData load_train_report(const std::string& path);

}  // namespace myelin::viewer
