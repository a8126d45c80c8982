// Population rate (panels.hpp): spikes per bin / (neurons x bin), in Hz, drawn at bin centres.
#include "viewer/axes.hpp"
#include "viewer/panels.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/VertexArray.hpp>

#include <algorithm>
#include <cmath>

namespace myelin::viewer {
namespace {

// Rates of population p in consecutive bins from options.from_ms.
std::vector<double> binned_rates(const RunData& data, const PlotOptions& options, std::size_t p, double bin) {
    const PopulationSpikes& pop = data.populations[p];
    const auto bins = static_cast<std::size_t>(std::ceil((options.to_ms - options.from_ms) / bin - 1e-9));
    std::vector<double> rate(std::max<std::size_t>(bins, 1), 0.0);
    if (pop.size == 0) return rate;
    // Counts by binary search on the sorted times, two per bin: the cost is the bins, not the
    // spikes (10^7 spikes in the window would take ~30 ms to walk). Spike times are multiples
    // of dt and the inner edges sit half a step past a bin's start, so no spike is on an edge;
    // the first bin starts at `from`, the last ends at `to`.
    const auto count_below = [&](double t) {  // spikes with time < t
        return static_cast<double>(std::lower_bound(pop.t.begin(), pop.t.end(), static_cast<float>(t)) - pop.t.begin());
    };
    double below = count_below(options.from_ms);
    for (std::size_t b = 0; b < rate.size(); ++b) {
        const double upper = b + 1 < rate.size()
                                 ? count_below(options.from_ms + static_cast<double>(b + 1) * bin + 0.5 * data.dt)
                                 : static_cast<double>(std::upper_bound(pop.t.begin(), pop.t.end(), static_cast<float>(options.to_ms)) -
                                                       pop.t.begin());
        rate[b] = std::max(0.0, upper - below);
        below = std::max(below, upper);
    }
    const double scale = 1000.0 / (bin * pop.size);  // spikes per ms per neuron -> Hz
    for (double& r : rate) r *= scale;
    return rate;
}

}  // namespace

double rate_bin_ms(const RunData& data, const PlotOptions& options) {
    return std::max(data.dt, nice_ceil((options.to_ms - options.from_ms) / 100.0));
}

namespace {

// 10 % headroom so a flat rate does not run along the frame.
double axis_top(const std::vector<std::vector<double>>& rates) {
    double top = 0.0;
    for (const auto& rate : rates)
        for (double r : rate) top = std::max(top, r);
    return top > 0.0 ? nice_ceil(top * 1.1) : 1.0;
}

std::vector<std::vector<double>> shown_rates(const RunData& data, const PlotOptions& options) {
    std::vector<std::vector<double>> rates(data.populations.size());
    for (std::size_t p = 0; p < data.populations.size(); ++p)
        if (shown(options, p)) rates[p] = binned_rates(data, options, p, rate_bin_ms(data, options));
    return rates;
}

}  // namespace

double rate_axis_max(const RunData& data, const PlotOptions& options) { return axis_top(shown_rates(data, options)); }

void draw_rate(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
               const sf::Font& font, bool x_labels) {
    const std::vector<std::vector<double>> rates = shown_rates(data, options);  // one pass over the spikes
    const double top = axis_top(rates), bin = rate_bin_ms(data, options);
    draw_axes(target, box, {options.from_ms, options.to_ms, "time (ms)"}, {0.0, top, "rate (Hz)"}, font, x_labels);
    const double span = options.to_ms - options.from_ms;
    for (std::size_t p = 0; p < data.populations.size(); ++p) {
        if (!shown(options, p)) continue;
        const std::vector<double>& rate = rates[p];
        sf::VertexArray line(sf::LineStrip);
        for (std::size_t b = 0; b < rate.size(); ++b) {
            const double t = std::min(span, (static_cast<double>(b) + 0.5) * bin);
            line.append({{box.left + static_cast<float>(t / span) * box.width,
                          box.top + box.height - static_cast<float>(rate[b] / top) * box.height},
                         population_colour(p)});
        }
        target.draw(line);
    }
}

}  // namespace myelin::viewer
