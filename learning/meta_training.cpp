// The meta-neuron trainer: set-up, backprop epochs and evaluation (meta_training.hpp); the
// local rules are in meta_local_rules.cpp.
#include "learning/meta_training.hpp"

#include "learning/lzc_classifier.hpp"
#include "sim/error.hpp"
#include "sim/param_check.hpp"
#include "sim/suggest.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace myelin::learning {
namespace {

// Philox objects of the trainer's keys (RandomPurpose::trainer), apart from each other.
constexpr std::uint32_t init_object = 0x4D0, order_object = 0x4D1, train_draw_object = 0x4D2,
                        test_draw_object = 0x4D3, feature_draw_object = 0x4D4;

sim::RandomKey trainer_key(std::uint64_t seed, std::uint32_t object) {
    return sim::RandomKey::make(seed, sim::RandomPurpose::trainer, object);
}

}  // namespace

std::string rule_name(MetaRule rule) {
    switch (rule) {
    case MetaRule::backprop: return "backprop";
    case MetaRule::stdp: return "stdp";
    case MetaRule::tempotron: return "tempotron";
    }
    return "?";
}

std::vector<std::string> rule_names() { return {"backprop", "stdp", "tempotron"}; }

MetaRule parse_rule(const std::string& name) {
    if (name == "backprop") return MetaRule::backprop;
    if (name == "stdp") return MetaRule::stdp;
    if (name == "tempotron") return MetaRule::tempotron;
    throw ParamError("rule", "rule = \"" + name + "\" is not known" + sim::did_you_mean(name, rule_names()) +
                                 "; known: " + sim::join(rule_names()));
}

std::string tempotron_threshold_name(TempotronThreshold mode) {
    switch (mode) {
    case TempotronThreshold::error: return "error";
    case TempotronThreshold::error_homeostasis: return "error_homeostasis";
    case TempotronThreshold::homeostasis: return "homeostasis";
    }
    return "?";
}

TempotronThreshold parse_tempotron_threshold(const std::string& name) {
    if (name == "error") return TempotronThreshold::error;
    if (name == "error_homeostasis") return TempotronThreshold::error_homeostasis;
    if (name == "homeostasis") return TempotronThreshold::homeostasis;
    const std::vector<std::string> known{"error", "error_homeostasis", "homeostasis"};
    throw ParamError("tempotron_threshold", "tempotron_threshold = \"" + name + "\" is not known" +
                                                sim::did_you_mean(name, known) + "; known: " + sim::join(known));
}

std::string score_name(MetaScore score) { return score == MetaScore::count ? "count" : "entropy"; }

MetaScore parse_score(const std::string& name) {
    if (name == "count") return MetaScore::count;
    if (name == "entropy") return MetaScore::entropy;
    const std::vector<std::string> known{"count", "entropy"};
    throw ParamError("score", "score = \"" + name + "\" is not known" + sim::did_you_mean(name, known) +
                                  "; known: " + sim::join(known));
}

void validate_meta_train(const MetaTrainParams& p) {
    sim::require_positive("dt", p.dt, "ms");
    sim::require_positive("tau_m", p.tau_m, "ms");
    sim::require_positive("v_thresh", p.v_thresh);
    sim::require_positive("temperature", p.temperature);
    sim::require_finite("init_mean", p.init_mean);
    sim::require_non_negative("init_std", p.init_std);
    sim::require_positive("slope", p.slope);
    sim::require_non_negative("slope_growth", p.slope_growth);
    sim::require_positive("learning_rate", p.learning_rate);
    sim::require(p.batch_size >= 1, "batch_size", static_cast<double>(p.batch_size), "must be >= 1");
    sim::require_positive("logit_scale", p.logit_scale);
    sim::require(p.target_rate > 0.0 && p.target_rate * p.dt < 1000.0, "target_rate", p.target_rate,
                 "must be within (0, 1000/dt)", "Hz");
    sim::require_non_negative("homeostasis_rate", p.homeostasis_rate);
    sim::require_positive("tempotron_rate", p.tempotron_rate);
    sim::require_non_negative("tempotron_intrinsic_rate", p.tempotron_intrinsic_rate);
    sim::require(p.tempotron_target_rate > 0.0 && p.tempotron_target_rate * p.dt < 1000.0, "tempotron_target_rate",
                 p.tempotron_target_rate, "must be within (0, 1000/dt)", "Hz");
    sim::require_non_negative("tempotron_homeostasis_rate", p.tempotron_homeostasis_rate);
    validate_stdp(p.stdp);
}

