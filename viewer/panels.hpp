// The four panels. Each draws one view of the run into `box` (the plotting area, in target
// pixels) of any sf::RenderTarget, so a window and an offscreen texture share the code.
#pragma once

#include "viewer/plot_options.hpp"
#include "viewer/run_data.hpp"

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/Rect.hpp>
#include <SFML/Graphics/RenderTarget.hpp>

namespace myelin::viewer {

// Spike raster: shown populations stacked bottom-up (the first at the bottom), neuron 0 at
// the bottom of its band; x is time. Spikes are decimated per pixel column, so the cost is
// the spikes in the window plus the panel's pixels, and the draw is one textured quad.
void draw_raster(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
                 const sf::Font& font, bool x_labels);

// Population rate (Hz per neuron) in bins of rate_bin_ms(...), one line per population.
void draw_rate(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
               const sf::Font& font, bool x_labels);
double rate_bin_ms(const RunData& data, const PlotOptions& options);   // a 1/2/5 value >= window/100 and >= dt
double rate_axis_max(const RunData& data, const PlotOptions& options);  // top of the rate axis, Hz

// Sampled state traces (the first recorded variable, "v" if there is one), one line per neuron.
void draw_traces(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
                 const sf::Font& font, bool x_labels);

// Weight matrix (pre x post) of the chosen projection (options.projection) at the chosen snapshot.
void draw_weights(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
                  const sf::Font& font);

// Receptive fields: each post neuron's incoming weights of the chosen projection as an image
// of options.field_width x field_height (the pre population's size), tiles in a grid.
void draw_fields(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
                 const sf::Font& font);

// The tile grid of draw_fields: columns and rows of tiles, screen pixels per weight.
struct FieldGrid {
    std::size_t columns = 0, rows = 0;
    double scale = 0.0;
};
FieldGrid field_grid(const sf::FloatRect& box, std::size_t tiles, unsigned width, unsigned height);
// Where post neuron `post`'s tile is drawn.
sf::FloatRect field_tile(const sf::FloatRect& box, const FieldGrid& grid, unsigned width, unsigned height, std::size_t post);

}  // namespace myelin::viewer
