// Mini-batch BPTT training with Adam (bptt_training.hpp; ALGORITHMS.md 5.4).
#include "learning/bptt_training.hpp"

#include "learning/minibatch.hpp"

#include "sim/error.hpp"
#include "sim/param_check.hpp"
#include "sim/random.hpp"
#include "sim/suggest.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace myelin::learning {
namespace {

// Stream of the trainer's Philox key (RandomPurpose::trainer) for the shuffle; 0 is the initial
// parameters, 2 and 3 the input draws (image_encoding.cpp).
constexpr std::uint32_t shuffle_object = 1;

}  // namespace

void validate_bptt_settings(const BpttSettings& s) {
    sim::require(s.shape.hidden >= 1, "hidden", static_cast<double>(s.shape.hidden), "must be >= 1");
    sim::require(s.shape.steps >= 1, "steps", static_cast<double>(s.shape.steps), "must be >= 1");
    sim::require_positive("v_thresh", s.shape.v_thresh);
    sim::require(std::isfinite(s.shape.tau) && s.shape.tau > 0.0 && s.shape.tau <= 1.0, "tau", s.shape.tau,
                 "must be in (0, 1] (decay factor per step)");
    if (s.shape.neuron == BpttNeuron::ultra_plif)
        sim::require(std::log(s.shape.tau) >= bptt_log_tau_min && std::log(s.shape.tau) <= bptt_log_tau_max, "tau",
                     s.shape.tau, "must be in [exp(-2.3), exp(-0.01)] = [0.1003, 0.99005] for UltraPLIF");
    sim::require(std::isfinite(s.shape.eps) && s.shape.eps >= bptt_eps_min && s.shape.eps <= bptt_eps_max, "eps",
                 s.shape.eps, "must be in [0.1, 20] (the clamp of the learnable temperature)");
    sim::require_positive("surrogate_slope", s.shape.surrogate_slope);
    sim::require_non_negative("sparsity", s.shape.sparsity);
    sim::require(std::isfinite(s.rate_gain) && s.rate_gain > 0.0 && s.rate_gain <= 1.0, "rate_gain", s.rate_gain,
                 "must be in (0, 1] (spike probability of a white pixel per step)");
    sim::require(s.batch >= 1, "batch", static_cast<double>(s.batch), "must be >= 1");
    sim::require(s.epochs >= 1, "epochs", static_cast<double>(s.epochs), "must be >= 1");
    sim::require_positive("lr", s.learning_rate);
}

BpttTrainer::BpttTrainer(const BpttSettings& settings, BpttData train, std::uint64_t seed)
    : settings_(settings), train_(std::move(train)), seed_(seed), network_(settings.shape),
      encoder_(settings.encoding, settings.rate_gain, settings.shape.steps, seed, train_) {
    validate_bptt_settings(settings_);
    MYELIN_ASSERT(train_.inputs == settings_.shape.inputs && train_.x.size() == train_.size() * train_.inputs);
    network_.initialise(seed);
    adam_ = Adam(network_.parameters().size());
}

std::vector<BpttTrainer::Network::Matrix> BpttTrainer::encode(const BpttData& data,
                                                             std::span<const std::uint32_t> indices,
                                                             std::uint32_t stream, std::uint32_t epoch) const {
    return encoder_.steps(data, indices, stream, epoch);
}

BpttEvaluation BpttTrainer::run_epoch(const std::function<void(const BpttProgress&)>& progress) {
    const std::size_t n = train_.size(), epoch = epoch_++;
    const std::vector<std::uint32_t> order = shuffled_order(
        n, sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, shuffle_object), static_cast<std::uint32_t>(epoch));
    std::vector<float> gradient(network_.parameters().size());
    EpochTally tally(epoch + 1, n, static_cast<double>(settings_.shape.hidden * settings_.shape.steps));
    for (std::size_t first = 0; first < n; first += settings_.batch) {
        const std::size_t size = std::min(settings_.batch, n - first);
        const auto stats = run_batch_parts<BpttBatchStats>(
            size, gradient, [&](std::size_t begin, std::size_t count, std::span<float> part_gradient) {
                const std::span<const std::uint32_t> indices(order.data() + first + begin, count);
                std::vector<std::uint8_t> labels(count);
                for (std::size_t k = 0; k < count; ++k) labels[k] = train_.labels[indices[k]];
                return network_.run(encode(train_, indices, 0, static_cast<std::uint32_t>(epoch)), labels, size,
                                    part_gradient);
            });
        adam_.step(network_.parameters(), gradient, settings_.learning_rate);
        const EpochProgress& report = tally.add_batch(stats, size, first + size);
        if (progress) progress(report);
    }
    return tally.result();
}

BpttEvaluation BpttTrainer::evaluate(const BpttData& data) const {
    const double neuron_steps = static_cast<double>(settings_.shape.hidden * settings_.shape.steps);
    return evaluate_in_chunks(data.size(), data.labels, neuron_steps, [&](const auto& indices, const auto& labels) {
        return network_.run(encode(data, indices, 1, 0), labels, data.size(), {});
    });
}

}  // namespace myelin::learning
