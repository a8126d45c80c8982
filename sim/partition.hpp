// How neurons are split among threads: each thread owns a contiguous range of every
// population, updates those neurons and is the only writer of their input rows and of the
// synapses that end on them. Ranges are multiples of 16 neurons (cache lines, SIMD).
#pragma once

#include <cstddef>
#include <vector>

namespace myelin::sim {

class Partition {
public:
    Partition() = default;
    Partition(std::size_t size, int parts) : bounds_(static_cast<std::size_t>(parts) + 1, size) {
        const std::size_t chunk = (size + parts - 1) / parts;
        const std::size_t aligned = (chunk + 15) / 16 * 16;
        for (int t = 0; t < parts; ++t) bounds_[t] = std::min(size, aligned * t);
    }
    int parts() const { return static_cast<int>(bounds_.size()) - 1; }
    std::size_t begin(int part) const { return bounds_[part]; }
    std::size_t end(int part) const { return bounds_[part + 1]; }

private:
    std::vector<std::size_t> bounds_;
};

}  // namespace myelin::sim
