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
        columns_.reserve(M::state_fields.size());
        for (const auto& field : M::state_fields) {
            columns_.emplace_back(size, field.initial(params));
            state_.*(field.column) = columns_.back();
        }
        counters_.reserve(M::counter_fields.size());
        for (const auto& field : M::counter_fields) {
            counters_.emplace_back(size, 0);
            state_.*(field.column) = counters_.back();
        }
    }

    std::string_view model() const override { return M::name; }
    int channels() const override { return M::receptors; }

    void update(const StepContext& ctx, std::size_t begin, std::size_t end,
                std::vector<std::uint32_t>& spikes) override {
        apply_drives(ctx, begin, end, false);
        if (reads_input_ring_) advance<true>(ctx, begin, end);
        else advance<false>(ctx, begin, end);
        collect_spikes(fired_.data(), begin, end, spikes);
        apply_drives(ctx, begin, end, true);
    }

    // Optional model hook (detected, so other models compile and run unchanged).
    void before_update(const StepContext& /*ctx*/) override {
        if constexpr (requires { M::before_update(params_, state_); }) M::before_update(params_, state_);
    }

    double* input_column(int channel) override {
        if constexpr (requires { M::input_columns; }) return (state_.*(M::input_columns[channel])).data();
        return nullptr;
    }

    std::vector<StateVariable> state() override {
        std::vector<StateVariable> out;
        for (const auto& field : M::state_fields) out.push_back({field.name, field.unit, state_.*(field.column)});
        return out;
    }
    std::size_t state_bytes() const override {
        return size() * (columns_.size() * sizeof(double) + counters_.size() * sizeof(std::int32_t) + 1);
    }

private:
    // One step of the model for [begin, end). Local copies: the loop's stores (a uint8_t may
    // alias anything) cannot then force the compiler to reload parameters and column pointers,
    // and the loop vectorises. Without input rows (ReadsRing false) the loop moves ~20% fewer
    // bytes per neuron.
    template <bool ReadsRing>
    void advance(const StepContext& ctx, std::size_t begin, std::size_t end) {
        const typename M::Params p = params_;
        const typename M::Propagators k = propagators_;
        const typename M::State s = state_;
        std::uint8_t* const fired = fired_.data();
        if constexpr (ReadsRing) {
            // The rows are consumed here and cleared for the step they will serve next.
            float* const in_0 = input_.row(ctx.step, 0);
            float* const in_1 = M::receptors > 1 ? input_.row(ctx.step, 1) : nullptr;
            for (std::size_t i = begin; i < end; ++i) {
                const double input_0 = in_0[i];
                in_0[i] = 0.0f;
                double input_1 = 0.0;
                if constexpr (M::receptors > 1) {
                    input_1 = in_1[i];
                    in_1[i] = 0.0f;
                }
                fired[i] = M::step(p, k, s, i, input_0, input_1);
            }
        } else {
            for (std::size_t i = begin; i < end; ++i) fired[i] = M::step(p, k, s, i, 0.0, 0.0);
        }
    }

    typename M::Params params_;
    typename M::Propagators propagators_;
    std::vector<std::vector<double>> columns_;          // storage behind state_'s spans
    std::vector<std::vector<std::int32_t>> counters_;
    typename M::State state_;
    std::vector<std::uint8_t> fired_;  // per neuron; each thread writes only its own range
};

}  // namespace myelin::sim
