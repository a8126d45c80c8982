// A labelled set of greyscale images, as the dataset readers return it (datasets.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace myelin::io {

struct ImageSet {
    std::string name;                   // e.g. "mnist test"
    std::size_t rows = 0, columns = 0;  // pixels per image = rows * columns
    std::vector<std::uint8_t> pixels;   // [image][row][column], grey levels 0..255
    std::vector<std::uint8_t> labels;   // [image], class 0..9

    std::size_t size() const { return labels.size(); }
    std::size_t pixels_per_image() const { return rows * columns; }
    std::span<const std::uint8_t> image(std::size_t i) const {
        return {pixels.data() + i * pixels_per_image(), pixels_per_image()};
    }
    // Grey level / 255, in [0, 1]: what the encoders take.
    std::vector<double> intensities(std::size_t i) const {
        std::vector<double> out;
        out.reserve(pixels_per_image());
        for (const std::uint8_t p : image(i)) out.push_back(p / 255.0);
        return out;
    }
};

}  // namespace myelin::io
