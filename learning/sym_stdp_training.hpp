// Training and testing the Hao et al. network over a labelled image set (ALGORITHMS.md 3.6):
// epochs in a fresh Philox-shuffled order, P -> E and E -> C learning together from the first
// sample, then the whole test set with plasticity and theta frozen, read out both ways
// (supervised: the C neuron that fires most; unsupervised: the vote of vote_readout.hpp).
#pragma once

#include "learning/sym_stdp_network.hpp"
#include "learning/vote_readout.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace myelin::learning {

// Images as the network takes them: grey levels 0..255, already preprocessed.
struct LabelledImages {
    std::size_t pixels_per_image = 0;
    std::vector<std::uint8_t> pixels;   // [image][pixel]
    std::vector<std::uint8_t> labels;   // [image]
    std::size_t size() const { return labels.size(); }
    std::span<const std::uint8_t> image(std::size_t i) const {
        return {pixels.data() + i * pixels_per_image, pixels_per_image};
    }
};

struct TestResult {
    double accuracy_supervised = 0.0, accuracy_vote = 0.0;
    std::vector<std::uint32_t> confusion_supervised, confusion_vote;   // [true][predicted]
    std::size_t presentations = 0;          // including re-presentations at higher intensity
    std::size_t exc_spikes = 0;             // E spikes in the accepted presentations, all samples
    double seconds = 0.0;
};

// What learns in which epoch (ALGORITHMS.md 3.6). The defaults are the reference's concurrent
// learning: P -> E, theta and E -> C from the first sample, at constant rates. hidden_epochs = 1
// with class_start_epoch = 1 is the reference's two-stage option run in one go: the hidden layer
// learns (with E -> C) in epoch 1, then P -> E and theta are frozen (FIXED_HIDDEN_LAYER) and only
// E -> C learns. class_start_epoch = hidden_epochs + 1 trains the layers one after the other.
struct SymStdpSchedule {
    std::size_t hidden_epochs = 0;       // P -> E and theta learn in epochs 1..hidden_epochs; 0: in every epoch
    std::size_t class_start_epoch = 1;   // E -> C learns from this epoch on
    double eta_input_decay = 1.0;        // eta_input in epoch e is eta_input * eta_input_decay^(e - 1)
    // At the start of epoch hidden_epochs + 1, when the hidden layer freezes: E -> C back to its
    // initial weights and the vote counts cleared, so both readouts are built only on the frozen
    // fields (readouts built while the fields moved no longer match them; docs/learning.md).
    bool relearn_readouts = false;
    // eta_class in epoch e is eta_class * eta_class_decay^(e - s), s the epoch E -> C starts
    // learning (class_start_epoch, or hidden_epochs + 1 with relearn_readouts); 1 before s.
    double eta_class_decay = 1.0;
    // The vote readout's memory (samples) from the freeze on (epochs after hidden_epochs); 0: vote_memory.
    // Once the fields stop moving there is no reason to forget: a long memory averages more samples.
    double frozen_vote_memory = 0.0;
};

void validate_schedule(const SymStdpSchedule& schedule);   // ParamError naming the config key
Plasticity plasticity_in_epoch(const SymStdpSchedule& schedule, std::size_t epoch);   // epoch: 1-based
// Whether epoch (1-based) starts by resetting E -> C and the votes (relearn_readouts).
bool relearns_readouts_in_epoch(const SymStdpSchedule& schedule, std::size_t epoch);

struct SymStdpEpochResult {
    std::size_t epoch = 0;                  // 1-based
    std::size_t samples = 0;                // training samples in the epoch
    std::size_t presentations = 0;          // including re-presentations at higher intensity
    double train_vote_accuracy = 0.0;       // vote prediction of each training sample before it was learned
    double median_active_exc = 0.0;         // distinct E neurons firing per training sample (median)
    double theta_mean = 0.0, theta_max = 0.0;   // mV, the dynamic threshold after the epoch
    Plasticity plasticity;                  // what learned in this epoch
    bool readouts_reset = false;            // E -> C and the votes were reset at its start
    double train_seconds = 0.0;
    TestResult test;
};

struct TrainProgress {
    std::size_t epoch = 0, sample = 0, samples = 0;   // sample: done in this epoch, of `samples`
    double window_accuracy = 0.0;                     // vote accuracy over the samples since the last report
    double samples_per_second = 0.0;                  // over the same samples
};

class SymStdpTrainer {
public:
    // `vote_memory`: samples over which the vote readout averages (exponential forgetting).
    SymStdpTrainer(const SymStdpNetworkParams& params, std::uint64_t seed, double vote_memory,
                   const SymStdpSchedule& schedule = {});

    // One epoch over `train`; `report(progress)` every `every` samples and at the end.
    SymStdpEpochResult train_epoch(const LabelledImages& train, std::size_t every,
                            const std::function<void(const TrainProgress&)>& report);
    // The frozen network on every test image, each from a reset state, in parallel (TBB);
    // the results do not depend on the thread count.
    TestResult test(const LabelledImages& test) const;

    const SymStdpNetwork& network() const { return network_; }
    SymStdpNetwork& network() { return network_; }
    std::vector<int> assignments() const { return vote_.assignments(); }
    const VoteReadout& vote() const { return vote_; }
    std::size_t epochs_done() const { return epoch_; }

private:
    SymStdpNetwork network_;
    VoteReadout vote_;
    SymStdpSchedule schedule_;
    std::uint64_t seed_;
    std::size_t epoch_ = 0;
};

// A Philox permutation of 0..n-1 for (seed, use); learning/ and experiments/ share it.
std::vector<std::uint32_t> philox_permutation(std::size_t n, std::uint64_t seed, std::uint32_t use);

}  // namespace myelin::learning
