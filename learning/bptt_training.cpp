// Mini-batch BPTT training with Adam (bptt_training.hpp; ALGORITHMS.md 5.4).
#include "learning/bptt_training.hpp"

#include "sim/error.hpp"
#include "sim/param_check.hpp"
#include "sim/random.hpp"
#include "sim/sample_rate_code.hpp"
#include "sim/suggest.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace myelin::learning {
namespace {

// Determinism: a batch is cut into parts of this many samples whatever the thread count; each
// part's gradient is computed alone and the parts are added in order.
constexpr std::size_t part_size = 32;

// Streams of the trainer's Philox key (RandomPurpose::trainer): 0 is the initial parameters.
constexpr std::uint32_t shuffle_object = 1, train_input_object = 2;

}  // namespace

sim::RandomKey bptt_input_key(std::uint64_t seed) {
    return sim::RandomKey::make(seed, sim::RandomPurpose::spike_source, 0);
}

std::string bptt_encoding_name(BpttEncoding encoding) {
    return encoding == BpttEncoding::rate ? "rate" : "current";
}

BpttEncoding bptt_encoding_from_name(const std::string& name) {
    if (name == "rate") return BpttEncoding::rate;
    if (name == "current") return BpttEncoding::current;
    throw ParamError("encoding", "encoding = \"" + name + "\" is not known" +
                                     sim::did_you_mean(name, {"rate", "current"}) + "; known: rate, current");
}

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
    : settings_(settings), train_(std::move(train)), seed_(seed), network_(settings.shape) {
    validate_bptt_settings(settings_);
    MYELIN_ASSERT(train_.inputs == settings_.shape.inputs && train_.x.size() == train_.size() * train_.inputs);
    network_.initialise(seed);
    adam_m_.assign(network_.parameters().size(), 0.0f);
    adam_v_.assign(network_.parameters().size(), 0.0f);
    if (settings_.encoding == BpttEncoding::current && !train_.x.empty()) {
        // The training set's own mean and standard deviation, as torchvision's Normalize constants are.
        double sum = 0.0, square = 0.0;
        for (const float x : train_.x) {
            sum += x;
            square += static_cast<double>(x) * x;
        }
        const double n = static_cast<double>(train_.x.size());
        input_mean_ = sum / n;
        input_std_ = std::sqrt(std::max(square / n - input_mean_ * input_mean_, 1e-12));
    }
}

std::vector<BpttTrainer::Network::Matrix> BpttTrainer::encode(const BpttData& data,
                                                             std::span<const std::uint32_t> indices,
                                                             std::uint32_t stream, std::uint32_t epoch) const {
    const std::size_t inputs = data.inputs, steps = settings_.shape.steps;
    const auto columns = static_cast<Eigen::Index>(indices.size());
    std::vector<Network::Matrix> out(steps, Network::Matrix(static_cast<Eigen::Index>(inputs), columns));
    if (settings_.encoding == BpttEncoding::current) {
        const float mean = static_cast<float>(input_mean_), scale = static_cast<float>(1.0 / input_std_);
        for (Eigen::Index b = 0; b < columns; ++b) {
            const float* x = data.x.data() + indices[static_cast<std::size_t>(b)] * inputs;
            for (std::size_t k = 0; k < inputs; ++k) out[0](static_cast<Eigen::Index>(k), b) = (x[k] - mean) * scale;
        }
        for (std::size_t t = 1; t < steps; ++t) out[t] = out[0];
        return out;
    }
    // One 32-bit Philox word per (sample, step, pixel): spike iff word < gain * x * 2^32. The
    // evaluation draws are those of the engine's ImageSequenceEncoder as input population 0 of
    // a network with this seed (bptt_input_key), so an exported network sees the same spikes.
    const sim::RandomKey key = stream == 0 ? sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, train_input_object)
                                           : bptt_input_key(seed_);
    for (Eigen::Index b = 0; b < columns; ++b) {
        const std::uint32_t sample = indices[static_cast<std::size_t>(b)];
        const float* x = data.x.data() + static_cast<std::size_t>(sample) * inputs;
        for (std::size_t t = 0; t < steps; ++t) {
            Network::Matrix& step = out[t];
            step.col(b).setZero();
            sim::sample_rate_step(key, x, settings_.rate_gain, sample, static_cast<std::uint32_t>(epoch * steps + t), 0,
                                  inputs, [&](std::size_t k) { step(static_cast<Eigen::Index>(k), b) = 1.0f; });
        }
    }
    return out;
}

