// `myelin train` with algorithm = "sym_stdp" (command_sym_stdp.hpp): loads and preprocesses the
// images, trains epoch by epoch with a progress line every report_every samples, tests after each
// epoch with both readouts, and writes the report (sym_stdp_report.hpp).
#include "experiments/command_sym_stdp.hpp"

#include "experiments/sym_stdp_report.hpp"
#include "io/datasets.hpp"
#include "learning/sym_stdp_training.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace myelin::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Philox uses of philox_permutation for the data subsets (epoch orders use 1000 + epoch).
constexpr std::uint32_t use_train_subset = 1, use_test_subset = 2, use_validation = 3;

// The indices of `set` whose class is listed (all when no class is), in file order.
std::vector<std::uint32_t> of_classes(const io::ImageSet& set, const ImageDataSpec& data) {
    std::vector<std::uint32_t> chosen;
    for (std::size_t i = 0; i < set.size(); ++i)
        if (data.classes.empty() ||
            std::find(data.classes.begin(), data.classes.end(), static_cast<int>(set.labels[i])) != data.classes.end())
            chosen.push_back(static_cast<std::uint32_t>(i));
    return chosen;
}

// A fixed Philox subset of at most `limit` of `chosen` (0: all), in file order; `rest` (if given)
// receives the others. The files are ordered by class (the MNIST subset): a subset must be drawn, not cut.
std::vector<std::uint32_t> draw(const std::vector<std::uint32_t>& chosen, std::size_t limit, std::uint64_t seed,
                                std::uint32_t use, std::vector<std::uint32_t>* rest = nullptr) {
    if (limit == 0 || limit >= chosen.size()) return chosen;
    const std::vector<std::uint32_t> order = learning::philox_permutation(chosen.size(), seed, use);
    std::vector<std::uint32_t> subset(limit);
    for (std::size_t i = 0; i < limit; ++i) subset[i] = chosen[order[i]];
    std::sort(subset.begin(), subset.end());
    if (rest) {
        rest->clear();
        for (std::size_t i = limit; i < chosen.size(); ++i) rest->push_back(chosen[order[i]]);
        std::sort(rest->begin(), rest->end());
    }
    return subset;
}

// The listed images, each scaled to mean grey level `mean_pixel` when that is > 0 (Hao et al.'s
// Fashion-MNIST preprocessing: q' = min(255, round(q * mean_pixel / mean(q)))).
learning::LabelledImages prepare(const io::ImageSet& set, const ImageDataSpec& data, const std::vector<std::uint32_t>& chosen) {
    learning::LabelledImages out;
    out.pixels_per_image = set.pixels_per_image();
    out.pixels.reserve(chosen.size() * out.pixels_per_image);
    for (const std::uint32_t i : chosen) {
        const auto image = set.image(i);
        double sum = 0.0;
        for (const std::uint8_t q : image) sum += q;
        const double mean = sum / static_cast<double>(image.size());
        const double factor = data.mean_pixel > 0.0 && mean > 0.0 ? data.mean_pixel / mean : 1.0;
        for (const std::uint8_t q : image)
            out.pixels.push_back(static_cast<std::uint8_t>(std::min(255.0, std::round(q * factor))));
        out.labels.push_back(set.labels[i]);
    }
    return out;
}

std::string duration_text(double seconds) {
    char text[32];
    const auto s = static_cast<long long>(std::llround(std::max(seconds, 0.0)));
    if (s >= 3600) std::snprintf(text, sizeof text, "%lldh%02lldm", s / 3600, s / 60 % 60);
    else std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
    return text;
}

std::string output_path(const TrainOptions& options, const TrainSpec& spec) {
    if (!options.output.empty()) return options.output;
    if (!spec.output.empty()) return spec.output;
    return std::filesystem::path(spec.path).replace_extension(".h5").string();
}

}  // namespace

