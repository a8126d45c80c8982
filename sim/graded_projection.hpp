// Graded transmission (ProjectionSpec::transmit): every step, each synapse carries its weight
// times a state variable of its pre neuron, e.g. the soft spike `s` of the Ultra* models,
// instead of spike events. A network trained on soft spikes (learning/bptt_network.hpp) runs
// in the engine with the arithmetic it was trained with. Clock-driven, so it costs synapses x
// steps, not spikes: meant for readouts and graded inputs, not for a network's bulk.
#pragma once

#include "sim/projection.hpp"
#include "sim/state_column.hpp"

namespace myelin::sim {

class GradedProjection final : public Projection {
public:
    // `source`: the pre population's column the synapses carry; it must outlive the projection.
    GradedProjection(std::string name, std::size_t pre, std::size_t post, int channel, SynapseStore store,
                     StateColumn source);

    // Serial: takes the source values as they were at the end of step - 1, so the parallel
    // phase, in which the pre population updates them, never reads a half-updated column.
    void begin_step(std::int64_t step, SpikeLists previous) override;
    // Through the rings, like spikes: the values of step - 1 arrive in step - 1 + delay.
    void deliver(int part, std::int64_t step, SpikeLists previous, Population& post) override;

    std::size_t size() const override { return store_.size(); }
    std::size_t bytes() const override { return store_.bytes() + values_.size() * sizeof(float); }
    std::int64_t max_delay() const override { return store_.max_delay; }
    ConnectionTable connections() const override { return connection_table(store_); }

private:
    SynapseStore store_;
    StateColumn source_;
    std::vector<float> values_;  // the source column at the end of the previous step
};

}  // namespace myelin::sim
