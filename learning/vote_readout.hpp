// The unsupervised (vote-based) readout of Diehl & Cook 2015 as Hao et al. report it
// (ALGORITHMS.md 3.6): each hidden neuron is assigned the class for which its mean spike count is
// highest; a sample is predicted as the class whose assigned neurons fire most on average.
// Counts are averaged with exponential forgetting over `memory` samples, so the assignment
// follows a network that is still learning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace myelin::learning {

class VoteReadout {
public:
    VoteReadout(std::size_t neurons, std::size_t classes, double memory);
    static double keep_of(double memory) { return memory > 1.0 ? 1.0 - 1.0 / memory : 0.0; }

    void add(std::span<const std::uint16_t> counts, int label);   // one training response
    std::vector<int> assignments() const;                        // per neuron; -1 if it never fired
    void clear();                                                // forget every response: as just constructed
    void set_memory(double memory);                              // from the next add on
    // The forgetting-weighted number of samples held, all classes: sum of keep^k over the adds
    // since the last clear (a check that clear() and the memory act as documented).
    double total_weight() const;
    // Ties go to the lowest class; a class without neurons scores 0.
    static int predict(std::span<const std::uint16_t> counts, const std::vector<int>& assignments, std::size_t classes);

private:
    std::size_t neurons_, classes_;
    double keep_;                       // 1 - 1/memory: the weight of the past per new sample
    std::vector<double> sums_;          // [neuron][class], forgetting sums of counts
    std::vector<double> samples_;       // [class], forgetting sample counts
};

}  // namespace myelin::learning
