// A population of one neuron model: owns the model's state columns and runs its `step` over a
// range of neurons. One virtual call per population and step; the loop inside is the model's
// arithmetic inlined, written so the compiler vectorises it.
#pragma once

#include "sim/cache_aligned.hpp"
#include "sim/model_traits.hpp"
#include "sim/population.hpp"
#include "sim/random.hpp"

#include <algorithm>
#include <type_traits>

namespace myelin::sim {

template <NeuronModel M>
class NeuronPopulation final : public Population {
public:
    using Real = model_real_t<M>;  // the state columns' element type

    // `random_key`: the stream of a stochastic model's draws (unused by deterministic ones).
    NeuronPopulation(std::string name, std::size_t size, const typename M::Params& params,
                     double dt, RandomKey random_key = {})
        : Population(std::move(name), size), params_(params),
          propagators_(M::prepare(params, dt)), fired_(size), random_key_(random_key) {
        M::validate(params);
        columns_.reserve(M::state_fields.size());
        for (const auto& field : M::state_fields) {
            columns_.emplace_back(size, static_cast<Real>(field.initial(params)));
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
        if constexpr (StochasticNeuronModel<M>) {
            if (reads_input_ring_) advance_stochastic<true>(ctx, begin, end);
            else advance_stochastic<false>(ctx, begin, end);
        } else if constexpr (RangeAdvancingModel<M>) {
            float* const in_0 = reads_input_ring_ ? input_.row(ctx.step, 0) : nullptr;
            float* const in_1 = reads_input_ring_ && M::receptors > 1 ? input_.row(ctx.step, 1) : nullptr;
            M::advance_range(params_, propagators_, state_, begin, end, in_0, in_1, spikes);
            apply_drives(ctx, begin, end, true);
            return;  // the model appended its spikes itself
        } else if (reads_input_ring_) advance<true>(ctx, begin, end);
        else advance<false>(ctx, begin, end);
        collect_spikes(fired_.data(), begin, end, spikes);
        apply_drives(ctx, begin, end, true);
    }

    // Optional model hook (detected, so other models compile and run unchanged).
    void before_update(const StepContext& /*ctx*/) override {
        if constexpr (requires { M::before_update(params_, state_); }) M::before_update(params_, state_);
    }

    InputColumn input_column(int channel) override {
        InputColumn column;
        if constexpr (requires { M::input_columns; }) {
            Real* data = (state_.*(M::input_columns[channel])).data();
            if constexpr (std::is_same_v<Real, float>) column.narrow = data;
            else column.wide = data;
        }
        return column;
    }

    std::vector<StateVariable> state() override {
        std::vector<StateVariable> out;
        for (const auto& field : M::state_fields) out.push_back({field.name, field.unit, state_.*(field.column)});
        return out;
    }
    void save(Snapshot& snapshot, const std::string& prefix) const override {
        Population::save(snapshot, prefix);
        for (std::size_t k = 0; k < M::state_fields.size(); ++k)
            snapshot.put(prefix + "/state/" + std::string(M::state_fields[k].name), std::span<const Real>(columns_[k]));
        for (std::size_t k = 0; k < M::counter_fields.size(); ++k)
            snapshot.put(prefix + "/counters/" + std::string(M::counter_fields[k].name),
                         std::span<const std::int32_t>(counters_[k]));
    }
    void restore(const Snapshot& snapshot, const std::string& prefix) override {
        Population::restore(snapshot, prefix);
        for (std::size_t k = 0; k < M::state_fields.size(); ++k)
            snapshot.copy_to(prefix + "/state/" + std::string(M::state_fields[k].name), std::span<Real>(columns_[k]));
        for (std::size_t k = 0; k < M::counter_fields.size(); ++k)
            snapshot.copy_to(prefix + "/counters/" + std::string(M::counter_fields[k].name),
                             std::span<std::int32_t>(counters_[k]));
    }

    std::size_t state_bytes() const override {
        return size() * (columns_.size() * sizeof(Real) + counters_.size() * sizeof(std::int32_t) + 1);
    }

protected:
    bool steps_ranges_alone() const override {
        return !requires { M::before_update(params_, state_); };
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
                const Real input_0 = in_0[i];
                in_0[i] = 0.0f;
                Real input_1 = 0;
                if constexpr (M::receptors > 1) {
                    input_1 = in_1[i];
                    in_1[i] = 0.0f;
                }
                fired[i] = M::step(p, k, s, i, input_0, input_1);
            }
        } else {
            for (std::size_t i = begin; i < end; ++i) fired[i] = M::step(p, k, s, i, Real{0}, Real{0});
        }
    }

    // advance() for a model that takes random words. Determinism: neuron i always gets words
    // (i % per_counter) * random_words onwards of the Philox block for counter
    // (i / per_counter, step), whatever range this thread has. Words come in blocks by the
    // vectorised philox_many, so the model's loop stays a plain loop over neurons.
    template <bool ReadsRing>
    void advance_stochastic(const StepContext& ctx, std::size_t begin, std::size_t end) {
        constexpr std::size_t words_per_neuron = M::random_words;
        constexpr std::size_t per_counter = 4 / words_per_neuron;
        constexpr std::size_t block = 256;  // neurons, a multiple of per_counter
        alignas(64) std::uint32_t words[block * words_per_neuron];
        const typename M::Params p = params_;
        const typename M::Propagators k = propagators_;
        const typename M::State s = state_;
        std::uint8_t* const fired = fired_.data();
        float* const in_0 = ReadsRing ? input_.row(ctx.step, 0) : nullptr;
        float* const in_1 = ReadsRing && M::receptors > 1 ? input_.row(ctx.step, 1) : nullptr;
        const auto step = static_cast<std::uint32_t>(ctx.step);
        for (std::size_t first = begin / per_counter * per_counter; first < end; first += block) {
            const std::size_t n = std::min(block, (end - first + per_counter - 1) / per_counter * per_counter);
            philox_many(random_key_, static_cast<std::uint32_t>(first / per_counter), n / per_counter, step, 0, words);
            const std::size_t from = std::max(first, begin), to = std::min(first + n, end);
            for (std::size_t i = from; i < to; ++i) {
                double input_0 = 0.0, input_1 = 0.0;
                if constexpr (ReadsRing) {
                    input_0 = in_0[i];
                    in_0[i] = 0.0f;
                    if constexpr (M::receptors > 1) {
                        input_1 = in_1[i];
                        in_1[i] = 0.0f;
                    }
                }
                fired[i] = M::step(p, k, s, i, input_0, input_1, words + (i - first) * words_per_neuron);
            }
        }
    }

    typename M::Params params_;
    typename M::Propagators propagators_;
    std::vector<CacheAlignedVector<Real>> columns_;  // storage behind state_'s spans
    std::vector<CacheAlignedVector<std::int32_t>> counters_;
    typename M::State state_;
    std::vector<std::uint8_t> fired_;  // per neuron; each thread writes only its own range
    RandomKey random_key_;
};

}  // namespace myelin::sim
