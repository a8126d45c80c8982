// Where the step loop hands what it observed: spikes of every step, and the chance to sample
// state. Implemented by io/ (HDF5) and by tests; the engine knows no file format.
#pragma once

#include "sim/projection.hpp"

#include <cstdint>
#include <span>

namespace myelin::sim {

struct Network;

class Recorder {
public:
    virtual ~Recorder() = default;
    // Before the first step of a run, with the network in its initial state (t = start*dt).
    virtual void begin(const Network& /*network*/, std::int64_t /*start_step*/) {}
    // Serially after each step: spikes[p] are population p's spikes of `step` (time stamp
    // (step+1)*dt), as per-thread lists in neuron order.
    virtual void after_step(const Network& network, std::int64_t step, std::span<const SpikeLists> spikes) = 0;
    // Whether after_step reads the network (state, weights), which must then be at the end of
    // `step`; a recorder of spikes alone says false, and the loop may run steps in pairs or
    // blocks (sim/simulation.cpp).
    virtual bool reads_network() const { return true; }
};

}  // namespace myelin::sim
