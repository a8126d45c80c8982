// A single neuron of model M driven step by step through the engine's own population code:
// model tests feed input and read the state without building a network.
#pragma once

#include "sim/neuron_population.hpp"

namespace myelin::test {

template <class M>
class OneNeuron {
public:
    OneNeuron(const typename M::Params& params, double dt) : population_("one", 1, params, dt), dt_(dt) {
        population_.input().resize(1, M::receptors, 1);
    }
    // Advances one step with this step's input on channel 0 (and 1); true if it spiked.
    bool step(double input_0 = 0.0, double input_1 = 0.0) {
        population_.input().row(step_, 0)[0] += static_cast<float>(input_0);
        if (M::receptors > 1) population_.input().row(step_, 1)[0] += static_cast<float>(input_1);
        spikes_.clear();
        population_.before_update({step_, dt_});
        population_.update({step_, dt_}, 0, 1, spikes_);
        ++step_;
        return !spikes_.empty();
    }
    double v() { return population_.state()[0].values[0]; }
    std::int64_t steps_done() const { return step_; }

private:
    sim::NeuronPopulation<M> population_;
    double dt_;
    std::int64_t step_ = 0;
    std::vector<std::uint32_t> spikes_;
};

}  // namespace myelin::test
