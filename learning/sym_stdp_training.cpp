// Epochs and tests of the Hao et al. network (sym_stdp_training.hpp).
#include "learning/sym_stdp_training.hpp"

#include "sim/param_check.hpp"
#include "sim/random.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace myelin::learning {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

constexpr std::uint32_t stream_order = 5;   // RandomPurpose::trainer objects 1-4: sym_stdp_network.cpp

int most_spikes(std::span<const std::uint16_t> counts) {
    return static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());  // ties: lowest
}

}  // namespace

std::vector<std::uint32_t> philox_permutation(std::size_t n, std::uint64_t seed, std::uint32_t use) {
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    const sim::RandomKey key = sim::RandomKey::make(seed, sim::RandomPurpose::trainer, stream_order);
    for (std::size_t i = n; i > 1; --i) {   // Fisher-Yates, one Philox draw per position
        const auto r = sim::philox(key, static_cast<std::uint32_t>(i), use, 0);
        const auto j = static_cast<std::size_t>(sim::unit_interval(r[0], r[1]) * static_cast<double>(i));
        std::swap(order[i - 1], order[std::min(j, i - 1)]);
    }
    return order;
}

void validate_schedule(const SymStdpSchedule& schedule) {
    sim::require(schedule.hidden_epochs <= 1000000, "hidden_epochs", static_cast<double>(schedule.hidden_epochs),
                 "must be within [0, 1000000] (0: the hidden layer learns in every epoch)");
    sim::require(schedule.class_start_epoch >= 1 && schedule.class_start_epoch <= 1000000, "class_start_epoch",
                 static_cast<double>(schedule.class_start_epoch), "must be within [1, 1000000] (epochs count from 1)");
    sim::require(std::isfinite(schedule.eta_input_decay) && schedule.eta_input_decay > 0.0 && schedule.eta_input_decay <= 1.0,
                 "eta_input_decay", schedule.eta_input_decay, "must be within (0, 1]");
    sim::require(std::isfinite(schedule.eta_class_decay) && schedule.eta_class_decay > 0.0 && schedule.eta_class_decay <= 1.0,
                 "eta_class_decay", schedule.eta_class_decay, "must be within (0, 1]");
    sim::require(schedule.frozen_vote_memory == 0.0 || (std::isfinite(schedule.frozen_vote_memory) && schedule.frozen_vote_memory >= 1.0),
                 "frozen_vote_memory", schedule.frozen_vote_memory, "must be 0 (vote_memory) or >= 1 (samples)");
    if (schedule.relearn_readouts && schedule.hidden_epochs == 0)
        throw ParamError("relearn_readouts", "relearn_readouts = true needs hidden_epochs >= 1 (the readouts are "
                                             "re-learned when the hidden layer freezes; with 0 it never does)");
}

bool relearns_readouts_in_epoch(const SymStdpSchedule& schedule, std::size_t epoch) {
    return schedule.relearn_readouts && schedule.hidden_epochs >= 1 && epoch == schedule.hidden_epochs + 1;
}

Plasticity plasticity_in_epoch(const SymStdpSchedule& schedule, std::size_t epoch) {
    Plasticity p;
    p.hidden = schedule.hidden_epochs == 0 || epoch <= schedule.hidden_epochs;
    p.classes = epoch >= schedule.class_start_epoch;
    p.input_eta_scale = std::pow(schedule.eta_input_decay, static_cast<double>(epoch - 1));
    const std::size_t class_start =
        schedule.relearn_readouts && schedule.hidden_epochs >= 1 ? std::max(schedule.class_start_epoch, schedule.hidden_epochs + 1)
                                                                 : schedule.class_start_epoch;
    if (epoch > class_start) p.class_eta_scale = std::pow(schedule.eta_class_decay, static_cast<double>(epoch - class_start));
    return p;
}

SymStdpTrainer::SymStdpTrainer(const SymStdpNetworkParams& params, std::uint64_t seed, double vote_memory,
                               const SymStdpSchedule& schedule)
    : network_(params, seed), vote_(params.n_exc, params.n_classes, vote_memory), schedule_(schedule), seed_(seed) {
    validate_schedule(schedule_);
}

