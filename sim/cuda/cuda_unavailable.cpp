// The GPU backend where this build has no CUDA (nvcc was not found when it was configured).
#include "sim/cuda/cuda_backend.hpp"

#include "sim/error.hpp"

namespace myelin::sim::cuda {

std::string unavailable_reason() {
    return "this myelin was built without CUDA (nvcc was not found when it was configured; see docs/gpu.md)";
}

std::string resident_unsuitable(const NetworkPlan&) { return unavailable_reason(); }

RunStats run(const NetworkPlan&, int, const std::function<void(std::span<const SpikeEvent>)>&, Kernel) {
    throw Error(unavailable_reason());
}

RunStats run(const NetworkPlan&, int, const RecordingPlan&, const ChunkSink&, Kernel) { throw Error(unavailable_reason()); }

}  // namespace myelin::sim::cuda
