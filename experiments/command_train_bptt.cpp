// myelin train with [train] algorithm = "bptt": BPTT through Ultra* neurons or the LIF surrogate
// baseline on an image dataset (ALGORITHMS.md 5.4; docs/learning.md), with progress lines, the
// best test accuracy beside the paper's, and the HDF5 report.
#include "experiments/bptt_engine_network.hpp"
#include "experiments/bptt_report.hpp"
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "experiments/epoch_progress.hpp"
#include "experiments/image_data.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

namespace myelin::cli {
namespace {

// The paper's Fashion-MNIST numbers for this setting (ALGORITHMS.md 5.5), or empty.
std::string paper_number(const TrainSpec& spec) {
    const learning::BpttShape& s = spec.bptt.settings.shape;
    if (spec.bptt.dataset != "fashion-mnist" || s.hidden != 64) return "";
    const bool sparse = s.sparsity == 0.1, dense = s.sparsity == 0.0;
    if (s.neuron == learning::BpttNeuron::lif && s.steps == 1 && dense)
        return "82.67% (best T = 1 baseline of the paper, DSpike+; target 82.7 +- 2)";
    if (s.neuron != learning::BpttNeuron::ultra_plif) return "";
    if (s.steps == 1 && dense) return "83.02% (UltraPLIF, T = 1; target 83.0 +- 1.0)";
    if (s.steps == 1 && sparse) return "83.05% (UltraPLIF, T = 1, lambda 0.1; spike rate 0.428 -> 0.266)";
    if (s.steps == 10 && dense) return "85.69% (UltraPLIF, T = 10)";
    if (s.steps == 10 && sparse) return "85.74% (UltraPLIF, T = 10, lambda 0.1; spike rate 0.456 -> 0.279)";
    return "";
}

}  // namespace

int train_bptt(const TrainOptions& options, const TrainSpec& spec, const std::string& output) {
    const BpttSpec& bptt = spec.bptt;
    const learning::BpttSettings& settings = bptt.settings;
    const learning::BpttData train = load_image_data(bptt.dataset, io::Split::train, bptt.train_samples);
    const learning::BpttData test = load_image_data(bptt.dataset, io::Split::test, bptt.test_samples);
    const bool live = !options.quiet && ::isatty(STDOUT_FILENO);
    const learning::BpttShape& shape = settings.shape;
    if (!options.quiet) {
        std::printf("%s: bptt, %s %zu-%zu-%zu, T = %zu, %s encoding, batch %zu, Adam lr %g, %zu epochs, sparsity %g, "
                    "seed %llu; %s: %zu train, %zu test images\n",
                    spec.path.c_str(), learning::bptt_neuron_name(shape.neuron).c_str(), train.inputs, shape.hidden,
                    shape.classes, shape.steps, learning::bptt_encoding_name(settings.encoding).c_str(), settings.batch,
                    settings.learning_rate, settings.epochs, shape.sparsity, static_cast<unsigned long long>(spec.seed),
                    bptt.dataset.c_str(), train.size(), test.size());
        std::fflush(stdout);
    }
    learning::BpttSettings shaped = settings;
    shaped.shape.inputs = train.inputs;
    learning::BpttTrainer trainer(shaped, train, spec.seed);
    BpttReport report;
    report.train_samples = train.size();
    report.test_samples = test.size();
    const Clock::time_point start = Clock::now();
    EpochProgressPrinter printer(options.quiet, live, settings.epochs, train.size());
    double best = 0.0;
    std::size_t best_epoch = 0;
    for (std::size_t e = 0; e < settings.epochs; ++e) {
        printer.start_epoch(e);
        BpttEpochRecord record;
        record.epoch = e + 1;
        record.train = trainer.run_epoch([&](const learning::BpttProgress& p) { printer.within(p); });
        record.test = trainer.evaluate(test);
        record.eps = static_cast<double>(trainer.network().eps());
        if (record.test.accuracy > best) {
            best = record.test.accuracy;
            best_epoch = e + 1;
        }
        char detail[160];
        std::snprintf(detail, sizeof detail, "loss %.4f  train %6.2f%%  test %6.2f%% (best %.2f%%)  spikes %.3f  eps %.3f",
                      record.train.loss, 100.0 * record.train.accuracy, 100.0 * record.test.accuracy, 100.0 * best,
                      record.train.spike_rate, record.eps);
        record.seconds = printer.done(detail);
        report.epochs.push_back(record);
    }
    report.seconds = seconds_since(start);
    if (!output.empty()) write_bptt_report(output, spec, report, trainer);
    if (!options.checkpoint.empty()) {
        const Catalogue catalogue;
        ImageEngineInput input;
        input.dataset = bptt.dataset;
        input.count = test.size();
        input.source = spec.path;
        write_bptt_engine_checkpoint(options.checkpoint, trainer, spec.seed, input, catalogue.models, catalogue.rules);
        if (!options.quiet) {
            const TrialTiming timing = bptt_engine_timing(shape.steps, test.size());
            std::printf("engine checkpoint %s: the network after epoch %zu (test accuracy %.2f%%); `myelin run %s` "
                        "simulates the %zu test images, sample n's logits are output.v at t = %zu + %zu n ms\n",
                        options.checkpoint.c_str(), settings.epochs, 100.0 * report.epochs.back().test.accuracy,
                        options.checkpoint.c_str(), test.size(), timing.first_sample_time, shape.steps);
        }
    }
    if (!options.quiet) {
        std::printf("best test accuracy %.2f%% (epoch %zu of %zu), test spike rate %.3f, in %s%s%s\n", 100.0 * best,
                    best_epoch, settings.epochs, report.epochs.back().test.spike_rate, duration_text(report.seconds).c_str(),
                    output.empty() ? "" : "; report ", output.c_str());
        const std::string paper = paper_number(spec);
        if (!paper.empty()) std::printf("paper: %s\n", paper.c_str());
    }
    return 0;
}

}  // namespace myelin::cli
