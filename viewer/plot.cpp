// Layout and drawing of a whole plot (plot.hpp).
#include "viewer/plot.hpp"

#include "sim/error.hpp"
#include "viewer/panels.hpp"
#include "viewer/style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace myelin::viewer {

std::vector<PanelBox> plot_layout(const PlotOptions& options, float width, float height) {
    // Relative heights: the raster is the main view.
    const auto share = [](PanelKind k) {
        switch (k) {
            case PanelKind::raster: return 3.0f;
            case PanelKind::rate: return 1.2f;
            case PanelKind::traces: return 1.5f;
            case PanelKind::weights: return 1.8f;
            case PanelKind::fields: return 2.4f;
        }
        return 1.0f;
    };
    float total = 0.f;
    for (PanelKind k : options.panels) total += share(k);
    const float usable = height - margin_top - margin_bottom - panel_gap * static_cast<float>(options.panels.size() - 1);
    const float plot_width = width - margin_left - margin_right;
    std::vector<PanelBox> boxes;
    float y = margin_top;
    for (PanelKind k : options.panels) {
        const float h = std::floor(usable * share(k) / total);
        // The weight matrix is not on the time axis: a square at most as wide as the time panels.
        const float w = k == PanelKind::weights ? std::min(h, plot_width) : plot_width;
        boxes.push_back({k, {margin_left, std::floor(y), std::floor(w), h}});
        y += h + panel_gap;
    }
    return boxes;
}

void render_plot(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::Font& font) {
    target.clear(background);
    const sf::Vector2f size = target.getView().getSize();
    for (const PanelBox& panel : plot_layout(options, size.x, size.y)) {
        switch (panel.kind) {
            case PanelKind::raster: draw_raster(target, data, options, panel.box, font, true); break;
            case PanelKind::rate: draw_rate(target, data, options, panel.box, font, true); break;
            case PanelKind::traces: draw_traces(target, data, options, panel.box, font, true); break;
            case PanelKind::weights: draw_weights(target, data, options, panel.box, font); break;
            case PanelKind::fields: draw_fields(target, data, options, panel.box, font); break;
        }
    }
}

const sf::Font& default_font() {
    // Loaded on first use, never in a static initialiser: SFML objects must not exist before
    // main. Never freed either: destroying its textures after SFML's GL context is gone at exit
    // can crash.
    static const sf::Font* font = nullptr;
    if (font) return *font;
    const char* from_env = std::getenv("MYELIN_FONT");
    const std::string path = from_env && *from_env ? from_env : "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (!std::filesystem::exists(path))
        throw Error("font " + path + " not found: install the Debian package fonts-dejavu-core "
                    "(or set MYELIN_FONT to a .ttf file)");
    auto loaded = std::make_unique<sf::Font>();
    if (!loaded->loadFromFile(path)) throw Error("font " + path + " could not be read as a TrueType font");
    font = loaded.release();
    return *font;
}

}  // namespace myelin::viewer
