// One run of the meta-neuron experiment (docs/learning.md "Meta neuron"): the Poisson task of a
// seed (ALGORITHMS.md 6.4), training by the configured rule, and the SNN-LZC evaluation.
#pragma once

#include "experiments/meta_config.hpp"
#include "learning/meta_training.hpp"

#include <functional>
#include <vector>

namespace myelin::cli {

struct MetaDataset {
    std::vector<learning::SpikeSample> train, test;  // classes interleaved: sample s has class s % K
};

// Train samples from synthetic key (seed, 10), test samples from (seed, 11): never the same draws.
MetaDataset make_poisson_dataset(const PoissonTaskSpec& task, std::uint64_t seed);

struct MetaRun {
    std::vector<learning::EpochResult> epochs;
    learning::MetaEvaluation evaluation;
    // The rule's own read-out on the test samples: backprop the spike count, the Tempotron its
    // membrane-maximum decision; NaN for STDP, which trains no read-out (only SNN-LZC classifies).
    double rule_accuracy = 0.0;
    learning::MetaParameters parameters;
    double seconds = 0.0;  // training wall time
};

// "spike count", "membrane maximum" or "" (STDP): what MetaRun::rule_accuracy measures.
std::string rule_readout(learning::MetaRule rule);

// Called after each epoch with the result and the epoch's wall time (s).
using EpochCallback = std::function<void(const learning::EpochResult&, double)>;

MetaRun run_meta(const MetaSpec& spec, const MetaDataset& data, std::uint64_t seed, std::size_t epochs,
                 const EpochCallback& on_epoch = {});

}  // namespace myelin::cli
