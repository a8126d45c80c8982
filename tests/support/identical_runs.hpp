// Checks that two runs of the same network, by different step loops, ended the same way.
#pragma once

#include "support/simulate.hpp"

#include <catch2/catch.hpp>

namespace myelin::test {

// Same spikes (steps and neurons, in order) per population, the same value in every state
// column and the same number of synaptic events per projection.
inline void check_identical_runs(sim::Network& a, const MemoryRecorder& spikes_a, sim::Network& b,
                                 const MemoryRecorder& spikes_b) {
    REQUIRE(spikes_a.spikes.size() == spikes_b.spikes.size());
    for (std::size_t p = 0; p < spikes_a.spikes.size(); ++p) {
        CAPTURE(p);
        CHECK(spikes_a.spikes[p] == spikes_b.spikes[p]);
        const auto state_a = a.populations[p]->state();
        const auto state_b = b.populations[p]->state();
        REQUIRE(state_a.size() == state_b.size());
        for (std::size_t v = 0; v < state_a.size(); ++v) CHECK(state_a[v].values.to_vector() == state_b[v].values.to_vector());
    }
    for (std::size_t j = 0; j < a.projections.size(); ++j) CHECK(a.projections[j]->events() == b.projections[j]->events());
}

}  // namespace myelin::test
