// myelin train with [train] algorithm = "tess": TESS (ALGORITHMS.md 4) on an image dataset and,
// with learners = ["tess", "bptt"], its BPTT reference on the identical network, seed, data order
// and epochs, then both side by side; progress lines and the HDF5 report (docs/learning.md).
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "experiments/epoch_progress.hpp"
#include "experiments/image_data.hpp"
#include "experiments/peak_memory.hpp"
#include "experiments/tess_engine_network.hpp"
#include "experiments/tess_report.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace myelin::cli {
namespace {

std::string widths(const learning::TessShape& shape) {
    std::string text = std::to_string(shape.inputs);
    for (const std::size_t width : shape.hidden) text.append("-").append(std::to_string(width));
    return text.append("-").append(std::to_string(shape.classes));
}

// `checkpoint`: where to write the trained network as an engine checkpoint; empty: nowhere.
TessRun train_one(const TrainOptions& options, const learning::TessSettings& settings, learning::TessLearner learner,
                  const learning::ImageData& train, const learning::ImageData& test, std::uint64_t seed,
                  const ImageEngineInput& checkpoint) {
    const bool live = !options.quiet && ::isatty(STDOUT_FILENO);
    const std::string name = learning::tess_learner_name(learner);
    reset_peak_resident();  // Memory: the peak of this learner's training, not of loading the data
    learning::TessTrainer trainer(settings, learner, train, seed);
    TessRun run;
    run.learner = learner;
    const Clock::time_point start = Clock::now();
    EpochProgressPrinter printer(options.quiet, live, settings.epochs, train.size(), name + " ");
    for (std::size_t e = 0; e < settings.epochs; ++e) {
        printer.start_epoch(e);
        EpochRecord record;
        record.epoch = e + 1;
        record.train = trainer.run_epoch([&](const learning::EpochProgress& p) { printer.within(p); });
        record.test = trainer.evaluate(test);
        if (record.test.accuracy > run.best_accuracy) {
            run.best_accuracy = record.test.accuracy;
            run.best_epoch = e + 1;
        }
        char detail[160];
        std::snprintf(detail, sizeof detail, "loss %.4f  train %6.2f%%  test %6.2f%% (best %.2f%%)  spikes %.3f",
                      record.train.loss, 100.0 * record.train.accuracy, 100.0 * record.test.accuracy,
                      100.0 * run.best_accuracy, record.train.spike_rate);
        record.seconds = printer.done(detail);
        run.epochs.push_back(record);
    }
    run.seconds = seconds_since(start);
    run.parameters = trainer.network().parameters();
    run.peak_state_bytes = trainer.peak_state_bytes();
    run.peak_resident_kib = peak_resident_kib();
    if (!options.checkpoint.empty() && checkpoint.count > 0) {
        const Catalogue catalogue;
        write_tess_engine_checkpoint(options.checkpoint, trainer, seed, checkpoint, catalogue.models, catalogue.rules);
        if (!options.quiet) {
            const TrialTiming timing = tess_engine_timing(settings.shape, test.size());
            std::printf("engine checkpoint %s: the %s-trained network after epoch %zu (test accuracy %.2f%%); `myelin run "
                        "%s` simulates the %zu test images, sample n's logits are output.v at t = %zu + %zu n ms\n",
                        options.checkpoint.c_str(), name.c_str(), settings.epochs, 100.0 * run.epochs.back().test.accuracy,
                        options.checkpoint.c_str(), test.size(), timing.first_sample_time, settings.shape.steps);
        }
    }
    return run;
}

}  // namespace

