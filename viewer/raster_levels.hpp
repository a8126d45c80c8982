// A population's spikes decimated ahead of time, for drawing a wide time window fast: which
// (time bin x neuron bin) cells hold a spike, as bitmaps at levels of doubling time bins (a
// count pyramid reduced to "any"). Built once per neuron bin size (it follows the raster's
// height) in one pass over the spikes; drawing a window then costs its cells at the level
// whose bins are just narrower than a pixel column, however many spikes there are.
#pragma once

#include "viewer/run_data.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

namespace myelin::viewer {

struct RasterLevels {
    double start_ms = 0.0;        // bin 0 of every level starts here
    double base_ms = 0.0;         // bins of level k are base_ms * 2^k wide
    double dt = 0.1;              // ms; spike times are (step + 1) * dt
    unsigned neuron_shift = 0;    // a neuron bin holds 2^shift neurons
    std::size_t words = 0;        // 64-bit words per time bin (one bit per neuron bin)
    std::size_t covered = 0;      // the population's first `covered` spikes are in the levels
    std::vector<std::vector<std::uint64_t>> bits;  // per level: time bins x words

    std::size_t bins(std::size_t level) const { return words ? bits[level].size() / words : 0; }
    double bin_ms(std::size_t level) const { return base_ms * static_cast<double>(std::uint64_t{1} << level); }
    // Bin of time t at `level`; spike times sit on whole steps, half a step from any bin edge.
    std::int64_t bin_of(double t, std::size_t level) const {
        return static_cast<std::int64_t>(std::floor((t - start_ms - 0.5 * dt) / bin_ms(level)));
    }
};

// Levels for all of `population`'s spikes (times from start_ms on), finest bins as narrow as
// `max_words` 64-bit words per level allow (at least dt), up to one bin for the whole run.
RasterLevels build_raster_levels(const PopulationSpikes& population, double start_ms, double dt, unsigned neuron_shift,
                                 std::size_t max_words = std::size_t{1} << 20);

// The population's levels for `neuron_shift`, built on first use and rebuilt when live spikes
// not yet in them grow past a quarter of those that are (amortised: each spike is binned a
// bounded number of times). Single-threaded, like everything the window draws.
const RasterLevels& raster_levels(const PopulationSpikes& population, double start_ms, double dt, unsigned neuron_shift);

// The raster's decimation (raster_panel.cpp): which pixel cells (row-major, `rows_px` x
// `columns`) population `p`'s spikes in [from, to] light, its band starting `row0` neurons
// from the bottom of `neuron_rows` stacked rows. A window with more than `levels_above` spikes
// is drawn from the levels (a cell may move by one column: bins, not spikes, are placed),
// others spike by spike.
std::vector<std::uint8_t> raster_cells(const RunData& data, std::size_t p, double from_ms, double to_ms, int columns,
                                       int rows_px, double row0, double neuron_rows,
                                       std::size_t levels_above = std::size_t{1} << 18);

}  // namespace myelin::viewer
