// LZ76 complexity, Kaspar-Schuster algorithm (lempel_ziv.hpp; ALGORITHMS.md 6.3).
#include "sim/lempel_ziv.hpp"

#include "sim/error.hpp"

#include <algorithm>
#include <cmath>

namespace myelin::sim {

std::size_t lz76_complexity(std::span<const std::uint8_t> s) {
    const std::size_t n = s.size();
    if (n <= 1) return n;
    // l: start of the phrase being built; i: start of the candidate copy in the history;
    // k: length matched so far; k_max: longest match over all candidates for this phrase.
    std::size_t c = 1, l = 1, i = 0, k = 1, k_max = 1;
    while (true) {
        if (s[i + k - 1] == s[l + k - 1]) {
            ++k;
            if (l + k > n) return c + 1;  // the last phrase runs to the end as a copy
        } else {
            k_max = std::max(k, k_max);
            ++i;
            if (i == l) {  // no candidate extends further: a new phrase of length k_max ends here
                ++c;
                l += k_max;
                if (l + 1 > n) return c;
                i = 0;
                k = 1;
                k_max = 1;
            } else {
                k = 1;
            }
        }
    }
}

double lz76_normalised(std::span<const std::uint8_t> symbols, unsigned alphabet) {
    MYELIN_ASSERT(alphabet >= 2);
    const std::size_t n = symbols.size();
    if (n <= 1) return 0.0;
    const double log_n = std::log(static_cast<double>(n)) / std::log(static_cast<double>(alphabet));
    return static_cast<double>(lz76_complexity(symbols)) * log_n / static_cast<double>(n);
}

std::vector<std::uint8_t> binary_spike_train(std::span<const double> spike_times_ms, double duration_ms,
                                             double bin_ms) {
    MYELIN_ASSERT(bin_ms > 0.0 && duration_ms >= 0.0);
    const auto bins = static_cast<std::size_t>(std::ceil(duration_ms / bin_ms));
    std::vector<std::uint8_t> train(bins, 0);
    for (const double t : spike_times_ms) {
        if (!(t >= 0.0 && t < duration_ms)) continue;
        train[std::min(static_cast<std::size_t>(t / bin_ms), bins - 1)] = 1;
    }
    return train;
}

}  // namespace myelin::sim
