// A whole plot: the chosen panels stacked in one target (a window or an offscreen texture),
// time panels sharing one time axis. `plot_layout` is public so tests and the window's hover
// readout map pixels to time and neurons the same way the drawing does.
#pragma once

#include "viewer/plot_options.hpp"
#include "viewer/run_data.hpp"

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/Rect.hpp>
#include <SFML/Graphics/RenderTarget.hpp>

#include <utility>
#include <vector>

namespace myelin::viewer {

struct PanelBox {
    PanelKind kind;
    sf::FloatRect box;  // the plotting area inside the axes, target pixels
};

std::vector<PanelBox> plot_layout(const PlotOptions& options, float width, float height);

void render_plot(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::Font& font);

// DejaVu Sans from fonts-dejavu-core (or $MYELIN_FONT); throws myelin::Error saying which
// package to install when it is missing.
const sf::Font& default_font();

}  // namespace myelin::viewer
