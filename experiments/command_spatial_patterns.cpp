// `myelin spatial-patterns CONFIG.toml`: trains and tests the Davies et al. spatial-pattern
// networks (ALGORITHMS.md 2.5) and prints each experiment beside the paper's numbers (2.7) and
// the idealised model; exit 1 if any simulated result differs from them.
#include "experiments/commands.hpp"
#include "experiments/spatial_patterns_config.hpp"

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

namespace myelin::cli {
namespace {

// The paper's accuracy over all inputs (2.7): one pattern 1.0; two patterns at Hamming
// distance d, 1 - (2^d - 2)/2^bits. Nothing for other sets.
std::optional<double> paper_accuracy(const std::vector<std::uint32_t>& patterns, int bits, std::optional<int>& distance) {
    const double inputs = std::ldexp(1.0, bits);
    if (patterns.size() == 1) return 1.0;
    if (patterns.size() != 2) return std::nullopt;
    distance = std::popcount(patterns[0] ^ patterns[1]);
    if (*distance == 0 || *distance == bits) return std::nullopt;  // duplicate; complementary: no factor
    return 1.0 - (std::ldexp(1.0, *distance) - 2.0) / inputs;
}

std::string join_codes(const std::vector<std::uint32_t>& codes) {
    std::string s;
    for (const auto c : codes) {
        if (!s.empty()) s += ',';
        s += std::to_string(c);
    }
    return s;
}

std::string fixed(std::optional<double> x, int digits) {
    if (!x) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, *x);
    return buf;
}

}  // namespace

int spatial_patterns_command(const std::string& config) {
    const Catalogue catalogue;
    const SpatialPatternStudy study = load_spatial_patterns(config, catalogue);
    const SpatialPatternSetup& setup = study.setup;
    const auto start = std::chrono::steady_clock::now();
    std::printf("Davies et al. spatial patterns (%s): %d bits, factor by %s, evaluation %s\n", config.c_str(), setup.bits,
                setup.closed_form_factor ? "closed form" : "search on the recognition network",
                study.simulate_evaluation ? "simulated (fresh network per input)" : "idealised model");
    std::printf("%-18s %2s %9s %9s %9s %5s %5s %5s %5s %9s %9s %9s %s\n", "patterns", "d", "w_unit", "H", "H_closed",
                "TP", "TN", "FP", "FN", "accuracy", "paper", "idealised", "match");
    bool all_match = true;
    for (const auto& patterns : study.trained) {
        const LearnedWeights weights = train_patterns(setup, patterns, catalogue);
        // u of 2.2 (exp(-1) here): summed weights are multiples of it, so the smallest non-zero one.
        double unit = 0.0;
        for (const auto* column : {&weights.w1, &weights.w0})
            for (const double w : *column)
                if (w > 0.0 && (unit == 0.0 || w < unit)) unit = w;
        const FactorResult factor = homeostatic_factor(setup, weights, patterns, catalogue);
        std::vector<std::optional<double>> closed;
        for (const auto p : patterns)
            closed.push_back(learning::closed_form_factor(setup.homeostasis, firing_gap_mv(), drive_mv(weights, p)));
        const std::optional<double> h_closed = learning::global_factor(closed);
        std::optional<int> distance;
        const std::optional<double> paper = paper_accuracy(patterns, setup.bits, distance);
        const std::string d = distance ? std::to_string(*distance) : "-";
        if (!factor.global) {
            // Complementary patterns cancel every weight: the paper, too, finds no factor (2.7).
            const bool expected = !h_closed;
            all_match = all_match && expected;
            std::printf("%-18s %2s %9.6f %9s %9s %5s %5s %5s %5s %9s %9s %9s %s\n", join_codes(patterns).c_str(), d.c_str(),
                        unit, "none", fixed(h_closed, 5).c_str(), "-", "-", "-", "-", "-", "-", "-",
                        expected ? "yes (no factor)" : "NO");
            continue;
        }
        const double h = *factor.global;
        const Confusion ideal = evaluate_idealised(setup, weights, h, patterns);
        const Confusion got = study.simulate_evaluation ? evaluate(setup, weights, h, patterns, catalogue) : ideal;
        const bool match = got == ideal && (!paper || got.accuracy() == *paper) &&
                           (!h_closed || std::abs(h - *h_closed) <= setup.homeostasis.resolution * 1.0000001);
        all_match = all_match && match;
        std::printf("%-18s %2s %9.6f %9.5f %9s %5d %5d %5d %5d %9.4f %9s %9.4f %s\n", join_codes(patterns).c_str(), d.c_str(),
                    unit, h, fixed(h_closed, 5).c_str(), got.tp, got.tn, got.fp, got.fn, got.accuracy(),
                    fixed(paper, 4).c_str(), ideal.accuracy(), match ? "yes" : "NO");
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%zu experiment(s) in %.2f s. paper: ALGORITHMS.md 2.7 (1 pattern: TP 1, TN %d; 2 patterns at distance d: "
                "1 - (2^d - 2)/%d); idealised: fires iff H * drive >= %.0f mV\n",
                study.trained.size(), seconds, (1 << setup.bits) - 1, 1 << setup.bits, firing_gap_mv());
    if (!all_match) {
        std::cerr << "myelin: error: a simulated result differs from the paper or the idealised model (rows marked NO)\n";
        return exit_error;
    }
    return 0;
}

}  // namespace myelin::cli
