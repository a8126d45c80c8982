// Axes, ticks and labels (axes.hpp).
#include "viewer/axes.hpp"

#include "viewer/style.hpp"

#include <SFML/Graphics/Text.hpp>
#include <SFML/Graphics/VertexArray.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace myelin::viewer {

double nice_ceil(double x) {
    const double p = std::pow(10.0, std::floor(std::log10(x)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= x * (1 - 1e-12)) return m * p;
    return 10.0 * p;
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
    std::vector<double> ticks;
    if (!(hi > lo) || count < 1) return ticks;
    const double step = nice_ceil((hi - lo) / count);
    for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1.0) ticks.push_back(k * step);
    return ticks;
}

void draw_label(sf::RenderTarget& target, const sf::Font& font, const std::string& text, float x, float y,
                float align_x, float align_y, bool vertical) {
    sf::Text label(text, font, label_size);
    label.setFillColor(axis_colour);
    const sf::FloatRect bounds = label.getLocalBounds();
    label.setOrigin(std::round(bounds.left + align_x * bounds.width), std::round(bounds.top + align_y * bounds.height));
    label.setPosition(std::round(x), std::round(y));
    if (vertical) label.setRotation(-90.f);
    target.draw(label);
}

namespace {

std::string tick_text(double v) {
    std::ostringstream out;
    out << (std::abs(v) < 1e-9 ? 0.0 : v);
    return out.str();
}

}  // namespace

void draw_axes(sf::RenderTarget& target, const sf::FloatRect& box, const AxisRange& x, const AxisRange& y,
               const sf::Font& font, bool x_labels) {
    const float left = box.left, right = box.left + box.width, top = box.top, bottom = box.top + box.height;
    sf::VertexArray lines(sf::Lines);
    const auto line = [&](float x0, float y0, float x1, float y1, sf::Color c) {
        lines.append({{x0, y0}, c});
        lines.append({{x1, y1}, c});
    };
    // About one tick per 90 px (2 to 8), so labels of a narrow panel do not run together.
    for (double t : nice_ticks(x.lo, x.hi, std::clamp(static_cast<int>(box.width / 90.f), 2, 8))) {
        const float px = left + static_cast<float>((t - x.lo) / (x.hi - x.lo)) * box.width;
        line(px, bottom, px, bottom + 5, axis_colour);
        if (x_labels) draw_label(target, font, tick_text(t), px, bottom + 8, 0.5f, 0.f);
    }
    for (double v : nice_ticks(y.lo, y.hi, 4)) {
        const float py = bottom - static_cast<float>((v - y.lo) / (y.hi - y.lo)) * box.height;
        line(left - 5, py, left, py, axis_colour);
        draw_label(target, font, tick_text(v), left - 8, py, 1.f, 0.5f);
    }
    // The frame is the one-pixel ring just outside the box (lines through pixel centres, hence
    // the halves), so data drawn inside the box is never covered.
    line(left - 1.5f, top - 0.5f, right + 1.5f, top - 0.5f, axis_colour);
    line(left - 1.5f, bottom + 0.5f, right + 1.5f, bottom + 0.5f, axis_colour);
    line(left - 0.5f, top - 0.5f, left - 0.5f, bottom + 0.5f, axis_colour);
    line(right + 0.5f, top - 0.5f, right + 0.5f, bottom + 0.5f, axis_colour);
    target.draw(lines);
    if (x_labels && !x.title.empty()) draw_label(target, font, x.title, left + box.width / 2, bottom + 24, 0.5f, 0.f);
    if (!y.title.empty()) draw_label(target, font, y.title, left - 52, top + box.height / 2, 0.5f, 0.5f, true);
}

}  // namespace myelin::viewer
