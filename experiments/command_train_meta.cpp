// myelin train, algorithm "meta" (command_train_meta.hpp).
#include "experiments/command_train_meta.hpp"

#include "experiments/meta_engine_network.hpp"
#include "experiments/meta_experiment.hpp"
#include "experiments/meta_report.hpp"
#include "sim/param_check.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <tbb/parallel_for.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>

namespace myelin::cli {
namespace {

std::string output_path(const TrainOptions& options, const TrainSpec& spec) {
    if (options.no_output) return {};
    if (!options.output.empty()) return options.output;
    if (!spec.output.empty()) return spec.output;
    return std::filesystem::path(spec.path).replace_extension(".h5").string();
}

std::string task_line(const PoissonTaskSpec& task) {
    const auto joined = [](const std::vector<double>& values) {
        std::string out;
        for (const double v : values) {
            if (!out.empty()) out += '/';
            out += sim::format_number(v);
        }
        return out;
    };
    const std::string classes = task.shapes.empty()
                                    ? "at " + joined(task.rates) + " Hz"
                                    : "of gamma renewal trains at " + sim::format_number(task.rates.front()) +
                                          " Hz, shapes " + joined(task.shapes);
    char line[320];
    std::snprintf(line, sizeof line, "K = %zu classes %s, %zu inputs, %g ms at dt %g ms, %zu + %zu samples per class",
                  task.rates.size(), classes.c_str(), task.inputs, task.duration, task.dt, task.train_per_class,
                  task.test_per_class);
    return line;
}

std::string learned_list(const learning::IntrinsicLearning& learn) {
    std::string out;
    if (learn.decay) out += "decay ";
    if (learn.threshold) out += "threshold ";
    if (learn.temperature) out += "temperature ";
    return out.empty() ? "none (fixed)" : out.substr(0, out.size() - 1);
}

int train_once(const TrainOptions& options, const TrainSpec& spec) {
    const std::string output = output_path(options, spec);
    const bool live = !options.quiet && ::isatty(STDOUT_FILENO);
    const std::size_t epochs = spec.cycles;
    const learning::MetaTrainParams& train = spec.meta.train;
    if (!options.quiet) {
        std::printf("%s: meta neurons, rule %s, estimator %s, learned intrinsics: %s\n", spec.path.c_str(),
                    learning::rule_name(train.rule).c_str(), learning::estimator_name(train.estimator).c_str(),
                    learned_list(train.learn).c_str());
        std::printf("task: %s; seed %llu, %zu epochs\n", task_line(spec.meta.task).c_str(),
                    static_cast<unsigned long long>(spec.seed), epochs);
        std::fflush(stdout);
    }
    const MetaDataset data = make_poisson_dataset(spec.meta.task, spec.seed);
    const std::size_t every = options.every > 0 ? options.every : 1;  // --every 0 (the default): each epoch
    double elapsed = 0.0;
    const MetaRun run = run_meta(spec.meta, data, spec.seed, epochs, [&](const learning::EpochResult& e, double seconds) {
        elapsed += seconds;
        if (options.quiet) return;
        const bool permanent = e.epoch % every == 0 || e.epoch == epochs;
        if (!permanent && !live) return;
        const double eta = elapsed / static_cast<double>(e.epoch) * static_cast<double>(epochs - e.epoch);
        std::printf("%sepoch %4zu/%zu  loss %8.4f  train accuracy %7.3f%%  %9.0f samples/s  ETA %6.1f s%s",
                    live ? "\r" : "", e.epoch, epochs, e.loss, 100.0 * e.train_accuracy,
                    static_cast<double>(data.train.size()) / std::max(seconds, 1e-9), eta, permanent ? "\n" : "");
        std::fflush(stdout);
    });
    if (!output.empty()) write_meta_report(output, spec, run);
    if (!options.checkpoint.empty())
        write_meta_engine_checkpoint(options.checkpoint, spec.meta, data, run, spec.seed, spec.path, options.quiet);
    if (!options.quiet) {
        const learning::MetaEvaluation& ev = run.evaluation;
        std::printf("test accuracy: SNN-LZC %.2f%%, spike count %.2f%%", 100.0 * ev.lzc_accuracy, 100.0 * ev.count_accuracy);
        if (train.rule == learning::MetaRule::tempotron) std::printf(", membrane maximum %.2f%%", 100.0 * run.rule_accuracy);
        std::printf(" (%zu samples, chance %.2f%%); output rate %.1f Hz\n", data.test.size(),
                    100.0 / static_cast<double>(spec.meta.task.rates.size()), ev.mean_rate_hz);
        std::printf("paper (Rudnicka et al., unverified, ALGORITHMS.md 6.2): SNN-LZC up to 99.50%%; ours is a reconstruction\n");
        std::printf("inference: %.1f us per sample (forward pass + LZC, one thread), %.0f synaptic events per sample\n",
                    1e6 * ev.seconds_per_sample, ev.synaptic_events);
        for (std::size_t k = 0; k < run.parameters.neurons(); ++k)
            std::printf("neuron %zu: tau_m %.2f ms, v_thresh %.3f, temperature %.3f\n", k,
                        -spec.meta.task.dt / std::log(run.parameters.decay(k)), run.parameters.threshold(k),
                        run.parameters.temperature(k));
        std::printf("trained in %.2f s%s%s\n", run.seconds, output.empty() ? "" : "; report ", output.c_str());
    }
    return 0;
}

struct Summary {
    double mean = 0.0, sd = 0.0;
};
Summary summarise(const std::vector<double>& x) {
    Summary s;
    for (const double v : x) s.mean += v;
    s.mean /= static_cast<double>(x.size());
    for (const double v : x) s.sd += (v - s.mean) * (v - s.mean);
    s.sd = x.size() > 1 ? std::sqrt(s.sd / static_cast<double>(x.size() - 1)) : 0.0;
    return s;
}

// Paired t-test of learned against fixed over seeds. One-sided p of "learned is worse than fixed"
// (the acceptance asks for no significant drop, ALGORITHMS.md 6.7): P(T <= t) with n - 1 degrees.
std::string paired_test(const std::vector<double>& fixed, const std::vector<double>& learned) {
    std::vector<double> d;
    for (std::size_t s = 0; s < fixed.size(); ++s) d.push_back(learned[s] - fixed[s]);
    const Summary diff = summarise(d);
    char text[64];
    if (d.size() < 2) return "       -        -";
    if (diff.sd == 0.0) {
        std::snprintf(text, sizeof text, "%8s %8s", "-", diff.mean >= 0 ? "1" : "0");  // no spread: sign decides
        return text;
    }
    const double t = diff.mean / (diff.sd / std::sqrt(static_cast<double>(d.size())));
    const boost::math::students_t distribution(static_cast<double>(d.size() - 1));
    std::snprintf(text, sizeof text, "%8.2f %8.3f", t, boost::math::cdf(distribution, t));
    return text;
}

int train_compare(const TrainOptions& options, const TrainSpec& spec) {
    const std::string output = output_path(options, spec);
    const auto seeds = static_cast<std::size_t>(options.seeds);
    const std::vector<learning::MetaRule> rules{learning::MetaRule::backprop, learning::MetaRule::stdp,
                                                learning::MetaRule::tempotron};
    std::printf("Meta neurons, SNN-LZC: fixed against learned intrinsic parameters, %zu seeds from %llu, %zu epochs\n",
                seeds, static_cast<unsigned long long>(spec.seed), spec.cycles);
    std::printf("task: %s; estimator %s (backprop)\n", task_line(spec.meta.task).c_str(),
                learning::estimator_name(spec.meta.train.estimator).c_str());
    std::fflush(stdout);
    std::vector<MetaDataset> data(seeds);
    tbb::parallel_for(std::size_t{0}, seeds, [&](std::size_t s) { data[s] = make_poisson_dataset(spec.meta.task, spec.seed + s); });
    // Row r = (rule, learned, seed) in that nesting; each run is independent, so the table is
    // the same on any thread count.
    std::vector<MetaCompareRow> rows(rules.size() * 2 * seeds);
    std::mutex print;
    tbb::parallel_for(std::size_t{0}, rows.size(), [&](std::size_t r) {
        const learning::MetaRule rule = rules[r / (2 * seeds)];
        const bool learned = (r / seeds) % 2 == 1;
        const std::size_t s = r % seeds;
        MetaSpec run_spec = spec.meta;
        run_spec.train.rule = rule;
        run_spec.train.learn = learned ? learning::IntrinsicLearning{true, true, true} : learning::IntrinsicLearning{};
        const MetaRun run = run_meta(run_spec, data[s], spec.seed + s, spec.cycles);
        rows[r] = {learning::rule_name(rule), learned, spec.seed + s, run.evaluation.lzc_accuracy,
                   run.rule_accuracy, run.seconds};
        if (!options.quiet) {
            const std::lock_guard<std::mutex> lock(print);
            char own[64] = "";
            if (!std::isnan(rows[r].rule_accuracy))
                std::snprintf(own, sizeof own, "  %s %6.2f%%", rule_readout(rule).c_str(), 100.0 * rows[r].rule_accuracy);
            std::printf("  %-9s %-7s seed %-4llu SNN-LZC %6.2f%%%s  (%.1f s)\n", rows[r].rule.c_str(),
                        learned ? "learned" : "fixed", static_cast<unsigned long long>(rows[r].seed),
                        100.0 * rows[r].lzc_accuracy, own, run.seconds);
            std::fflush(stdout);
        }
    });
    std::printf("\n%-10s %-16s %20s %20s %12s %8s %8s\n", "rule", "read-out", "fixed (mean +- sd)",
                "learned (mean +- sd)", "learned-fixed", "t", "p(drop)");
    for (std::size_t q = 0; q < rules.size(); ++q)
        for (const bool lzc : {true, false}) {
            const std::string readout = lzc ? "SNN-LZC" : rule_readout(rules[q]);
            if (readout.empty()) continue;  // STDP trains no read-out of its own
            std::vector<double> fixed, learned;
            for (std::size_t s = 0; s < seeds; ++s) {
                const MetaCompareRow& f = rows[q * 2 * seeds + s];
                const MetaCompareRow& l = rows[q * 2 * seeds + seeds + s];
                fixed.push_back(100.0 * (lzc ? f.lzc_accuracy : f.rule_accuracy));
                learned.push_back(100.0 * (lzc ? l.lzc_accuracy : l.rule_accuracy));
            }
            const Summary a = summarise(fixed), b = summarise(learned);
            std::printf("%-10s %-16s %12.2f +- %5.2f %12.2f +- %5.2f %+10.2f pp %s\n",
                        learning::rule_name(rules[q]).c_str(), readout.c_str(), a.mean, a.sd, b.mean, b.sd,
                        b.mean - a.mean, paired_test(fixed, learned).c_str());
        }
    std::printf("Accuracies in %% on %zu test samples per seed (chance %.2f%%). SNN-LZC: nearest centroid of the output trains'\n"
                "normalised LZ complexities; spike count: the most active class neuron; membrane maximum: the Tempotron's decision.\n",
                data.empty() ? std::size_t{0} : data.front().test.size(), 100.0 / static_cast<double>(spec.meta.task.rates.size()));
    std::printf("t: paired t over seeds (learned - fixed), %zu degrees of freedom; p(drop): one-sided p that learned is worse.\n"
                "Paper (Rudnicka et al., arXiv 2508.11674, unverified, ALGORITHMS.md 6.2): learned intrinsics up to +8.50 pp\n"
                "for meta-neuron networks; SNN-LZC up to 99.50%%. Our task and networks are a reconstruction.\n",
                seeds > 0 ? seeds - 1 : 0);
    if (!output.empty()) {
        write_meta_compare_report(output, spec, rows);
        std::printf("report %s\n", output.c_str());
    }
    return 0;
}

}  // namespace

int train_meta(const TrainOptions& options, const TrainSpec& spec, bool compare) {
    if (compare && options.seeds < 2) throw UsageError("--compare needs --seeds of at least 2 (a paired test)");
    return compare ? train_compare(options, spec) : train_once(options, spec);
}

}  // namespace myelin::cli
