// Parsing and checking plot options (plot_options.hpp).
#include "viewer/plot_options.hpp"

#include "sim/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace myelin::viewer {
namespace {

std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> items;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) items.push_back(item);
    return items;
}

std::string fmt(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

}  // namespace

std::vector<PanelKind> parse_panels(const std::string& list) {
    const std::vector<std::pair<std::string, PanelKind>> names{
        {"raster", PanelKind::raster}, {"rate", PanelKind::rate}, {"v", PanelKind::traces},
        {"traces", PanelKind::traces}, {"weights", PanelKind::weights}, {"fields", PanelKind::fields}};
    std::vector<PanelKind> panels;
    for (const std::string& item : split(list)) {
        const auto found = std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == item; });
        if (found == names.end())
            throw Error("--panels: unknown panel \"" + item + "\" (known: raster, rate, v, weights, fields)");
        if (std::find(panels.begin(), panels.end(), found->second) == panels.end()) panels.push_back(found->second);
    }
    if (panels.empty()) throw Error("--panels: no panel named (known: raster, rate, v, weights, fields)");
    return panels;
}

std::size_t projection_index(const RunData& data, const std::string& name) {
    std::string known;
    for (std::size_t j = 0; j < data.weights.size(); ++j) {
        if (data.weights[j].projection == name) return j;
        known += (known.empty() ? "" : ", ") + data.weights[j].projection;
    }
    throw Error("--projection: no weights of projection \"" + name + "\" in the recording (" +
                (known.empty() ? std::string("it records none") : "it has: " + known) + ")");
}

void parse_field_shape(const std::string& text, PlotOptions& options) {
    unsigned width = 0, height = 0;
    char x = 0, rest = 0;
    if (std::sscanf(text.c_str(), "%u%c%u%c", &width, &x, &height, &rest) != 3 || x != 'x' || width == 0 || height == 0)
        throw Error("--field-shape " + text + ": expected WIDTHxHEIGHT, e.g. 28x28");
    options.field_width = width;
    options.field_height = height;
}

namespace {

// The fields panel's image shape for the chosen projection: given, or the square root of the
// pre population's size.
void check_field_shape(const RunData& data, PlotOptions& options) {
    const WeightSnapshots& w = data.weights[std::min(options.projection, data.weights.size() - 1)];
    if (options.field_width == 0 && options.projection == 0 && data.field_width > 0) {
        options.field_width = data.field_width;   // the shape the file states (a training report's rows x columns)
        options.field_height = data.field_height;
    }
    if (options.field_width == 0) {
        const auto side = static_cast<unsigned>(std::lround(std::sqrt(static_cast<double>(w.n_pre))));
        if (static_cast<std::size_t>(side) * side != w.n_pre)
            throw Error("fields: projection \"" + w.projection + "\" has " + std::to_string(w.n_pre) +
                        " pre neurons, not a square image: give --field-shape WIDTHxHEIGHT");
        options.field_width = options.field_height = side;
    }
    if (static_cast<std::size_t>(options.field_width) * options.field_height != w.n_pre)
        throw Error("--field-shape " + std::to_string(options.field_width) + "x" + std::to_string(options.field_height) + " has " +
                    std::to_string(static_cast<std::size_t>(options.field_width) * options.field_height) + " pixels, but projection \"" +
                    w.projection + "\" has " + std::to_string(w.n_pre) + " pre neurons");
}

void drop_empty_panels(const RunData& data, PlotOptions& options) {
    std::erase_if(options.panels, [&](PanelKind k) {
        return (k == PanelKind::traces && data.traces.empty()) ||
               ((k == PanelKind::weights || k == PanelKind::fields) && data.weights.empty());
    });
    if (options.panels.empty()) options.panels.push_back(PanelKind::raster);
    if (std::find(options.panels.begin(), options.panels.end(), PanelKind::fields) != options.panels.end())
        check_field_shape(data, options);
}

}  // namespace

std::vector<bool> visible_only(const RunData& data, const std::string& list) {
    std::vector<bool> hidden(data.populations.size(), true);
    std::vector<std::string> names;
    for (const auto& p : data.populations) names.push_back(p.name);
    for (const std::string& item : split(list)) {
        const auto found = std::find(names.begin(), names.end(), item);
        if (found == names.end()) {
            std::string known;
            for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
            throw Error("--populations: no population \"" + item + "\" in the recording (it has: " + known + ")");
        }
        hidden[static_cast<std::size_t>(found - names.begin())] = false;
    }
    return hidden;
}

PlotOptions resolve(const RunData& data, PlotOptions options) {
    if (data.weights_only) {
        // A training report: no time axis, so only the weight panels; receptive fields unless asked otherwise.
        options.whole_run = false;
        options.from_ms = options.to_ms = 0.0;
        std::erase_if(options.panels, [](PanelKind k) { return k != PanelKind::weights && k != PanelKind::fields; });
        if (options.panels.empty()) options.panels.push_back(PanelKind::fields);
        if (std::find(options.panels.begin(), options.panels.end(), PanelKind::fields) != options.panels.end())
            check_field_shape(data, options);
        return options;
    }
    const bool whole = options.whole_run;
    if (whole) {
        options.from_ms = data.start_ms;
        options.to_ms = data.end_ms;
        options.whole_run = false;  // resolved: from/to now hold the window
    }
    if (!(options.to_ms > options.from_ms))
        throw Error(whole ? "the recording covers no simulated time (0 steps)"
                          : "empty time range: --from " + fmt(options.from_ms) + " ms is not before --to " +
                                fmt(options.to_ms) + " ms");
    if (options.to_ms <= data.start_ms || options.from_ms >= data.end_ms)
        throw Error("time range " + fmt(options.from_ms) + " to " + fmt(options.to_ms) + " ms is outside the run (" +
                    fmt(data.start_ms) + " to " + fmt(data.end_ms) + " ms)");
    if (options.hidden.empty()) options.hidden.assign(data.populations.size(), false);
    drop_empty_panels(data, options);
    return options;
}

PlotOptions resolve_live(const RunData& skeleton, PlotOptions options, double span_ms) {
    options.whole_run = false;
    options.from_ms = skeleton.start_ms;
    options.to_ms = skeleton.start_ms + std::max(span_ms, 10.0 * skeleton.dt);
    if (options.hidden.empty()) options.hidden.assign(skeleton.populations.size(), false);
    drop_empty_panels(skeleton, options);
    return options;
}

bool shown(const PlotOptions& options, std::size_t population) {
    return population >= options.hidden.size() || !options.hidden[population];
}

}  // namespace myelin::viewer
