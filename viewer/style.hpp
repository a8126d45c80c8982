// Colours and sizes every panel shares, so a population has one colour in all panels and the
// tests can look for it in the pixels.
#pragma once

#include <SFML/Graphics/Color.hpp>

#include <cstddef>

namespace myelin::viewer {

inline const sf::Color background{255, 255, 255};
inline const sf::Color axis_colour{40, 40, 40};
inline const sf::Color grid_colour{230, 230, 230};

// Colour of population i (cycles after ten): Tableau-10, distinct and readable on white.
inline sf::Color population_colour(std::size_t i) {
    static constexpr unsigned char rgb[10][3] = {{31, 119, 180}, {214, 39, 40},  {44, 160, 44},  {255, 127, 14},
                                                 {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127},
                                                 {188, 189, 34},  {23, 190, 207}};
    const auto& c = rgb[i % 10];
    return {c[0], c[1], c[2]};
}

// Weights (matrix and receptive fields), x in [0, 1] from the lowest to the highest weight:
// (40, 20, 110) dark blue -> (250, 230, 40) yellow.
inline sf::Color weight_colour(double x) {
    const auto mix = [&](double a, double b) { return static_cast<sf::Uint8>(a + (b - a) * x); };
    return {mix(40, 250), mix(20, 230), mix(110, 40)};
}

inline constexpr unsigned label_size = 13;  // px
inline constexpr float margin_left = 70.f, margin_right = 150.f, margin_top = 24.f, margin_bottom = 40.f;  // px
inline constexpr float panel_gap = 50.f;  // px between stacked panels (room for tick labels)

}  // namespace myelin::viewer
