// myelin train with [train] algorithm = "bptt": BPTT through Ultra* neurons or the LIF surrogate
// baseline on an image dataset (ALGORITHMS.md 5.4; docs/learning.md), with progress lines, the
// best test accuracy beside the paper's, and the HDF5 report.
#include "experiments/bptt_engine_network.hpp"
#include "experiments/bptt_report.hpp"
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "io/datasets.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

namespace myelin::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string duration_text(double seconds) {
    char text[32];
    const long s = std::lround(seconds);
    if (s >= 3600) std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, s / 60 % 60);
    else std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
    return text;
}

learning::BpttData to_data(const io::ImageSet& images, std::size_t limit) {
    learning::BpttData data;
    data.inputs = images.pixels_per_image();
    const std::size_t n = limit == 0 ? images.size() : std::min(limit, images.size());
    data.labels.assign(images.labels.begin(), images.labels.begin() + static_cast<std::ptrdiff_t>(n));
    data.x.resize(n * data.inputs);
    for (std::size_t k = 0; k < data.x.size(); ++k) data.x[k] = static_cast<float>(images.pixels[k]) / 255.0f;
    return data;
}

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
    const learning::BpttData train = to_data(io::load_dataset(bptt.dataset, io::Split::train), bptt.train_samples);
    const learning::BpttData test = to_data(io::load_dataset(bptt.dataset, io::Split::test), bptt.test_samples);
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
    const double total_samples = static_cast<double>(settings.epochs) * static_cast<double>(train.size());
    double best = 0.0;
    std::size_t best_epoch = 0;
    for (std::size_t e = 0; e < settings.epochs; ++e) {
        const Clock::time_point epoch_start = Clock::now();
        std::size_t next_mark = 1;  // permanent lines at a quarter, half and three quarters
        const auto progress = [&](const learning::BpttProgress& p) {
            if (options.quiet) return;
            const double fraction = static_cast<double>(p.samples_done) / static_cast<double>(p.samples_total);
            const bool mark = next_mark < 4 && fraction >= 0.25 * static_cast<double>(next_mark);
            if (!mark && !live) return;
            while (next_mark < 4 && fraction >= 0.25 * static_cast<double>(next_mark)) ++next_mark;
            const double rate = static_cast<double>(p.samples_done) / seconds_since(epoch_start);
            const double done = static_cast<double>(e * train.size() + p.samples_done);
            const double eta = seconds_since(start) / done * (total_samples - done);
            std::printf("%sepoch %3zu/%zu %3.0f%%  loss %.4f  train %6.2f%%  spikes %.3f  %8.0f samples/s  ETA %s%s",
                        live ? "\r" : "", p.epoch, settings.epochs, 100.0 * fraction, p.loss, 100.0 * p.accuracy,
                        p.spike_rate, rate, duration_text(eta).c_str(), mark || !live ? "\n" : "");
            std::fflush(stdout);
        };
        BpttEpochRecord record;
        record.epoch = e + 1;
        record.train = trainer.run_epoch(progress);
        record.test = trainer.evaluate(test);
        record.eps = static_cast<double>(trainer.network().eps());
        record.seconds = seconds_since(epoch_start);
        report.epochs.push_back(record);
        if (record.test.accuracy > best) {
            best = record.test.accuracy;
            best_epoch = e + 1;
        }
        if (!options.quiet) {
            const double eta = seconds_since(start) / static_cast<double>(e + 1) * static_cast<double>(settings.epochs - e - 1);
            std::printf("%sepoch %3zu/%zu done  loss %.4f  train %6.2f%%  test %6.2f%% (best %.2f%%)  spikes %.3f  "
                        "eps %.3f  %8.0f samples/s  %.1f s  ETA %s\n",
                        live ? "\r" : "", e + 1, settings.epochs, record.train.loss, 100.0 * record.train.accuracy,
                        100.0 * record.test.accuracy, 100.0 * best, record.train.spike_rate, record.eps,
                        static_cast<double>(train.size()) / record.seconds, record.seconds, duration_text(eta).c_str());
            std::fflush(stdout);
        }
    }
    report.seconds = seconds_since(start);
    if (!output.empty()) write_bptt_report(output, spec, report, trainer);
    if (!options.checkpoint.empty()) {
        const Catalogue catalogue;
        BpttEngineInput input;
        input.dataset = bptt.dataset;
        input.count = test.size();
        input.source = spec.path;
        write_bptt_engine_checkpoint(options.checkpoint, trainer, spec.seed, input, catalogue.models, catalogue.rules);
        if (!options.quiet) {
            const BpttEngineTiming timing = bptt_engine_timing(shape.steps, test.size());
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