int train_tess(const TrainOptions& options, const TrainSpec& spec, const std::string& output) {
    const TessSpec& tess = spec.tess;
    const learning::ImageData train = load_image_data(tess.dataset, io::Split::train, tess.train_samples);
    const learning::ImageData test = load_image_data(tess.dataset, io::Split::test, tess.test_samples);
    learning::TessSettings settings = tess.settings;
    settings.shape.inputs = train.inputs;
    const learning::TessRule& rule = settings.rule;
    const long delay = rule.delay_ls < 0 ? static_cast<long>(settings.shape.steps) : rule.delay_ls;
    if (!options.quiet) {
        std::string learners;
        for (const learning::TessLearner l : tess.learners) {
            if (!learners.empty()) learners.append(", ");
            learners.append(learning::tess_learner_name(l));
        }
        std::printf("%s: tess (%s mode, delay_ls %ld, factors %g %g %g %g), %s, T = %zu, beta %.3f, theta %.2f, %s "
                    "encoding, batch %zu, Adam lr %g, %zu epochs, seed %llu; learners: %s; %s: %zu train, %zu test images\n",
                    spec.path.c_str(), learning::tess_mode_name(rule.mode).c_str(), delay, rule.factors.lambda_post,
                    rule.factors.lambda_pre, rule.factors.alpha_post, rule.factors.alpha_pre, widths(settings.shape).c_str(),
                    settings.shape.steps, settings.shape.neuron.beta(), settings.shape.neuron.theta(),
                    learning::input_encoding_name(settings.encoding).c_str(), settings.batch, settings.learning_rate,
                    settings.epochs, static_cast<unsigned long long>(spec.seed), learners.c_str(), tess.dataset.c_str(),
                    train.size(), test.size());
        std::fflush(stdout);
    }
    TessReport report;
    report.train_samples = train.size();
    report.test_samples = test.size();
    const learning::ImageEncoder encoder(settings.encoding, settings.rate_gain, settings.shape.steps, spec.seed, train);
    report.input_mean = encoder.mean();
    report.input_std = encoder.std();
    const Clock::time_point start = Clock::now();
    // --checkpoint writes the TESS-trained network (the first learner's if TESS is not among them).
    const bool has_tess = std::find(tess.learners.begin(), tess.learners.end(), learning::TessLearner::tess) != tess.learners.end();
    for (const learning::TessLearner learner : tess.learners) {
        ImageEngineInput checkpoint;
        if (has_tess ? learner == learning::TessLearner::tess : learner == tess.learners.front()) {
            checkpoint.dataset = tess.dataset;
            checkpoint.count = test.size();
            checkpoint.source = spec.path;
        }
        report.runs.push_back(train_one(options, settings, learner, train, test, spec.seed, checkpoint));
    }
    report.seconds = seconds_since(start);
    if (!output.empty()) write_tess_report(output, spec, report);
    if (!options.quiet) {
        std::printf("%-7s %10s %8s %11s %21s %16s %8s\n", "learner", "best test", "epoch", "final test",
                    "state bytes per part", "peak RSS (KiB)", "wall");
        for (const TessRun& run : report.runs)
            std::printf("%-7s %9.2f%% %4zu/%-3zu %10.2f%% %21zu %16zu %8s\n", learning::tess_learner_name(run.learner).c_str(),
                        100.0 * run.best_accuracy, run.best_epoch, run.epochs.size(),
                        100.0 * run.epochs.back().test.accuracy, run.peak_state_bytes, run.peak_resident_kib,
                        duration_text(run.seconds).c_str());
        if (report.runs.size() == 2) {
            const TessRun& a = report.runs[0].learner == learning::TessLearner::tess ? report.runs[0] : report.runs[1];
            const TessRun& b = &a == &report.runs[0] ? report.runs[1] : report.runs[0];
            std::printf("TESS - BPTT (best test accuracy): %+.2f points (%s mode; target >= -4; paper: about -1.4 on its "
                        "own tasks)\n",
                        100.0 * (a.best_accuracy - b.best_accuracy), learning::tess_mode_name(rule.mode).c_str());
        }
        std::printf("in %s%s%s\n", duration_text(report.seconds).c_str(), output.empty() ? "" : "; report ", output.c_str());
    }
    return 0;
}

}  // namespace myelin::cli
