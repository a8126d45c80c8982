// Pre spikes waiting to reach their synapses after one constant delay: a ring of spike lists
// indexed by arrival step. Filled serially at the start of each step.
#pragma once

#include "sim/population.hpp"

#include <bit>
#include <cstdint>
#include <vector>

namespace myelin::sim {

class SpikeQueue {
public:
    explicit SpikeQueue(std::int64_t delay_steps)
        : delay_(delay_steps), slots_(std::bit_ceil(static_cast<std::size_t>(delay_steps) + 1)) {}

    // Files the spikes of step - 1 under their arrival step (step - 1 + delay); the slot of
    // step - 1 has been served and is emptied first.
    void push(std::int64_t step, SpikeLists previous) {
        slot(step - 1).clear();
        auto& queue = slot(step - 1 + delay_);
        for (const auto& list : previous) queue.insert(queue.end(), list.begin(), list.end());
    }
    const std::vector<std::uint32_t>& arriving(std::int64_t step) const {
        return slots_[static_cast<std::size_t>(step) & (slots_.size() - 1)];
    }

    // Checkpoints: the queued spikes of every slot (the slot of a step depends only on the delay).
    void save(Snapshot& snapshot, const std::string& name) const { save_lists(snapshot, name, slots_); }
    void restore(const Snapshot& snapshot, const std::string& name, std::size_t pre_size) {
        restore_lists(snapshot, name, slots_, pre_size);
    }

private:
    std::vector<std::uint32_t>& slot(std::int64_t step) {
        return slots_[static_cast<std::size_t>(step) & (slots_.size() - 1)];
    }
    std::int64_t delay_;
    std::vector<std::vector<std::uint32_t>> slots_;
};

}  // namespace myelin::sim
