// Hands a GPU run's chunks (cuda_backend.hpp) to a Recorder as the CPU step loop hands it its
// steps, so the GPU writes the CPU's recording (docs/gpu.md, "Recording"). Host code (g++).
#pragma once

#include "sim/cuda/cuda_backend.hpp"
#include "sim/network.hpp"
#include "sim/recorder.hpp"

#include <functional>
#include <vector>

namespace myelin::sim::cuda {

// For every step of a chunk: first the sampled state of copy 0 after that step goes into
// `shell` (a network with the plan's populations, in the same order: copy 0's), so a recorder
// that samples the shell then reads the GPU's values; then recorder.after_step for copy 0 (every
// step) and for each other copy with spikes in that step, after set_copy(copy). Weight snapshots
// in a chunk are kept: weights(j) is copy 0's weights of plan projection j as of the last one
// (its built weights before).
class ChunkFeed {
public:
    ChunkFeed(const NetworkPlan& plan, const RecordingPlan& recording, Network& shell, Recorder& recorder,
              std::function<void(std::uint32_t copy)> set_copy);

    void operator()(const Chunk& chunk);

    std::vector<float> weights(std::size_t plan_projection) const;

private:
    const NetworkPlan& plan_;
    const RecordingPlan& recording_;
    Network& shell_;
    Recorder& recorder_;
    std::function<void(std::uint32_t)> set_copy_;
    std::vector<std::vector<StateColumn>> columns_;  // per probe: the shell's column of each recorded variable
    std::vector<std::vector<float>> latest_;          // per plan projection: copy 0's weights (empty: the built ones)
    std::vector<std::vector<std::uint32_t>> lists_;   // per population: one step's spikes of one copy
    std::vector<SpikeLists> step_spikes_;
};

}  // namespace myelin::sim::cuda
