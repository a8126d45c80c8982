// Connector algorithms: which pre neuron connects to which post neuron, and the weight and
// delay of each connection, as generated from a spec before being stored for delivery.
// Every random draw is keyed by the row it belongs to, so the result depends only on the seed.
#pragma once

#include "sim/network_spec.hpp"
#include "sim/random.hpp"

#include <cstdint>
#include <vector>

namespace myelin::sim {

// Generated connections as rows of partners: rows are post neurons and partners their pre
// neurons (by_post), or the reverse (by_pre). Each row's partners are in increasing order.
struct Adjacency {
    enum class Orientation { by_post, by_pre };
    Orientation orientation = Orientation::by_post;
    std::vector<std::uint64_t> offsets;  // rows + 1
    std::vector<std::uint32_t> partners;
    std::vector<float> weights;          // empty: the projection's weight is one constant
    std::vector<std::uint16_t> delays;   // steps; empty: one constant delay

    std::size_t rows() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::size_t size() const { return partners.size(); }
};

struct ConnectInput {
    std::size_t n_pre = 0, n_post = 0;
    bool same_population = false;  // pre and post are one population (self-connections)
    std::uint64_t seed = 0;
    std::uint32_t projection_index = 0;
    double dt = 0.1;  // ms, for delays
    int threads = 1;
};

// Delay in whole steps: round(delay/dt) to the nearest step, ties away from zero (NEST rounds
// delays to the resolution the same way). A delay below one step cannot be represented in a
// clock-driven loop and is rejected by validation before this is called.
std::int64_t delay_steps(double delay_ms, double dt);

Adjacency connect(const ProjectionSpec& spec, const ConnectInput& input);

// Expected synapse count of a projection between populations of these sizes (exact except for
// fixed_probability), without connecting.
double expected_synapses(const ProjectionSpec& spec, double n_pre, double n_post);

}  // namespace myelin::sim
