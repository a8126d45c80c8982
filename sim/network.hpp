// A built network: populations, projections and the thread partition they were built for.
#pragma once

#include "sim/model_registry.hpp"
#include "sim/network_spec.hpp"
#include "sim/partition.hpp"
#include "sim/plasticity_registry.hpp"
#include "sim/population.hpp"
#include "sim/projection.hpp"

#include <memory>
#include <vector>

namespace myelin::sim {

struct Network {
    double dt = 0.1;  // ms
    std::uint64_t seed = 0;
    int parts = 1;    // thread partitions the synapses were split into
    std::vector<std::unique_ptr<Population>> populations;
    std::vector<Partition> partitions;  // per population
    std::vector<std::unique_ptr<Projection>> projections;

    std::size_t population_index(std::string_view name) const;  // throws if unknown
    std::size_t neuron_count() const;
    std::size_t synapse_count() const;
    std::size_t synapse_bytes() const;
    std::size_t state_bytes() const;  // neuron state and input rings
};

// The input channel of `post` that a projection onto it with this receptor feeds.
int channel_of(const Population& post, Receptor receptor);

// Whether a projection is static and delivered through the post population's input rings
// (build() decides the same way: per-synapse delays, or a model whose input for this receptor
// does not join a state column), so that its parts may keep 2-byte post indices.
bool static_through_rings(const ProjectionSpec& projection, const PopulationSpec& post, const ModelRegistry& models,
                          double dt);

// How many parts to build for `threads` threads: `threads`, or a multiple of it (at most 4x)
// that leaves each part of a population fed by static ring projections at most 65536 neurons,
// so those parts keep 2-byte post indices (bench/README.md: brunel 10^5 on 1 thread). Only
// where the rows stay long (32 synapses per pre neuron and part on average): each part costs a
// row start of 8 bytes per pre neuron. The result does not depend on the number of parts.
int parts_for(const NetworkSpec& spec, const ModelRegistry& models, int threads);

// Checks the whole description before anything is built; throws SpecError.
void validate(const NetworkSpec& spec, const ModelRegistry& models, const PlasticityRegistry& rules);

// Builds a validated description in `parts` parts (one per thread, or more: parts_for); build
// work runs on `threads` threads (0: as many as parts), at most one per core.
Network build(const NetworkSpec& spec, const ModelRegistry& models, const PlasticityRegistry& rules, int parts,
              int threads = 0);

}  // namespace myelin::sim
