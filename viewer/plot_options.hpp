// What a plot shows: the panels, the time window and the populations. Shared by `myelin plot`
// and `myelin view`; checked against the data before anything is drawn.
#pragma once

#include "viewer/run_data.hpp"

#include <string>
#include <vector>

namespace myelin::viewer {

enum class PanelKind { raster, rate, traces, weights };

struct PlotOptions {
    bool whole_run = true;                    // ignore from/to: the whole simulated time
    double from_ms = 0.0, to_ms = 0.0;        // the time window
    std::vector<PanelKind> panels{PanelKind::raster, PanelKind::rate, PanelKind::traces, PanelKind::weights};
    std::vector<bool> hidden;                 // per population of RunData (empty: all shown)
    double weight_time_ms = -1.0;             // weight snapshot to show: the last one at or before it (<0: last)
};

// "raster,rate,v,weights" -> panels; throws UsageError-like myelin::Error naming the bad one.
std::vector<PanelKind> parse_panels(const std::string& list);

// "exc,inh" -> hidden flags over data.populations; throws naming an unknown population.
std::vector<bool> visible_only(const RunData& data, const std::string& list);

// Fills a whole-run window, drops panels with nothing to show (traces, weights) and throws if
// the window is empty or outside the run.
PlotOptions resolve(const RunData& data, PlotOptions options);

bool shown(const PlotOptions& options, std::size_t population);

}  // namespace myelin::viewer
