// Receptive fields (panels.hpp): for each post neuron of the shown projection, its incoming
// weights laid out as an image of the pre population (pre neuron i at column i % width, row
// i / width, row 0 on top, as image datasets are stored), one tile per post neuron, tiles in
// rows from the top left. Colours as the weight matrix: dark blue (lowest weight of the
// snapshot) to yellow (highest); white where a pre neuron has no synapse onto that post neuron.
#include "viewer/axes.hpp"
#include "viewer/panels.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/Image.hpp>
#include <SFML/Graphics/Sprite.hpp>
#include <SFML/Graphics/Texture.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace myelin::viewer {

FieldGrid field_grid(const sf::FloatRect& box, std::size_t tiles, unsigned width, unsigned height) {
    FieldGrid grid;
    if (tiles == 0 || width == 0 || height == 0) return grid;
    // The column count that makes tiles largest; a 1-pixel gap (before scaling) between tiles.
    for (std::size_t columns = 1; columns <= tiles; ++columns) {
        const std::size_t rows = (tiles + columns - 1) / columns;
        const double atlas_w = static_cast<double>(columns * (width + 1) - 1), atlas_h = static_cast<double>(rows * (height + 1) - 1);
        const double scale = std::min(box.width / atlas_w, box.height / atlas_h);
        if (scale > grid.scale) grid = {columns, rows, scale};
    }
    // Whole screen pixels per weight where that costs little (crisp, even tiles).
    if (grid.scale >= 2.0) grid.scale = std::floor(grid.scale);
    return grid;
}

sf::FloatRect field_tile(const sf::FloatRect& box, const FieldGrid& grid, unsigned width, unsigned height, std::size_t post) {
    const auto column = static_cast<float>(post % grid.columns), row = static_cast<float>(post / grid.columns);
    const auto s = static_cast<float>(grid.scale);
    return {box.left + column * static_cast<float>(width + 1) * s, box.top + row * static_cast<float>(height + 1) * s,
            static_cast<float>(width) * s, static_cast<float>(height) * s};
}

void draw_fields(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
                 const sf::Font& font) {
    if (data.weights.empty()) return;
    const WeightSnapshots& w = data.weights[std::min(options.projection, data.weights.size() - 1)];
    const unsigned width = options.field_width, height = options.field_height;
    if (w.times_ms.empty() || w.n_post == 0 || static_cast<std::size_t>(width) * height != w.n_pre) return;
    const std::size_t synapses = w.pre.size();
    std::size_t snapshot = w.times_ms.size() - 1;
    if (options.weight_time_ms >= 0.0)
        while (snapshot > 0 && w.times_ms[snapshot] > options.weight_time_ms + 1e-9) --snapshot;
    const float* weights = &w.weights[snapshot * synapses];
    float lo = synapses ? weights[0] : 0.f, hi = lo;
    for (std::size_t s = 0; s < synapses; ++s) lo = std::min(lo, weights[s]), hi = std::max(hi, weights[s]);

    const FieldGrid grid = field_grid(box, w.n_post, width, height);
    if (grid.columns == 0) return;
    // One image holds every tile at one pixel per weight, gaps in the grid colour; the sprite
    // scales it as a whole.
    const auto atlas_w = static_cast<unsigned>(grid.columns * (width + 1) - 1), atlas_h = static_cast<unsigned>(grid.rows * (height + 1) - 1);
    sf::Image image;
    image.create(atlas_w, atlas_h, grid_colour);
    // Tiles start white (no synapse); the slots after the last tile, with their gaps, are background.
    for (std::size_t slot = 0; slot < grid.columns * grid.rows; ++slot) {
        const auto x0 = static_cast<unsigned>((slot % grid.columns) * (width + 1)), y0 = static_cast<unsigned>((slot / grid.columns) * (height + 1));
        const bool tile = slot < w.n_post;
        for (unsigned y = 0; y < height + (tile ? 0u : 1u) && y0 + y < atlas_h; ++y)
            for (unsigned x = 0; x < width + (tile ? 0u : 1u) && x0 + x < atlas_w; ++x)
                image.setPixel(x0 + x, y0 + y, tile ? sf::Color::White : background);
    }
    for (std::size_t s = 0; s < synapses; ++s) {
        const std::size_t post = w.post[s], pre = w.pre[s];
        const auto x = static_cast<unsigned>((post % grid.columns) * (width + 1) + pre % width);
        const auto y = static_cast<unsigned>((post / grid.columns) * (height + 1) + pre / width);
        image.setPixel(x, y, weight_colour(hi > lo ? (weights[s] - lo) / (hi - lo) : 1.0));
    }
    sf::Texture texture;
    texture.loadFromImage(image);
    sf::Sprite sprite(texture);
    sprite.setPosition(box.left, box.top);
    sprite.setScale(static_cast<float>(grid.scale), static_cast<float>(grid.scale));
    target.draw(sprite);
    char caption[200];
    if (data.weights_only)   // a training report: the learned weights, no time
        std::snprintf(caption, sizeof caption, "%s (learned): fields of %u post neurons (%ux%u), %.3g to %.3g", w.projection.c_str(),
                      w.n_post, width, height, static_cast<double>(lo), static_cast<double>(hi));
    else
        std::snprintf(caption, sizeof caption, "%s at %g ms: fields of %u post neurons (%ux%u), %.3g to %.3g", w.projection.c_str(),
                      w.times_ms[snapshot], w.n_post, width, height, static_cast<double>(lo), static_cast<double>(hi));
    draw_label(target, font, caption, box.left, box.top - 6.f, 0.f, 1.f);
}

}  // namespace myelin::viewer
