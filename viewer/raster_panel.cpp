// The spike raster (panels.hpp). Decimation: each spike marks one cell of a per-population
// bitmap (pixel column x pixel row), so 10^7 spikes cost one pass over those in the window.
// The lit cells are painted into one image drawn as a single textured quad: quads per run of
// lit cells were tried first, but at densities near one spike per pixel they made ~10^5 quads
// (130 ms per redraw); the image costs the box's pixels whatever the density.
#include "viewer/axes.hpp"
#include "viewer/panels.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/RectangleShape.hpp>
#include <SFML/Graphics/Image.hpp>
#include <SFML/Graphics/Sprite.hpp>
#include <SFML/Graphics/Texture.hpp>

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
    sf::Image image;
    image.create(static_cast<unsigned>(columns), static_cast<unsigned>(pixel_rows), sf::Color::Transparent);
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
        // Each lit cell paints its marker; cells are at most the box's pixels, and a marker
        // only reaches down to the next neuron's row, so this is bounded by ~2x the box.
        const sf::Color colour = population_colour(p);
        for (int c = 0; c < columns; ++c)
            for (int r = 0; r < pixel_rows; ++r)
                if (lit[static_cast<std::size_t>(c) * pixel_rows + r])
                    for (int x = c; x < std::min(columns, c + marker_w); ++x)
                        for (int y = r; y < std::min(pixel_rows, r + marker_h); ++y)
                            image.setPixel(static_cast<unsigned>(x), static_cast<unsigned>(y), colour);
        row0 += pop.size;
    }
    sf::Texture texture;
    texture.loadFromImage(image);
    sf::Sprite sprite(texture);
    sprite.setPosition(box.left, box.top);
    target.draw(sprite);

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
