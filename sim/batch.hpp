// Batch mode: B independent copies of one network (DESIGN.md, "state as [batch][neuron]").
// The copies share connectivity, weights and delays (drawn from the config's seed) and differ
// in everything drawn while they run: initial values, spike sources, Poisson drives, release.
#pragma once

#include "sim/random.hpp"

#include <cstdint>

namespace myelin::sim {

// The seed of copy `copy`'s dynamics. Copy 0 keeps the config's seed, so it is the unbatched
// run bit for bit; copy b > 0 takes 64 bits of Philox keyed by (seed, batch_copy, b), which
// the GPU backend computes the same way.
inline std::uint64_t copy_seed(std::uint64_t seed, std::uint32_t copy) noexcept {
    if (copy == 0) return seed;
    const auto words = philox(RandomKey::make(seed, RandomPurpose::batch_copy, 0), copy, 0, 0);
    return (static_cast<std::uint64_t>(words[1]) << 32) | words[0];
}

}  // namespace myelin::sim
