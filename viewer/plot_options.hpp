// What a plot shows: the panels, the time window and the populations. Shared by `myelin plot`
// and `myelin view`; checked against the data before anything is drawn.
#pragma once

#include "viewer/run_data.hpp"

#include <string>
#include <vector>

namespace myelin::viewer {

enum class PanelKind { raster, rate, traces, weights, fields };

struct PlotOptions {
    bool whole_run = true;                    // ignore from/to: the whole simulated time
    double from_ms = 0.0, to_ms = 0.0;        // the time window
    std::vector<PanelKind> panels{PanelKind::raster, PanelKind::rate, PanelKind::traces, PanelKind::weights};
    std::vector<bool> hidden;                 // per population of RunData (empty: all shown)
    double weight_time_ms = -1.0;             // weight snapshot to show: the last one at or before it (<0: last)
    std::size_t projection = 0;               // which of RunData::weights the weights panel shows
    unsigned field_width = 0, field_height = 0;  // fields panel: pre population as an image (0: square)
};

// "raster,rate,v,weights" -> panels; throws UsageError-like myelin::Error naming the bad one.
std::vector<PanelKind> parse_panels(const std::string& list);

// "ee" -> its index in data.weights; throws naming the recorded projections.
std::size_t projection_index(const RunData& data, const std::string& name);

// "28x28" -> field_width, field_height; throws on anything else.
void parse_field_shape(const std::string& text, PlotOptions& options);

// "exc,inh" -> hidden flags over data.populations; throws naming an unknown population.
std::vector<bool> visible_only(const RunData& data, const std::string& list);

// Fills a whole-run window, drops panels with nothing to show (traces, weights, fields), fills
// a square field shape, and throws if the window is empty or outside the run, or the field
// shape does not match the projection's pre population.
PlotOptions resolve(const RunData& data, PlotOptions options);

// For a live run (nothing simulated yet): the first `span_ms` from the start, the panels the
// run will have data for; throws like resolve() on bad names.
PlotOptions resolve_live(const RunData& skeleton, PlotOptions options, double span_ms);

bool shown(const PlotOptions& options, std::size_t population);

}  // namespace myelin::viewer
