// Graded delivery (graded_projection.hpp).
#include "sim/graded_projection.hpp"

namespace myelin::sim {

GradedProjection::GradedProjection(std::string name, std::size_t pre, std::size_t post, int channel,
                                   SynapseStore store, StateColumn source)
    : Projection(std::move(name), pre, post, channel), store_(std::move(store)), source_(source),
      values_(source.size(), 0.0f) {}

void GradedProjection::begin_step(std::int64_t /*step*/, SpikeLists /*previous*/) {
    for (std::size_t i = 0; i < values_.size(); ++i) values_[i] = static_cast<float>(source_[i]);
}

void GradedProjection::deliver(int part_index, std::int64_t step, SpikeLists /*previous*/, Population& post) {
    const SynapsePart& part = store_.parts[part_index];
    InputRing& ring = post.input();
    // Determinism: pre neurons in order, each row in post order, as spikes are delivered.
    std::uint64_t events = 0;
    for (std::size_t pre = 0; pre < values_.size(); ++pre) {
        const float value = values_[pre];
        if (value == 0.0f) continue;  // adds nothing (the silent input of a trial's gap)
        const std::uint64_t begin = part.row_start[pre], end = part.row_start[pre + 1];
        events += end - begin;
        for (std::uint64_t s = begin; s < end; ++s) {
            const float w = part.weight.empty() ? store_.constant_weight : part.weight[s];
            const std::int64_t delay = part.delay.empty() ? store_.constant_delay : part.delay[s];
            ring.row(step - 1 + delay, channel())[part.post[s]] += w * value;
        }
    }
    count_events(part_index, events);
}

}  // namespace myelin::sim
