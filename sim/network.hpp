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

// Checks the whole description before anything is built; throws SpecError.
void validate(const NetworkSpec& spec, const ModelRegistry& models, const PlasticityRegistry& rules);

// Builds a validated description for `parts` threads (build work runs on that many threads).
Network build(const NetworkSpec& spec, const ModelRegistry& models, const PlasticityRegistry& rules, int parts);

}  // namespace myelin::sim
