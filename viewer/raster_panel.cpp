// The spike raster (panels.hpp). Decimation: each spike marks one cell of a per-population
// bitmap (pixel column x pixel row); a window with very many spikes marks the cells from the
// levels built ahead of time instead (raster_levels.hpp), so its cost is its cells, not spikes.
// The lit cells are painted into one image drawn as a single textured quad: quads per run of
// lit cells were tried first, but at densities near one spike per pixel they made ~10^5 quads
// (130 ms per redraw); the image costs the box's pixels whatever the density.
#include "viewer/axes.hpp"
#include "viewer/panels.hpp"
#include "viewer/raster_levels.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/RectangleShape.hpp>
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
    // RGBA, transparent where no spike: written directly (sf::Image::setPixel per marker
    // pixel cost ~5 ms at full density) and uploaded once.
    std::vector<sf::Uint8> pixels(static_cast<std::size_t>(columns) * static_cast<std::size_t>(pixel_rows) * 4, 0);
    double row0 = 0;
    for (std::size_t p = 0; p < data.populations.size(); ++p) {
        if (!shown(options, p)) continue;
        const std::vector<std::uint8_t> lit =
            raster_cells(data, p, options.from_ms, options.to_ms, columns, pixel_rows, row0, rows);
        // Each lit cell paints its marker; cells are at most the box's pixels, and a marker
        // only reaches down to the next neuron's row, so this is bounded by ~2x the box.
        const sf::Color colour = population_colour(p);
        const sf::Uint8 rgba[4] = {colour.r, colour.g, colour.b, 255};
        for (int r = 0; r < pixel_rows; ++r) {
            const std::uint8_t* row = &lit[static_cast<std::size_t>(r) * columns];
            for (int c = 0; c < columns; ++c) {
                if (!row[c]) continue;
                for (int y = r; y < std::min(pixel_rows, r + marker_h); ++y)
                    for (int x = c; x < std::min(columns, c + marker_w); ++x)
                        std::copy(rgba, rgba + 4, &pixels[(static_cast<std::size_t>(y) * columns + x) * 4]);
            }
        }
        row0 += data.populations[p].size;
    }
    sf::Texture texture;
    texture.create(static_cast<unsigned>(columns), static_cast<unsigned>(pixel_rows));
    texture.update(pixels.data());
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
