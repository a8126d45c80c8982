// The meta-neuron experiment (meta_experiment.hpp).
#include "experiments/meta_experiment.hpp"

#include "models/synthetic_tasks.hpp"

#include <tbb/parallel_for.h>

#include <chrono>
#include <cmath>

namespace myelin::cli {
namespace {

learning::SpikeSample to_sample(const models::SpikeRaster& raster, int label) {
    learning::SpikeSample sample;
    sample.steps = raster.steps;
    sample.label = label;
    sample.step_start.reserve(raster.steps + 1);
    sample.step_start.push_back(0);
    for (std::size_t t = 0; t < raster.steps; ++t) {
        const auto row = raster.step_row(t);
        for (std::size_t i = 0; i < row.size(); ++i)
            if (row[i]) sample.inputs.push_back(static_cast<std::uint32_t>(i));
        sample.step_start.push_back(static_cast<std::uint32_t>(sample.inputs.size()));
    }
    return sample;
}

std::vector<learning::SpikeSample> make_samples(const PoissonTaskSpec& task, std::size_t per_class,
                                                const sim::RandomKey& key) {
    const std::size_t classes = task.rates.size();
    std::vector<learning::SpikeSample> samples(per_class * classes);
    // Determinism: sample s draws from (key, s) alone and lands at index s.
    tbb::parallel_for(std::size_t{0}, samples.size(), [&](std::size_t s) {
        const int label = static_cast<int>(s % classes);
        const auto c = static_cast<std::size_t>(label);
        const auto index = static_cast<std::uint32_t>(s);
        if (!task.shapes.empty()) {
            samples[s] = to_sample(models::gamma_renewal_pattern(task.rates[c], task.shapes[c], task.inputs, task.steps(),
                                                                 task.dt, key, index),
                                   label);
            return;
        }
        const std::vector<double> rates(task.inputs, task.rates[c]);
        samples[s] = to_sample(models::poisson_pattern(rates, task.steps(), task.dt, key, index), label);
    });
    return samples;
}

}  // namespace

std::string rule_readout(learning::MetaRule rule) {
    switch (rule) {
    case learning::MetaRule::backprop: return "spike count";
    case learning::MetaRule::tempotron: return "membrane maximum";
    case learning::MetaRule::stdp: return "";
    }
    return "";
}

MetaDataset make_poisson_dataset(const PoissonTaskSpec& task, std::uint64_t seed) {
    return {make_samples(task, task.train_per_class, models::synthetic_key(seed, 10)),
            make_samples(task, task.test_per_class, models::synthetic_key(seed, 11))};
}

MetaRun run_meta(const MetaSpec& spec, const MetaDataset& data, std::uint64_t seed, std::size_t epochs,
                 const EpochCallback& on_epoch) {
    using Clock = std::chrono::steady_clock;
    const int classes = static_cast<int>(spec.task.rates.size());
    learning::MetaTrainer trainer(spec.train, spec.task.inputs, static_cast<std::size_t>(classes), seed);
    MetaRun run;
    const Clock::time_point start = Clock::now();
    for (std::size_t e = 0; e < epochs; ++e) {
        const Clock::time_point epoch_start = Clock::now();
        run.epochs.push_back(trainer.train_epoch(data.train));
        if (on_epoch) on_epoch(run.epochs.back(), std::chrono::duration<double>(Clock::now() - epoch_start).count());
    }
    run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    run.parameters = trainer.parameters();
    run.evaluation = learning::evaluate_meta(run.parameters, spec.task.dt, data.train, data.test, classes, seed);
    switch (spec.train.rule) {
    case learning::MetaRule::backprop: run.rule_accuracy = run.evaluation.count_accuracy; break;
    case learning::MetaRule::tempotron: run.rule_accuracy = learning::tempotron_accuracy(run.parameters, data.test); break;
    case learning::MetaRule::stdp: run.rule_accuracy = std::nan(""); break;
    }
    return run;
}

}  // namespace myelin::cli
