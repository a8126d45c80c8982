// State traces (panels.hpp): the samples of one variable in the window, one line per neuron.
#include "viewer/axes.hpp"
#include "viewer/panels.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/VertexArray.hpp>

#include <algorithm>
#include <limits>

namespace myelin::viewer {

void draw_traces(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
                 const sf::Font& font, bool x_labels) {
    // The variable: "v" if any population recorded it, else the first one recorded.
    const bool has_v = std::any_of(data.traces.begin(), data.traces.end(), [](const StateTrace& t) { return t.variable == "v"; });
    const std::string variable = has_v || data.traces.empty() ? std::string("v") : data.traces.front().variable;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    const auto in_window = [&](const StateTrace& trace, std::size_t& first, std::size_t& last) {
        first = static_cast<std::size_t>(std::lower_bound(trace.times_ms.begin(), trace.times_ms.end(), options.from_ms) -
                                         trace.times_ms.begin());
        last = static_cast<std::size_t>(std::upper_bound(trace.times_ms.begin(), trace.times_ms.end(), options.to_ms) -
                                        trace.times_ms.begin());
    };
    std::size_t population_index = 0;
    const auto index_of = [&](const std::string& name) {
        for (std::size_t p = 0; p < data.populations.size(); ++p)
            if (data.populations[p].name == name) return p;
        return population_index;
    };
    for (const auto& trace : data.traces) {
        if (trace.variable != variable || !shown(options, index_of(trace.population))) continue;
        std::size_t first, last;
        in_window(trace, first, last);
        const std::size_t k = trace.neurons.size();
        for (std::size_t i = first * k; i < last * k; ++i) {
            lo = std::min(lo, trace.values[i]);
            hi = std::max(hi, trace.values[i]);
        }
    }
    if (!(hi > lo)) {  // nothing in the window, or a flat line: any visible range will do
        lo = (lo == std::numeric_limits<double>::infinity()) ? 0.0 : lo - 1.0;
        hi = lo + 2.0;
    }
    const double pad = 0.05 * (hi - lo);
    lo -= pad;
    hi += pad;
    std::string title = variable;
    for (const auto& trace : data.traces)
        if (trace.variable == variable && !trace.unit.empty()) title = variable + " (" + trace.unit + ")";
    draw_axes(target, box, {options.from_ms, options.to_ms, "time (ms)"}, {lo, hi, title}, font, x_labels);
    const double span = options.to_ms - options.from_ms;
    for (const auto& trace : data.traces) {
        const std::size_t p = index_of(trace.population);
        if (trace.variable != variable || !shown(options, p)) continue;
        std::size_t first, last;
        in_window(trace, first, last);
        const std::size_t k = trace.neurons.size();
        for (std::size_t n = 0; n < k; ++n) {
            // Neurons of one population alternate between its colour and a darker shade.
            sf::Color colour = population_colour(p);
            if (n % 2) colour = {static_cast<sf::Uint8>(colour.r * 0.6), static_cast<sf::Uint8>(colour.g * 0.6),
                                 static_cast<sf::Uint8>(colour.b * 0.6)};
            sf::VertexArray line(sf::LineStrip);
            for (std::size_t s = first; s < last; ++s)
                line.append({{box.left + static_cast<float>((trace.times_ms[s] - options.from_ms) / span) * box.width,
                              box.top + box.height - static_cast<float>((trace.values[s * k + n] - lo) / (hi - lo)) * box.height},
                             colour});
            target.draw(line);
        }
    }
}

}  // namespace myelin::viewer