SymStdpEpochResult SymStdpTrainer::train_epoch(const LabelledImages& train, std::size_t every,
                                        const std::function<void(const TrainProgress&)>& report) {
    ++epoch_;
    SymStdpEpochResult result;
    result.epoch = epoch_;
    result.samples = train.size();
    result.plasticity = plasticity_in_epoch(schedule_, epoch_);
    network_.set_plasticity(result.plasticity);
    result.readouts_reset = relearns_readouts_in_epoch(schedule_, epoch_);
    if (result.readouts_reset) {
        network_.reset_class_weights();
        vote_.clear();
    }
    if (schedule_.hidden_epochs >= 1 && epoch_ == schedule_.hidden_epochs + 1 && schedule_.frozen_vote_memory > 0.0)
        vote_.set_memory(schedule_.frozen_vote_memory);
    // Use 1000 + epoch keeps epoch orders apart from the data-subset permutations (uses < 1000).
    const std::vector<std::uint32_t> order = philox_permutation(train.size(), seed_, 1000 + static_cast<std::uint32_t>(epoch_));
    const Clock::time_point start = Clock::now();
    Clock::time_point window_start = start;
    std::size_t correct = 0, window_correct = 0, window_samples = 0;
    std::vector<int> assigned = vote_.assignments();
    std::vector<std::uint16_t> active;
    active.reserve(train.size());
    for (std::size_t s = 0; s < train.size(); ++s) {
        const std::size_t index = order[s];
        const int label = train.labels[index];
        const auto serial = static_cast<std::uint32_t>((epoch_ - 1) * train.size() + s);
        const SampleResponse response = network_.train(train.image(index), label, serial);
        result.presentations += static_cast<std::size_t>(response.presentations);
        // Refreshing the assignment costs neurons x classes; every 100 samples is often enough.
        if (s % 100 == 0) assigned = vote_.assignments();
        const bool hit = VoteReadout::predict(response.exc_counts, assigned, network_.params().n_classes) == label;
        correct += hit;
        window_correct += hit;
        ++window_samples;
        vote_.add(response.exc_counts, label);
        active.push_back(static_cast<std::uint16_t>(
            std::count_if(response.exc_counts.begin(), response.exc_counts.end(), [](std::uint16_t c) { return c > 0; })));
        if (report && ((s + 1) % every == 0 || s + 1 == train.size())) {
            const double seconds = seconds_since(window_start);
            report({epoch_, s + 1, train.size(), static_cast<double>(window_correct) / static_cast<double>(window_samples),
                    seconds > 0.0 ? static_cast<double>(window_samples) / seconds : 0.0});
            window_start = Clock::now();
            window_correct = window_samples = 0;
        }
    }
    result.train_seconds = seconds_since(start);
    result.train_vote_accuracy = train.size() ? static_cast<double>(correct) / static_cast<double>(train.size()) : 0.0;
    if (!active.empty()) {
        std::nth_element(active.begin(), active.begin() + static_cast<std::ptrdiff_t>(active.size() / 2), active.end());
        result.median_active_exc = active[active.size() / 2];
    }
    const std::vector<double>& theta = network_.weights().theta;
    if (!theta.empty()) {
        result.theta_mean = std::accumulate(theta.begin(), theta.end(), 0.0) / static_cast<double>(theta.size());
        result.theta_max = *std::max_element(theta.begin(), theta.end());
    }
    return result;
}

TestResult SymStdpTrainer::test(const LabelledImages& test) const {
    const Clock::time_point start = Clock::now();
    const std::size_t classes = network_.params().n_classes;
    const std::vector<int> assigned = vote_.assignments();
    std::vector<int> supervised(test.size()), vote(test.size());
    std::vector<std::uint32_t> presentations(test.size()), exc_spikes(test.size());
    // Determinism: each sample starts from a reset state with its own random stream and writes
    // only its own slot; the network is read-only here.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, test.size(), 16), [&](const tbb::blocked_range<std::size_t>& range) {
        SymStdpState state = network_.fresh_state();
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            if (i != range.begin()) state.reset(network_.params(), network_.params().exc_v_rest);
            const SampleResponse response = network_.test(test.image(i), static_cast<std::uint32_t>(i), state);
            supervised[i] = most_spikes(response.cls_counts);
            vote[i] = VoteReadout::predict(response.exc_counts, assigned, classes);
            presentations[i] = static_cast<std::uint32_t>(response.presentations);
            exc_spikes[i] = std::accumulate(response.exc_counts.begin(), response.exc_counts.end(), 0u);
        }
    });
    TestResult result;
    result.confusion_supervised.assign(classes * classes, 0);
    result.confusion_vote.assign(classes * classes, 0);
    std::size_t hits_supervised = 0, hits_vote = 0;
    for (std::size_t i = 0; i < test.size(); ++i) {
        const std::size_t truth = test.labels[i];
        ++result.confusion_supervised[truth * classes + static_cast<std::size_t>(supervised[i])];
        ++result.confusion_vote[truth * classes + static_cast<std::size_t>(vote[i])];
        hits_supervised += supervised[i] == static_cast<int>(truth);
        hits_vote += vote[i] == static_cast<int>(truth);
        result.presentations += presentations[i];
        result.exc_spikes += exc_spikes[i];
    }
    const auto n = static_cast<double>(std::max<std::size_t>(test.size(), 1));
    result.accuracy_supervised = static_cast<double>(hits_supervised) / n;
    result.accuracy_vote = static_cast<double>(hits_vote) / n;
    result.seconds = seconds_since(start);
    return result;
}

}  // namespace myelin::learning
