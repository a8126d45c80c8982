// Tempotron training (tempotron_training.hpp; ALGORITHMS.md 7.3-7.4).
#include "learning/tempotron_training.hpp"

#include "sim/error.hpp"
#include "sim/random.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <numeric>

namespace myelin::learning {
namespace {

// Streams of the trainer's own draws, apart from the task data (synthetic_data) and from networks.
sim::RandomKey trainer_key(std::uint64_t seed, std::uint32_t use) {
    return sim::RandomKey::make(seed, sim::RandomPurpose::trainer, use);
}
constexpr std::uint32_t initial_weights_use = 0, order_use = 1;

}  // namespace

TempotronTrainer::TempotronTrainer(const TempotronParams& params, std::vector<PreparedPattern> patterns,
                                   std::vector<int> labels, std::uint64_t seed)
    : params_(params), kernel_(params.tau, params.tau_s), patterns_(std::move(patterns)), labels_(std::move(labels)),
      seed_(seed) {
    validate_tempotron(params_);
    MYELIN_ASSERT(patterns_.size() == labels_.size());
    const std::size_t afferents = patterns_.empty() ? 0 : patterns_.front().afferent_count;
    for (const auto& p : patterns_) MYELIN_ASSERT(p.afferent_count == afferents);
    weights_.resize(afferents);
    for (std::size_t i = 0; i < afferents; ++i) {
        sim::RandomStream stream(trainer_key(seed_, initial_weights_use), static_cast<std::uint32_t>(i), 0);
        weights_[i] = params_.init_mean + params_.init_std * stream.normal();
    }
    velocity_.assign(afferents, 0.0);
    gradient_.assign(afferents, 0.0);
    order_.resize(patterns_.size());
}

bool TempotronTrainer::fires(const PreparedPattern& pattern) const {
    return find_maximum(pattern, weights_, kernel_, params_.v_rest, params_.v_thresh).fired;
}

bool TempotronTrainer::learn(std::size_t p) {
    const PreparedPattern& pattern = patterns_[p];
    const VoltageMaximum maximum = find_maximum(pattern, weights_, kernel_, params_.v_rest, params_.v_thresh);
    const int label = labels_[p];
    if (maximum.fired == (label > 0)) return true;
    // Miss: raise V(t_max); false alarm: lower it. dw = lambda grad + mu dw(previous error trial).
    std::fill(gradient_.begin(), gradient_.end(), 0.0);
    add_gradient(pattern, maximum, kernel_, label > 0 ? 1.0 : -1.0, gradient_);
    for (std::size_t i = 0; i < weights_.size(); ++i) {
        velocity_[i] = params_.learning_rate * gradient_[i] + params_.momentum * velocity_[i];
        weights_[i] += velocity_[i];
    }
    return false;
}

CycleResult TempotronTrainer::run_cycle() {
    ++cycle_;
    // Fisher-Yates with Philox draws named by the cycle: the order depends only on (seed, cycle).
    std::iota(order_.begin(), order_.end(), 0u);
    sim::RandomStream stream(trainer_key(seed_, order_use), static_cast<std::uint32_t>(cycle_), 0);
    for (std::size_t i = order_.size(); i > 1; --i)
        std::swap(order_[i - 1], order_[stream.below(static_cast<std::uint32_t>(i))]);
    CycleResult result;
    result.cycle = cycle_;
    // Determinism: online learning is sequential by nature (each update changes the next trial).
    for (const std::uint32_t p : order_)
        if (!learn(p)) ++result.sweep_errors;
    // A sweep without errors left the weights unchanged, so every pattern is still correct.
    result.accuracy = result.sweep_errors == 0 ? 1.0 : accuracy();
    return result;
}

double TempotronTrainer::accuracy() const {
    if (patterns_.empty()) return 1.0;
    const std::size_t correct = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, patterns_.size(), 64), std::size_t{0},
        [&](const tbb::blocked_range<std::size_t>& range, std::size_t count) {
            for (std::size_t p = range.begin(); p != range.end(); ++p)
                count += fires(patterns_[p]) == (labels_[p] > 0);
            return count;
        },
        std::plus<>());
    return static_cast<double>(correct) / static_cast<double>(patterns_.size());
}

}  // namespace myelin::learning
