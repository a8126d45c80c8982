// Weight matrix (panels.hpp): mean weight per cell of a pre x post grid at most as fine as the
// panel's pixels (pre 0 at the bottom, as on the axis), coloured from dark blue (lowest) to
// yellow (highest); cells without a synapse stay white.
#include "viewer/axes.hpp"
#include "viewer/panels.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/Image.hpp>
#include <SFML/Graphics/RectangleShape.hpp>
#include <SFML/Graphics/Sprite.hpp>
#include <SFML/Graphics/Texture.hpp>

#include <algorithm>
#include <cstdio>

namespace myelin::viewer {
void draw_weights(sf::RenderTarget& target, const RunData& data, const PlotOptions& options, const sf::FloatRect& box,
                  const sf::Font& font) {
    if (data.weights.empty()) return;
    const WeightSnapshots& w = data.weights[std::min(options.projection, data.weights.size() - 1)];
    const std::size_t synapses = w.pre.size();
    if (w.times_ms.empty() || w.n_pre == 0 || w.n_post == 0) return;
    // The last snapshot at or before the chosen time (default: the last one).
    std::size_t snapshot = w.times_ms.size() - 1;
    if (options.weight_time_ms >= 0.0)
        while (snapshot > 0 && w.times_ms[snapshot] > options.weight_time_ms + 1e-9) --snapshot;
    const float* weights = &w.weights[snapshot * synapses];

    const unsigned cols = std::min<unsigned>(w.n_post, std::max(1u, static_cast<unsigned>(box.width)));
    const unsigned rows = std::min<unsigned>(w.n_pre, std::max(1u, static_cast<unsigned>(box.height)));
    std::vector<double> sum(static_cast<std::size_t>(cols) * rows, 0.0);
    std::vector<unsigned> count(sum.size(), 0);
    float lo = synapses ? weights[0] : 0.f, hi = lo;
    for (std::size_t s = 0; s < synapses; ++s) {
        const std::size_t r = static_cast<std::size_t>(w.pre[s]) * rows / w.n_pre;
        const std::size_t c = static_cast<std::size_t>(w.post[s]) * cols / w.n_post;
        sum[r * cols + c] += weights[s];
        ++count[r * cols + c];
        lo = std::min(lo, weights[s]);
        hi = std::max(hi, weights[s]);
    }
    sf::Image image;
    image.create(cols, rows, sf::Color::White);
    for (unsigned r = 0; r < rows; ++r)
        for (unsigned c = 0; c < cols; ++c)
            if (const unsigned n = count[static_cast<std::size_t>(r) * cols + c])
                image.setPixel(c, rows - 1 - r, weight_colour(hi > lo ? (sum[static_cast<std::size_t>(r) * cols + c] / n - lo) / (hi - lo) : 1.0));
    sf::Texture texture;
    texture.loadFromImage(image);
    sf::Sprite sprite(texture);
    sprite.setPosition(box.left, box.top);
    sprite.setScale(box.width / static_cast<float>(cols), box.height / static_cast<float>(rows));
    target.draw(sprite);

    draw_axes(target, box, {0.0, static_cast<double>(w.n_post), "post neuron"}, {0.0, static_cast<double>(w.n_pre), "pre neuron"},
              font, true);
    char caption[160];
    std::snprintf(caption, sizeof caption, "%s at %g ms: %.3g to %.3g", w.projection.c_str(), w.times_ms[snapshot],
                  static_cast<double>(lo), static_cast<double>(hi));
    draw_label(target, font, caption, box.left, box.top - 6.f, 0.f, 1.f);
}

}  // namespace myelin::viewer
