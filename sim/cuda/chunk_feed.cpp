// ChunkFeed (chunk_feed.hpp): a GPU chunk replayed step by step into a Recorder.
#include "sim/cuda/chunk_feed.hpp"

#include "sim/error.hpp"

namespace myelin::sim::cuda {

ChunkFeed::ChunkFeed(const NetworkPlan& plan, const RecordingPlan& recording, Network& shell, Recorder& recorder,
                     std::function<void(std::uint32_t copy)> set_copy)
    : plan_(plan), recording_(recording), shell_(shell), recorder_(recorder), set_copy_(std::move(set_copy)),
      latest_(plan.projections.size()), lists_(plan.populations.size()), step_spikes_(plan.populations.size()) {
    if (shell.populations.size() != plan.populations.size()) throw Error("ChunkFeed: the shell network's populations differ from the plan's");
    for (const StateProbePlan& probe : recording.probes) {
        const auto variables = shell.populations[probe.population]->state();
        std::vector<StateColumn>& columns = columns_.emplace_back();
        for (const int v : probe.variables) columns.push_back(variables.at(static_cast<std::size_t>(v)).values);
    }
}

void ChunkFeed::operator()(const Chunk& chunk) {
    for (const LearnedWeights& learned : chunk.weights) {
        const std::size_t synapses = plan_.projections[learned.projection].weight.size();
        latest_[learned.projection].assign(learned.weights.begin(), learned.weights.begin() + static_cast<std::ptrdiff_t>(synapses));
    }
    const auto deliver = [&](std::int64_t step, std::uint32_t copy) {
        for (std::size_t p = 0; p < lists_.size(); ++p) step_spikes_[p] = SpikeLists(&lists_[p], 1);
        if (set_copy_) set_copy_(copy);
        recorder_.after_step(shell_, step, step_spikes_);
        for (auto& list : lists_) list.clear();
    };
    std::size_t k = 0;
    const std::span<const SpikeEvent> events = chunk.spikes;
    for (std::int64_t step = chunk.first_step; step < chunk.first_step + chunk.steps; ++step) {
        for (std::size_t q = 0; q < columns_.size(); ++q) {
            const StateProbePlan& probe = recording_.probes[q];
            if (!sampled_after(step, probe.interval_steps)) continue;
            const std::int64_t slot = sample_slot(step, chunk.first_step, probe.interval_steps);
            const auto variables = static_cast<int>(probe.variables.size());
            const auto width = static_cast<std::uint32_t>(probe.neurons.size());
            for (int r = 0; r < variables; ++r)
                for (std::uint32_t c = 0; c < width; ++c)
                    columns_[q][static_cast<std::size_t>(r)].set(probe.neurons[c],
                                                                 chunk.state[q][sample_offset(slot, 0, r, c, plan_.batch, variables, width)]);
        }
        // Copy 0 every step (the recorder samples state and weights then); others when they spiked.
        while (k < events.size() && events[k].step == step && events[k].copy == 0) {
            lists_[events[k].population].push_back(events[k].neuron);
            ++k;
        }
        deliver(step, 0);
        while (k < events.size() && events[k].step == step) {
            const std::uint32_t copy = events[k].copy;
            while (k < events.size() && events[k].step == step && events[k].copy == copy) {
                lists_[events[k].population].push_back(events[k].neuron);
                ++k;
            }
            deliver(step, copy);
        }
    }
    if (k != events.size()) throw Error("ChunkFeed: a spike outside its chunk's steps");
}

std::vector<float> ChunkFeed::weights(std::size_t plan_projection) const {
    const std::vector<float>& latest = latest_.at(plan_projection);
    return latest.empty() ? plan_.projections[plan_projection].weight : latest;
}

}  // namespace myelin::sim::cuda
