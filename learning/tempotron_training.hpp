// Training a Tempotron on labelled patterns (ALGORITHMS.md 7.3-7.4): online gradient steps with
// momentum on error trials, patterns swept in a fresh Philox-shuffled order every cycle.
#pragma once

#include "learning/tempotron.hpp"

#include <cstdint>
#include <vector>

namespace myelin::learning {

struct CycleResult {
    std::size_t cycle = 0;         // 1-based
    std::size_t sweep_errors = 0;  // error trials (weight updates) during the sweep
    double accuracy = 0.0;         // fraction classified correctly with the weights at the end of the cycle
};

class TempotronTrainer {
public:
    // patterns[p] has label labels[p] (+1: should fire, -1: should stay silent). Initial weights
    // are normal(init_mean, init_std), drawn from Philox with `seed`.
    TempotronTrainer(const TempotronParams& params, std::vector<PreparedPattern> patterns, std::vector<int> labels,
                     std::uint64_t seed);

    // One sweep over all patterns in a random order, then the training accuracy.
    CycleResult run_cycle();

    // True if `pattern` makes the neuron fire with the current weights.
    bool fires(const PreparedPattern& pattern) const;
    // Fraction of the training patterns classified correctly. Determinism: patterns are evaluated
    // in parallel (TBB) but each is independent and the correct ones are counted as integers.
    double accuracy() const;

    const std::vector<double>& weights() const { return weights_; }
    const PspKernel& kernel() const { return kernel_; }
    std::size_t patterns() const { return patterns_.size(); }

    // One learning trial on pattern p: returns true if it was classified correctly (no update).
    bool learn(std::size_t p);

private:
    TempotronParams params_;
    PspKernel kernel_;
    std::vector<PreparedPattern> patterns_;
    std::vector<int> labels_;
    std::uint64_t seed_;
    std::vector<double> weights_, velocity_, gradient_;
    std::vector<std::uint32_t> order_;
    std::size_t cycle_ = 0;
};

}  // namespace myelin::learning