MetaTrainer::MetaTrainer(const MetaTrainParams& params, std::size_t inputs, std::size_t classes, std::uint64_t seed)
    : settings_(params), params_(inputs, classes), seed_(seed) {
    validate_meta_train(params);
    for (std::size_t k = 0; k < classes; ++k) {
        sim::RandomStream stream(trainer_key(seed, init_object), static_cast<std::uint32_t>(k), 0);
        for (std::size_t i = 0; i < inputs; ++i) params_.weight(k, i) = params.init_mean + params.init_std * stream.normal();
        params_.set_decay(k, std::exp(-params.dt / params.tau_m));
        params_.set_threshold(k, params.v_thresh);
        params_.set_temperature(k, params.temperature);
    }
    adam_m_.assign(params_.values.size(), 0.0);
    adam_v_.assign(params_.values.size(), 0.0);
}

bool MetaTrainer::learns(std::size_t index) const {
    const std::size_t weights = params_.weight_count(), n = params_.neurons();
    if (index < weights) return true;
    if (index < weights + n) return settings_.learn.decay;
    if (index < weights + 2 * n) return settings_.learn.threshold;
    return settings_.learn.temperature;
}

EpochResult MetaTrainer::train_epoch(const std::vector<SpikeSample>& samples) {
    ++epoch_;
    std::vector<std::uint32_t> order(samples.size());
    for (std::uint32_t s = 0; s < order.size(); ++s) order[s] = s;
    sim::RandomStream stream(trainer_key(seed_, order_object), static_cast<std::uint32_t>(epoch_), 0);
    for (std::size_t s = order.size(); s > 1; --s) std::swap(order[s - 1], order[stream.below(static_cast<std::uint32_t>(s))]);
    switch (settings_.rule) {
    case MetaRule::backprop: return backprop_epoch(samples, order);
    case MetaRule::stdp: return stdp_epoch(samples, order);
    case MetaRule::tempotron: return tempotron_epoch(samples, order);
    }
    throw InternalError("unknown meta training rule");
}

EpochResult MetaTrainer::backprop_epoch(const std::vector<SpikeSample>& samples, const std::vector<std::uint32_t>& order) {
    BackpropOptions options{.score = settings_.score,
                            .mode = ForwardMode::sample,
                            .estimator = settings_.estimator,
                            .slope = settings_.slope + settings_.slope_growth * static_cast<double>(epoch_ - 1),
                            .logit_scale = settings_.logit_scale,
                            .detach_reset = settings_.detach_reset};
    const std::size_t count = params_.values.size(), batch = settings_.batch_size;
    const sim::RandomKey draw_key = trainer_key(seed_, train_draw_object);
    std::vector<double> per_sample(batch * count), losses(batch);
    std::vector<int> correct(batch);
    double loss_sum = 0.0;
    std::size_t right = 0;
    constexpr double beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-8;  // Adam (Kingma & Ba 2015)
    for (std::size_t start = 0; start < order.size(); start += batch) {
        const std::size_t size = std::min(batch, order.size() - start);
        std::fill(per_sample.begin(), per_sample.end(), 0.0);
        tbb::parallel_for(std::size_t{0}, size, [&](std::size_t b) {
            const std::uint32_t s = order[start + b];
            const auto draw = static_cast<std::uint32_t>(epoch_ * samples.size() + s);
            MetaOutput out;
            losses[b] = meta_loss_and_gradient(params_, samples[s], options, draw_key, draw,
                                               std::span<double>(per_sample.data() + b * count, count), &out);
            correct[b] = out.predicted() == samples[s].label;
        });
        // Determinism: the batch is summed in sample order, not in thread order.
        std::vector<double> gradient(count, 0.0);
        for (std::size_t b = 0; b < size; ++b) {
            loss_sum += losses[b];
            right += static_cast<std::size_t>(correct[b]);
            for (std::size_t j = 0; j < count; ++j) gradient[j] += per_sample[b * count + j];
        }
        ++adam_steps_;
        const double correction_1 = 1.0 - std::pow(beta_1, static_cast<double>(adam_steps_));
        const double correction_2 = 1.0 - std::pow(beta_2, static_cast<double>(adam_steps_));
        for (std::size_t j = 0; j < count; ++j) {
            if (!learns(j)) continue;
            const double g = gradient[j] / static_cast<double>(size);
            adam_m_[j] = beta_1 * adam_m_[j] + (1.0 - beta_1) * g;
            adam_v_[j] = beta_2 * adam_v_[j] + (1.0 - beta_2) * g * g;
            params_.values[j] -= settings_.learning_rate * (adam_m_[j] / correction_1) /
                                 (std::sqrt(adam_v_[j] / correction_2) + epsilon);
        }
    }
    const double n = static_cast<double>(std::max<std::size_t>(order.size(), 1));
    return {epoch_, loss_sum / n, static_cast<double>(right) / n};
}

