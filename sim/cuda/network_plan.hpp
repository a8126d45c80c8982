// What the CUDA backend runs: a built network flattened into plain arrays for B copies, state
// as [variable][copy][neuron] (DESIGN.md). Made on the host by make_plan (network_plan.cpp,
// g++, make_plan.hpp); consumed by the kernels (cuda_backend.cu, nvcc). No CUDA types here,
// and nothing nvcc's front end need parse beyond plain structs.
#pragma once

#include "learning/stdp.hpp"
#include "sim/random.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace myelin::sim::cuda {

enum class Kind : std::uint8_t { curr_exp, cond_exp, curr_delta, spike_array, poisson_source };

// Independent Poisson events into every neuron (a [[poisson_input]]), drawn as on the CPU:
// neuron i of copy b uses word i % 4 of Philox(key_b, i / 4, step, 0) against the table.
struct DrivePlan {
    int channel = 0;
    float weight = 0.0f;
    std::int64_t start_step = 0, stop_step = 0;
    std::vector<std::uint32_t> thresholds;  // PoissonSampler's table
    std::vector<RandomKey> keys;            // per copy
};

struct PopulationPlan {
    std::string name;
    Kind kind = Kind::curr_exp;
    std::uint32_t size = 0;
    int channels = 0;                   // input channels (0 for sources)
    std::vector<unsigned char> params;       // per copy: the model's Params, then Propagators
    std::size_t params_bytes = 0, propagators_bytes = 0;
    std::vector<double> state;          // [variable][copy][neuron], the model's variables in its order
    int variables = 0;
    std::vector<DrivePlan> drives;
    // spike_array: neurons firing in each step (CSR by step over the run)
    std::vector<std::uint64_t> array_offsets;
    std::vector<std::uint32_t> array_neurons;
    // poisson_source: the table and key of each copy, active steps
    std::vector<std::uint32_t> source_thresholds;
    std::vector<RandomKey> source_keys;
    std::int64_t source_start = 0, source_stop = 0;
};

// Pair STDP (rule "stdp", sim/plastic_projection.hpp, learning/stdp.hpp) on a projection: the
// weights learn in each copy on its own.
struct StdpPlan {
    enum class Dependence : std::uint8_t { additive, multiplicative, soft_bound };
    Dependence dependence = Dependence::additive;
    bool nearest = false;                 // pairing: nearest spike (else all-to-all)
    learning::StdpSoftBoundParams params;  // mu used by soft_bound only
    std::vector<double> pre_decay, post_decay;  // DecayTable's fine then coarse tables
    // The synapses of each post neuron (CSC into the CSR arrays) and their pre neurons.
    std::vector<std::uint64_t> in_start;  // n_post + 1
    std::vector<std::uint64_t> in_synapse;
    std::vector<std::uint32_t> in_pre;
};

// Synapses by pre neuron (CSR), shared by every copy.
struct ProjectionPlan {
    std::string name;
    std::uint32_t pre = 0, post = 0;
    int channel = 0;
    std::vector<std::uint64_t> row_start;  // n_pre + 1
    std::vector<std::uint32_t> target;
    std::vector<float> weight;
    std::vector<std::uint16_t> delay;      // steps
    std::optional<StdpPlan> stdp;          // plastic: one delay for every synapse
};

struct NetworkPlan {
    double dt = 0.1;  // ms
    std::uint32_t batch = 1;
    std::int64_t steps = 0;
    int slots = 2;    // input ring slots: longest delay + 1
    std::vector<PopulationPlan> populations;
    std::vector<ProjectionPlan> projections;
};

}  // namespace myelin::sim::cuda
