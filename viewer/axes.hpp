// Axes of a panel: a frame, "nice" ticks (1, 2, 5 x 10^k) with labels, and an axis title.
#pragma once

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/Rect.hpp>
#include <SFML/Graphics/RenderTarget.hpp>

#include <string>
#include <vector>

namespace myelin::viewer {

// Ticks at multiples of a 1/2/5 step covering [lo, hi], about `count` of them.
std::vector<double> nice_ticks(double lo, double hi, int count);
// A 1/2/5 x 10^k value at or above x (x > 0).
double nice_ceil(double x);

struct AxisRange {
    double lo = 0.0, hi = 1.0;
    std::string title;
};

// Frame around `box` (the plotting area), x ticks below it if `x_labels`, y ticks on the left.
void draw_axes(sf::RenderTarget& target, const sf::FloatRect& box, const AxisRange& x, const AxisRange& y,
               const sf::Font& font, bool x_labels);

void draw_label(sf::RenderTarget& target, const sf::Font& font, const std::string& text, float x, float y,
                float align_x = 0.f, float align_y = 0.f, bool vertical = false);

}  // namespace myelin::viewer
