// The spike raster (panels.hpp). Decimation: each spike marks one cell of a per-population
// bitmap (pixel column x pixel row); lit cells in a column merge into vertical runs, one quad
// each. So 10^7 spikes cost one pass over them and at most a few quads per column.
#include "viewer/axes.hpp"
#include "viewer/panels.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/RectangleShape.hpp>
#include <SFML/Graphics/VertexArray.hpp>

#include <algorithm>
#include <cmath>

namespace myelin::viewer {

void draw_raster(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
                 const sf::Font& font, bool x_labels) {
    double rows = 0;
    for (std::size_t p = 0; p < data.populations.size(); ++p)
        if (shown(options, p)) rows += data.populations[p].size;
    draw_axes(target, box, {options.from_ms, options.to_ms, "time (ms)"}, {0.0, std::max(rows, 1.0), "neuron"}, font,
              x_labels);
    if (rows == 0) return;

    const int columns = std::max(1, static_cast<int>(box.width)), pixel_rows = std::max(1, static_cast<int>(box.height));
    const double span = options.to_ms - options.from_ms, row_px = box.height / rows;
    // A spike is a marker 2 px wide, or one time step wide when that is wider; rows taller than
    // 3 px keep a 1 px gap so neighbouring neurons stay apart.
    const int marker_w = std::max(2, static_cast<int>(std::lround(data.dt / span * box.width)));
    const int marker_h = row_px > 3.0 ? static_cast<int>(std::floor(row_px)) - 1 : 1;
    sf::VertexArray quads(sf::Quads);
    std::vector<std::uint8_t> lit(static_cast<std::size_t>(columns) * pixel_rows);
    double row0 = 0;
    for (std::size_t p = 0; p < data.populations.size(); ++p) {
        if (!shown(options, p)) continue;
        const PopulationSpikes& pop = data.populations[p];
        std::fill(lit.begin(), lit.end(), 0);
        const auto first = std::lower_bound(pop.t.begin(), pop.t.end(), static_cast<float>(options.from_ms));
        for (auto it = first; it != pop.t.end() && *it <= options.to_ms; ++it) {
            const auto i = static_cast<std::size_t>(it - pop.t.begin());
            const int column = static_cast<int>((*it - options.from_ms) / span * box.width);
            // Pixel row of the top of the neuron's band (rows counted from the bottom).
            const double top = box.height - (row0 + pop.neuron[i] + 1) * row_px;
            const int row = std::clamp(static_cast<int>(std::ceil(top - 1e-6)), 0, pixel_rows - 1);
            lit[static_cast<std::size_t>(std::clamp(column, 0, columns - 1)) * pixel_rows + row] = 1;
        }
        const sf::Color colour = population_colour(p);
        for (int c = 0; c < columns; ++c) {
            const std::uint8_t* col = &lit[static_cast<std::size_t>(c) * pixel_rows];
            for (int r = 0; r < pixel_rows;) {
                if (!col[r]) {
                    ++r;
                    continue;
                }
                int end = r + marker_h;  // exclusive; markers that touch or overlap merge into one run
                int k = r + 1;
                for (; k < pixel_rows && k <= end; ++k)
                    if (col[k]) end = std::max(end, k + marker_h);
                const float x0 = box.left + static_cast<float>(c);
                const float x1 = std::min(box.left + box.width, x0 + static_cast<float>(marker_w));
                const float y0 = box.top + static_cast<float>(r);
                const float y1 = box.top + static_cast<float>(std::min(end, pixel_rows));
                quads.append({{x0, y0}, colour});
                quads.append({{x1, y0}, colour});
                quads.append({{x1, y1}, colour});
                quads.append({{x0, y1}, colour});
                r = k;
            }
        }
        row0 += pop.size;
    }
    target.draw(quads);

    // Legend right of the panel: a swatch and the name of each shown population.
    float y = box.top;
    for (std::size_t p = 0; p < data.populations.size(); ++p) {
        if (!shown(options, p)) continue;
        sf::RectangleShape swatch({12.f, 12.f});
        swatch.setPosition(box.left + box.width + 14.f, y);
        swatch.setFillColor(population_colour(p));
        target.draw(swatch);
        draw_label(target, font, data.populations[p].name + " (" + std::to_string(data.populations[p].size) + ")",
                   box.left + box.width + 32.f, y + 6.f, 0.f, 0.5f);
        y += 20.f;
    }
}

}  // namespace myelin::viewer