void BpttTrainer::adam_step(const std::vector<float>& gradient) {
    constexpr double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    ++adam_steps_;
    const double step = static_cast<double>(adam_steps_);
    const double correction1 = 1.0 - std::pow(beta1, step), correction2 = 1.0 - std::pow(beta2, step);
    const float rate = static_cast<float>(settings_.learning_rate / correction1);
    const float root2 = static_cast<float>(std::sqrt(correction2));
    std::vector<float>& p = network_.parameters();
    for (std::size_t k = 0; k < p.size(); ++k) {
        adam_m_[k] = static_cast<float>(beta1) * adam_m_[k] + static_cast<float>(1.0 - beta1) * gradient[k];
        adam_v_[k] = static_cast<float>(beta2) * adam_v_[k] + static_cast<float>(1.0 - beta2) * gradient[k] * gradient[k];
        p[k] -= rate * adam_m_[k] / (std::sqrt(adam_v_[k]) / root2 + static_cast<float>(epsilon));
    }
}

BpttEvaluation BpttTrainer::run_epoch(const std::function<void(const BpttProgress&)>& progress) {
    const std::size_t n = train_.size(), epoch = epoch_++;
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    // Fisher-Yates from Philox (seed, epoch).
    sim::RandomStream random(sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, shuffle_object),
                             static_cast<std::uint32_t>(epoch), 0);
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[static_cast<std::size_t>(random.uniform() * static_cast<double>(i))]);

    const std::size_t parameters = network_.parameters().size(), hidden_steps = settings_.shape.hidden * settings_.shape.steps;
    std::vector<float> gradient(parameters);
    BpttProgress report{.epoch = epoch + 1, .samples_total = n};
    double loss_sum = 0.0, spike_sum = 0.0;
    std::size_t correct = 0;
    for (std::size_t first = 0; first < n; first += settings_.batch) {
        const std::size_t size = std::min(settings_.batch, n - first), parts = (size + part_size - 1) / part_size;
        std::vector<std::vector<float>> part_gradient(parts, std::vector<float>(parameters, 0.0f));
        std::vector<BpttBatchStats> part_stats(parts);
        tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t part) {
            const std::size_t begin = first + part * part_size, count = std::min(part_size, first + size - begin);
            const std::span<const std::uint32_t> indices(order.data() + begin, count);
            std::vector<std::uint8_t> labels(count);
            for (std::size_t k = 0; k < count; ++k) labels[k] = train_.labels[indices[k]];
            part_stats[part] = network_.run(encode(train_, indices, 0, static_cast<std::uint32_t>(epoch)), labels, size,
                                            part_gradient[part]);
        });
        std::fill(gradient.begin(), gradient.end(), 0.0f);
        for (std::size_t part = 0; part < parts; ++part) {  // Determinism: fixed order
            for (std::size_t k = 0; k < parameters; ++k) gradient[k] += part_gradient[part][k];
            loss_sum += part_stats[part].loss * static_cast<double>(size);
            correct += part_stats[part].correct;
            spike_sum += part_stats[part].spike_sum;
        }
        adam_step(gradient);
        report.samples_done = first + size;
        const double done = static_cast<double>(report.samples_done);
        report.loss = loss_sum / done;
        report.accuracy = static_cast<double>(correct) / done;
        report.spike_rate = spike_sum / (done * static_cast<double>(hidden_steps));
        if (progress) progress(report);
    }
    return {report.loss, report.accuracy, report.spike_rate};
}

BpttEvaluation BpttTrainer::evaluate(const BpttData& data) const {
    const std::size_t n = data.size(), chunk = 256, parts = (n + chunk - 1) / chunk;
    std::vector<BpttBatchStats> stats(parts);
    tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t part) {
        const std::size_t begin = part * chunk, count = std::min(chunk, n - begin);
        std::vector<std::uint32_t> indices(count);
        std::iota(indices.begin(), indices.end(), static_cast<std::uint32_t>(begin));
        std::vector<std::uint8_t> labels(data.labels.begin() + static_cast<std::ptrdiff_t>(begin),
                                         data.labels.begin() + static_cast<std::ptrdiff_t>(begin + count));
        stats[part] = network_.run(encode(data, indices, 1, 0), labels, n, {});
    });
    BpttEvaluation result;
    std::size_t correct = 0;
    double spikes = 0.0;
    for (const BpttBatchStats& s : stats) {  // Determinism: fixed order
        result.loss += s.loss;
        correct += s.correct;
        spikes += s.spike_sum;
    }
    if (n == 0) return result;
    result.accuracy = static_cast<double>(correct) / static_cast<double>(n);
    result.spike_rate = spikes / (static_cast<double>(n) * static_cast<double>(settings_.shape.hidden * settings_.shape.steps));
    return result;
}

}  // namespace myelin::learning
