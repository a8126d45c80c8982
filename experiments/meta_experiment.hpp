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
    learning::MetaParameters parameters;
    double seconds = 0.0;  // training wall time
};

// Called after each epoch with the result and the epoch's wall time (s).
using EpochCallback = std::function<void(const learning::EpochResult&, double)>;

MetaRun run_meta(const MetaSpec& spec, const MetaDataset& data, std::uint64_t seed, std::size_t epochs,
                 const EpochCallback& on_epoch = {});

}  // namespace myelin::cli