int train_sym_stdp(const TrainOptions& options, const TrainSpec& spec, int threads) {
    const SymStdpSpec& sym = spec.sym_stdp;
    const std::string output = options.no_output ? std::string() : output_path(options, spec);
    // Evaluation runs on the test split, or, with validation_samples, on training images held out
    // from learning (for choosing settings without looking at the test set).
    const bool validating = sym.data.validation_samples > 0;
    const char* evaluated = validating ? "validation" : "test";
    const io::ImageSet raw_train = io::load_dataset(sym.data.dataset, io::Split::train, sym.data.directory);
    const std::size_t rows = raw_train.rows, columns = raw_train.columns;
    std::vector<std::uint32_t> pool = of_classes(raw_train, sym.data), held_out;
    if (validating) {
        if (sym.data.validation_samples >= pool.size())
            throw ConfigError(spec.path, 0, 0, "[data]: validation_samples = " + std::to_string(sym.data.validation_samples) +
                                                   " leaves no training image (the selection has " +
                                                   std::to_string(pool.size()) + ")");
        std::vector<std::uint32_t> rest;
        held_out = draw(pool, sym.data.validation_samples, spec.seed, use_validation, &rest);
        pool = std::move(rest);
    }
    const learning::LabelledImages train =
        prepare(raw_train, sym.data, draw(pool, sym.data.train_samples, spec.seed, use_train_subset));
    learning::LabelledImages test;
    if (validating) {
        test = prepare(raw_train, sym.data, held_out);
    } else {
        const io::ImageSet raw_test = io::load_dataset(sym.data.dataset, io::Split::test, sym.data.directory);
        test = prepare(raw_test, sym.data, draw(of_classes(raw_test, sym.data), sym.data.test_samples, spec.seed, use_test_subset));
    }
    learning::SymStdpNetworkParams params = sym.network;
    params.n_input = train.pixels_per_image;
    if (train.size() == 0 || test.size() == 0)
        throw ConfigError(spec.path, 0, 0, "[data]: the selection leaves no training or no test image");
    const std::size_t every = options.every > 0 ? options.every : sym.report_every;
    const bool quiet = options.quiet;
    if (!quiet) {
        std::printf("%s: sym_stdp (Hao et al.), %s, %zu train / %zu %s images, N_E = %zu, %zu epoch(s), seed %llu, "
                    "%d thread(s)\n",
                    spec.path.c_str(), sym.data.dataset.c_str(), train.size(), test.size(), evaluated, params.n_exc,
                    spec.cycles, static_cast<unsigned long long>(spec.seed), threads);
        std::fflush(stdout);
    }
    learning::SymStdpTrainer trainer(params, spec.seed, sym.vote_memory, sym.schedule);
    SymStdpReport report;
    report.train_images = train.size();
    report.test_images = test.size();
    report.image_rows = rows;
    report.image_columns = columns;
    report.threads = threads;
    report.evaluated_on = evaluated;
    const Clock::time_point start = Clock::now();
    double train_rate = 0.0, test_rate = 0.0;   // samples/s, measured so far
    std::size_t done = 0;
    for (std::size_t epoch = 1; epoch <= spec.cycles; ++epoch) {
        const Clock::time_point epoch_start = Clock::now();
        const auto progress = [&](const learning::TrainProgress& p) {
            const double elapsed = std::chrono::duration<double>(Clock::now() - epoch_start).count();
            train_rate = elapsed > 0.0 ? static_cast<double>(p.sample) / elapsed : 0.0;
            if (quiet) return;
            // ETA: the training samples left at this epoch's rate, plus the tests left at the
            // measured test rate (before the first test: the training rate, a pessimistic guess).
            const double left_train = static_cast<double>((spec.cycles - epoch) * train.size() + (p.samples - p.sample));
            const double left_test = static_cast<double>((spec.cycles - epoch + 1) * test.size());
            const double eta = (train_rate > 0.0 ? left_train / train_rate : 0.0) +
                               left_test / std::max(test_rate > 0.0 ? test_rate : train_rate, 1e-9);
            std::printf("epoch %zu/%zu  sample %6zu/%zu  vote accuracy (last %zu) %5.1f%%  %7.1f samples/s  ETA %s\n",
                        p.epoch, spec.cycles, p.sample, p.samples, std::min(every, p.sample), 100.0 * p.window_accuracy,
                        p.samples_per_second, duration_text(eta).c_str());
            std::fflush(stdout);
        };
        learning::SymStdpEpochResult result = trainer.train_epoch(train, every, progress);
        done += train.size();
        result.test = trainer.test(test);
        test_rate = result.test.seconds > 0.0 ? static_cast<double>(test.size()) / result.test.seconds : 0.0;
        if (!quiet) {
            const auto per_sample = [&](std::size_t n) { return static_cast<double>(n) / static_cast<double>(test.size()); };
            std::printf("epoch %zu: %s accuracy supervised %.2f%%  vote %.2f%%  (training: vote %.2f%%, median %.0f "
                        "active E per sample, %.1f samples/s, %zu presentations; learning:%s%s%s, eta_input x%.3g, eta_class x%.3g; theta "
                        "mean %.2f max %.2f mV; %s: %.2f presentations and %.1f E spikes per sample, %.1f s)\n",
                        result.epoch, evaluated, 100.0 * result.test.accuracy_supervised, 100.0 * result.test.accuracy_vote,
                        100.0 * result.train_vote_accuracy, result.median_active_exc,
                        static_cast<double>(train.size()) / std::max(result.train_seconds, 1e-9), result.presentations,
                        result.plasticity.hidden ? " P->E+theta" : "", result.plasticity.classes ? " E->C" : "",
                        result.readouts_reset ? " (E->C and votes reset at the start)" : "",
                        result.plasticity.input_eta_scale, result.plasticity.class_eta_scale, result.theta_mean, result.theta_max, evaluated,
                        per_sample(result.test.presentations), per_sample(result.test.exc_spikes), result.test.seconds);
            std::fflush(stdout);
        }
        report.epochs.push_back(std::move(result));
    }
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!output.empty()) write_sym_stdp_report(output, spec, report, trainer);
    if (!quiet) {
        std::printf("%s accuracy\n%6s %12s %12s\n", evaluated, "epoch", "supervised", "vote");
        for (const auto& e : report.epochs)
            std::printf("%6zu %11.2f%% %11.2f%%\n", e.epoch, 100.0 * e.test.accuracy_supervised,
                        100.0 * e.test.accuracy_vote);
        std::printf("%zu training samples in %s%s%s\n", done, duration_text(report.seconds).c_str(),
                    output.empty() ? "" : "; report ", output.c_str());
    }
    return 0;
}

}  // namespace myelin::cli
