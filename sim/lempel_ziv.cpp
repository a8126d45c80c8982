// LZ76 complexity, Kaspar-Schuster algorithm (lempel_ziv.hpp; ALGORITHMS.md 6.3).
#include "sim/lempel_ziv.hpp"

#include "sim/error.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace myelin::sim {

namespace {

// Length of the common prefix of s[a..] and s[b..] (a < b), at most n - b: eight bytes at a
// time, since scanning the history for each phrase is where all the time goes (random
// symbols make a byte-by-byte loop mispredict about every other branch).
std::size_t common_prefix(const std::uint8_t* s, std::size_t n, std::size_t a, std::size_t b) {
    std::size_t m = 0;
    while (b + m + 8 <= n) {
        std::uint64_t x, y;
        std::memcpy(&x, s + a + m, 8);
        std::memcpy(&y, s + b + m, 8);
        if (x != y) {
            const std::uint64_t diff = x ^ y;  // first differing byte: lowest set bit, little-endian
            return m + static_cast<std::size_t>(std::countr_zero(diff)) / 8;
        }
        m += 8;
    }
    while (b + m < n && s[a + m] == s[b + m]) ++m;
    return m;
}

}  // namespace

std::size_t lz76_complexity(std::span<const std::uint8_t> symbols) {
    static_assert(std::endian::native == std::endian::little, "common_prefix reads bytes little-endian");
    const std::size_t n = symbols.size();
    if (n <= 1) return n;
    const std::uint8_t* s = symbols.data();
    // Kaspar & Schuster's loop, with its inner comparison of candidate i against the phrase
    // starting at l done as one common-prefix length: the phrase at l extends one symbol past
    // the longest copy that starts at any i < l (the copy may overlap the phrase); a copy that
    // reaches the end of the text ends the parsing with one last phrase.
    std::size_t c = 1, l = 1;
    while (true) {
        std::size_t k_max = 1;
        for (std::size_t i = 0; i < l; ++i) {
            const std::size_t m = common_prefix(s, n, i, l);
            if (m == n - l) return c + 1;
            k_max = std::max(k_max, m + 1);
        }
        ++c;
        l += k_max;
        if (l + 1 > n) return c;
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
