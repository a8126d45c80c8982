// Parsing and checking plot options (plot_options.hpp).
#include "viewer/plot_options.hpp"

#include "sim/error.hpp"

#include <algorithm>
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
        {"traces", PanelKind::traces}, {"weights", PanelKind::weights}};
    std::vector<PanelKind> panels;
    for (const std::string& item : split(list)) {
        const auto found = std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == item; });
        if (found == names.end())
            throw Error("--panels: unknown panel \"" + item + "\" (known: raster, rate, v, weights)");
        if (std::find(panels.begin(), panels.end(), found->second) == panels.end()) panels.push_back(found->second);
    }
    if (panels.empty()) throw Error("--panels: no panel named (known: raster, rate, v, weights)");
    return panels;
}

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
    std::erase_if(options.panels, [&](PanelKind k) {
        return (k == PanelKind::traces && data.traces.empty()) || (k == PanelKind::weights && data.weights.empty());
    });
    if (options.panels.empty()) options.panels.push_back(PanelKind::raster);
    return options;
}

bool shown(const PlotOptions& options, std::size_t population) {
    return population >= options.hidden.size() || !options.hidden[population];
}

}  // namespace myelin::viewer
