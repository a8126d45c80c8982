// A population of one neuron model: owns the model's state columns and runs its `step` over a
// range of neurons. One virtual call per population and step; the loop inside is the model's
// arithmetic inlined, written so the compiler vectorises it.
#pragma once

#include "sim/model_traits.hpp"
#include "sim/population.hpp"

namespace myelin::sim {

template <NeuronModel M>
class NeuronPopulation final : public Population {
public:
    NeuronPopulation(std::string name, std::size_t size, const typename M::Params& params,
                     double dt)
        : Population(std::move(name), size), params_(params),
          propagators_(M::prepare(params, dt)), fired_(size) {
        M::validate(params);
        state_.resize(size, params);
    }

    std::string_view model() const override { return M::name; }
    int channels() const override { return M::receptors; }
    bool conductance_based() const override { return M::conductance_based; }
    const typename M::Params& params() const { return params_; }
    typename M::State& model_state() { return state_; }

    void update(const StepContext& ctx, std::size_t begin, std::size_t end,
                std::vector<std::uint32_t>& spikes) override {
        apply_drives(ctx, begin, end);
        float* in_0 = input_.row(ctx.step, 0);
        float* in_1 = M::receptors > 1 ? input_.row(ctx.step, 1) : in_0;
        std::uint8_t* fired = fired_.data();
        // The row is consumed here and cleared for the step it will serve next.
        for (std::size_t i = begin; i < end; ++i) {
            const double input_0 = in_0[i];
            const double input_1 = M::receptors > 1 ? static_cast<double>(in_1[i]) : 0.0;
            in_0[i] = 0.0f;
            in_1[i] = 0.0f;
            fired[i] = M::step(params_, propagators_, state_, i, input_0, input_1);
        }
        for (std::size_t i = begin; i < end; ++i)
            if (fired[i]) spikes.push_back(static_cast<std::uint32_t>(i));
    }

    std::vector<StateVariable> state() override {
        std::vector<StateVariable> out;
        for (const auto& field : M::state_fields)
            out.push_back({field.name, field.unit, std::span<double>(state_.*(field.column))});
        return out;
    }
    std::size_t state_bytes() const override { return state_.bytes() + fired_.size(); }

private:
    typename M::Params params_;
    typename M::Propagators propagators_;
    typename M::State state_;
    std::vector<std::uint8_t> fired_;  // per neuron; each thread writes only its own range
};

}  // namespace myelin::sim