MetaEvaluation evaluate_meta(const MetaParameters& params, double dt, const std::vector<SpikeSample>& train,
                             const std::vector<SpikeSample>& test, int classes, std::uint64_t seed) {
    const auto features_of = [&](const MetaOutput& out) {
        std::vector<std::vector<std::uint8_t>> trains;
        for (std::size_t k = 0; k < out.neurons; ++k) trains.push_back(out.train(k));
        return lzc_features(trains);
    };
    std::vector<std::vector<double>> train_features(train.size()), test_features(test.size());
    std::vector<int> train_labels(train.size()), count_correct(test.size());
    std::vector<double> seconds(test.size()), spikes(test.size()), events(test.size());
    tbb::parallel_for(std::size_t{0}, train.size(), [&](std::size_t s) {
        train_features[s] = features_of(run_meta_layer(params, train[s], ForwardMode::sample,
                                                       trainer_key(seed, feature_draw_object), static_cast<std::uint32_t>(s)));
        train_labels[s] = train[s].label;
    });
    tbb::parallel_for(std::size_t{0}, test.size(), [&](std::size_t s) {
        const auto start = std::chrono::steady_clock::now();
        const MetaOutput out = run_meta_layer(params, test[s], ForwardMode::sample, trainer_key(seed, test_draw_object),
                                              static_cast<std::uint32_t>(s));
        test_features[s] = features_of(out);
        seconds[s] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        count_correct[s] = out.predicted() == test[s].label;
        for (const double c : out.counts) spikes[s] += c;
        events[s] = static_cast<double>(test[s].inputs.size() * params.neurons());
    });
    CentroidClassifier classifier;
    classifier.fit(train_features, train_labels, classes);
    MetaEvaluation result;
    std::size_t count_right = 0, lzc_right = 0;
    double total_seconds = 0.0, total_spikes = 0.0, total_events = 0.0, total_time_s = 0.0;
    for (std::size_t s = 0; s < test.size(); ++s) {
        count_right += static_cast<std::size_t>(count_correct[s]);
        lzc_right += classifier.predict(test_features[s]) == test[s].label;
        total_seconds += seconds[s];
        total_spikes += spikes[s];
        total_events += events[s];
        total_time_s += static_cast<double>(test[s].steps) * dt / 1000.0;
    }
    const double n = static_cast<double>(std::max<std::size_t>(test.size(), 1));
    result.count_accuracy = static_cast<double>(count_right) / n;
    result.lzc_accuracy = static_cast<double>(lzc_right) / n;
    result.seconds_per_sample = total_seconds / n;
    result.synaptic_events = total_events / n;
    result.mean_rate_hz = total_time_s > 0 ? total_spikes / (total_time_s * static_cast<double>(params.neurons())) : 0.0;
    return result;
}

}  // namespace myelin::learning
