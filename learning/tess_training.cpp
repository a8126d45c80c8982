// TESS and BPTT mini-batch training of a TessNetwork (tess_training.hpp).
#include "learning/tess_training.hpp"

#include "learning/minibatch.hpp"
#include "sim/error.hpp"
#include "sim/param_check.hpp"
#include "sim/suggest.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace myelin::learning {
namespace {

constexpr std::uint32_t shuffle_object = 1;  // as BpttTrainer's: the same order for the same seed

}  // namespace

std::string tess_learner_name(TessLearner learner) { return learner == TessLearner::tess ? "tess" : "bptt"; }

TessLearner tess_learner_from_name(const std::string& name) {
    if (name == "tess") return TessLearner::tess;
    if (name == "bptt") return TessLearner::bptt;
    throw ParamError("learners", "learners: \"" + name + "\" is not a learner" + sim::did_you_mean(name, {"tess", "bptt"}) +
                                     "; known: tess, bptt");
}

void validate_tess_settings(const TessSettings& s) {
    sim::require(!s.shape.hidden.empty() && s.shape.hidden.size() <= 16, "hidden",
                 static_cast<double>(s.shape.hidden.size()), "must list 1 to 16 layer widths");
    for (const std::size_t width : s.shape.hidden)
        sim::require(width >= 1 && width <= 65536, "hidden", static_cast<double>(width), "widths must be in [1, 65536]");
    sim::require(s.shape.steps >= 1 && s.shape.steps <= 100000, "steps", static_cast<double>(s.shape.steps),
                 "must be in [1, 100000]");
    sim::require(std::isfinite(s.shape.neuron.leak), "leak", s.shape.neuron.leak, "must be finite (beta = sigmoid(leak))");
    sim::require(std::isfinite(s.shape.neuron.threshold), "threshold", s.shape.neuron.threshold,
                 "must be finite (theta = max(threshold, 0.5))");
    const TessFactors& f = s.rule.factors;
    sim::require(f.lambda_post >= 0.0 && f.lambda_post <= 1.0, "lambda_post", f.lambda_post, "must be in [0, 1]");
    sim::require(f.lambda_pre >= 0.0 && f.lambda_pre <= 1.0, "lambda_pre", f.lambda_pre, "must be in [0, 1]");
    sim::require(std::isfinite(f.alpha_post), "alpha_post", f.alpha_post, "must be finite");
    sim::require(std::isfinite(f.alpha_pre), "alpha_pre", f.alpha_pre, "must be finite");
    const long steps = static_cast<long>(s.shape.steps);
    if (s.rule.delay_ls >= 0) {
        const long least = s.rule.mode == TessMode::local ? 1 : 0;
        sim::require(s.rule.delay_ls >= least && s.rule.delay_ls <= steps, "delay_ls",
                     static_cast<double>(s.rule.delay_ls),
                     s.rule.mode == TessMode::local ? "must be in [1, steps] (steps with a learning signal)"
                                                    : "must be in [0, steps]");
    }
    sim::require(std::isfinite(s.rate_gain) && s.rate_gain > 0.0 && s.rate_gain <= 1.0, "rate_gain", s.rate_gain,
                 "must be in (0, 1] (spike probability of a white pixel per step)");
    sim::require(s.batch >= 1, "batch", static_cast<double>(s.batch), "must be >= 1");
    sim::require(s.epochs >= 1, "epochs", static_cast<double>(s.epochs), "must be >= 1");
    sim::require_positive("lr", s.learning_rate);
}

TessTrainer::TessTrainer(const TessSettings& settings, TessLearner learner, ImageData train, std::uint64_t seed)
    : settings_(settings), learner_(learner), train_(std::move(train)), seed_(seed), network_(settings.shape),
      encoder_(settings.encoding, settings.rate_gain, settings.shape.steps, seed, train_) {
    validate_tess_settings(settings_);
    MYELIN_ASSERT(train_.inputs == settings_.shape.inputs && train_.x.size() == train_.size() * train_.inputs);
    network_.initialise(seed);
    for (std::size_t block = 0; block < settings_.shape.hidden.size() + 2; ++block)
        adam_.emplace_back(network_.layout().block_size(block, settings_.shape));
}

Evaluation TessTrainer::run_epoch(const std::function<void(const EpochProgress&)>& progress) {
    const std::size_t n = train_.size(), epoch = epoch_++;
    const std::vector<std::uint32_t> order = shuffled_order(
        n, sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, shuffle_object), static_cast<std::uint32_t>(epoch));
    std::vector<float> gradient(network_.parameters().size());
    EpochTally tally(epoch + 1, n, static_cast<double>(network_.hidden_neurons() * settings_.shape.steps));
    for (std::size_t first = 0; first < n; first += settings_.batch) {
        const std::size_t size = std::min(settings_.batch, n - first);
        const auto stats = run_batch_parts<TessBatchStats>(
            size, gradient, [&](std::size_t begin, std::size_t count, std::span<float> part_gradient) {
                const std::span<const std::uint32_t> indices(order.data() + first + begin, count);
                std::vector<std::uint8_t> labels(count);
                for (std::size_t k = 0; k < count; ++k) labels[k] = train_.labels[indices[k]];
                if (learner_ == TessLearner::bptt) {
                    const auto input = [&](std::size_t t) {
                        return encoder_.step(train_, indices, 0, static_cast<std::uint32_t>(epoch), t);
                    };
                    return network_.train_bptt(input, labels, size, part_gradient);
                }
                // Memory: a constant current is encoded once; rate spikes step by step, never all T.
                Network::Matrix constant;
                if (encoder_.encoding() == InputEncoding::current) constant = encoder_.step(train_, indices, 0, 0, 0);
                const auto input = [&](std::size_t t) {
                    return constant.size() ? constant : encoder_.step(train_, indices, 0, static_cast<std::uint32_t>(epoch), t);
                };
                return network_.train_tess(settings_.rule, input, labels, size, part_gradient);
            });
        for (const TessBatchStats& part : stats) peak_state_bytes_ = std::max(peak_state_bytes_, part.state_bytes);
        std::vector<float>& p = network_.parameters();
        for (std::size_t block = 0, offset = 0; block < adam_.size(); ++block) {
            const std::size_t size_of_block = network_.layout().block_size(block, settings_.shape);
            adam_[block].step(std::span<float>(p.data() + offset, size_of_block),
                              std::span<const float>(gradient.data() + offset, size_of_block), settings_.learning_rate);
            offset += size_of_block;
        }
        const EpochProgress& report = tally.add_batch(stats, size, first + size);
        if (progress) progress(report);
    }
    return tally.result();
}

Evaluation TessTrainer::evaluate(const ImageData& data) const {
    const double neuron_steps = static_cast<double>(network_.hidden_neurons() * settings_.shape.steps);
    return evaluate_in_chunks(data.size(), data.labels, neuron_steps, [&](const auto& indices, const auto& labels) {
        const auto input = [&](std::size_t t) { return encoder_.step(data, indices, 1, 0, t); };
        return network_.evaluate(input, labels, data.size());
    });
}

}  // namespace myelin::learning
