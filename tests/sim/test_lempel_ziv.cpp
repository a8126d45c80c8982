// LZ76 complexity (Kaspar-Schuster) against the textbook parse, hand-parsed strings, the
// definition itself on every short binary string, and the entropy rate of known sources
// (ALGORITHMS.md 6.3).
#include "sim/lempel_ziv.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <string_view>

using myelin::sim::lz76_complexity;
using myelin::sim::lz76_normalised;

namespace {

std::vector<std::uint8_t> symbols(std::string_view text) {
    std::vector<std::uint8_t> out;
    for (const char ch : text) out.push_back(static_cast<std::uint8_t>(ch - '0'));
    return out;
}

std::size_t complexity(std::string_view text) { return lz76_complexity(symbols(text)); }

// The definition of Lempel & Ziv (1976), written independently of the algorithm: each phrase
// is the shortest word starting where the previous one ended that does not occur in the text
// before the phrase's own last symbol (a copy may overlap the phrase); the last phrase may run
// into the end of the text as a copy.
std::size_t complexity_by_definition(std::string_view s) {
    std::size_t phrases = 0;
    for (std::size_t start = 0; start < s.size(); ++phrases) {
        std::size_t length = 1;
        while (start + length <= s.size() &&
               s.substr(0, start + length - 1).find(s.substr(start, length)) != std::string_view::npos)
            ++length;
        start += length;
    }
    return phrases;
}

std::vector<std::uint8_t> bernoulli(double p, std::size_t n, unsigned seed) {
    std::mt19937_64 random(seed);
    std::bernoulli_distribution draw(p);
    std::vector<std::uint8_t> out(n);
    for (auto& x : out) x = draw(random) ? 1 : 0;
    return out;
}

double entropy_bits(double p) { return -p * std::log2(p) - (1 - p) * std::log2(1 - p); }

}  // namespace

TEST_CASE("LZ76 gives the textbook complexity 6 for 0001101001000101", "[sim][lempel_ziv]") {
    // Parsing 0 | 001 | 10 | 100 | 1000 | 101 (Kaspar & Schuster 1987).
    CHECK(complexity("0001101001000101") == 6);
}

TEST_CASE("LZ76 gives the hand-parsed complexity of short strings", "[sim][lempel_ziv]") {
    CHECK(complexity("") == 0);
    CHECK(complexity("1") == 1);
    CHECK(complexity("01") == 2);          // 0 | 1
    CHECK(complexity("0000") == 2);        // 0 | 000 (a copy overlapping itself)
    CHECK(complexity("0010") == 3);        // 0 | 01 | 0
    CHECK(complexity("0101010101") == 3);  // 0 | 1 | 01010101
    CHECK(complexity("0110") == 3);        // 0 | 1 | 10
    CHECK(complexity(std::string(1000, '0')) == 2);
}

TEST_CASE("LZ76 agrees with the phrase definition on every binary string up to length 12", "[sim][lempel_ziv]") {
    for (std::size_t n = 1; n <= 12; ++n) {
        for (std::uint32_t bits = 0; bits < (1u << n); ++bits) {
            std::string s;
            for (std::size_t j = 0; j < n; ++j) s += ((bits >> j) & 1u) ? '1' : '0';
            CAPTURE(s);
            REQUIRE(complexity(s) == complexity_by_definition(s));
        }
    }
}

TEST_CASE("LZ76 agrees with the phrase definition on long random strings of 2 and 3 symbols", "[sim][lempel_ziv]") {
    // Long phrases and copies that cross the 8-byte words of the fast comparison.
    std::mt19937 random(5);
    for (int trial = 0; trial < 60; ++trial) {
        const unsigned alphabet = trial % 3 == 2 ? 3 : 2;
        const double p_repeat = trial % 2 ? 0.9 : 0.0;  // 0.9: long runs, long matches
        std::uniform_int_distribution<int> symbol(0, static_cast<int>(alphabet) - 1);
        std::bernoulli_distribution repeat(p_repeat);
        std::string s(1 + trial * 5, '0');
        for (std::size_t j = 1; j < s.size(); ++j) s[j] = repeat(random) ? s[j - 1] : static_cast<char>('0' + symbol(random));
        CAPTURE(s);
        REQUIRE(complexity(s) == complexity_by_definition(s));
    }
}

TEST_CASE("normalised LZ76 of long Bernoulli sequences approaches their entropy rate", "[sim][lempel_ziv]") {
    // Tolerances from ALGORITHMS.md 6.3 (reference values there: 1.019 at p = 0.5, 0.454 at
    // p = 0.1): the LZ estimate converges slowly, as O(log log n / log n), and from above for
    // p = 0.5 at this n.
    const std::size_t n = 100000;
    CHECK(lz76_normalised(bernoulli(0.5, n, 1)) == Approx(1.0).margin(0.03));
    CHECK(lz76_normalised(bernoulli(0.1, n, 2)) == Approx(entropy_bits(0.1)).margin(0.05));
}

TEST_CASE("normalised LZ76 of periodic sequences goes to 0 as they grow", "[sim][lempel_ziv]") {
    // A periodic sequence has a bounded number of phrases (the first period, then one copy to
    // the end), so c * log2(n) / n falls like log(n) / n.
    const std::string period = "0010111";
    double previous = 2.0;
    for (const std::size_t n : {1000, 10000, 100000}) {
        std::string s;
        while (s.size() < n) s += period;
        s.resize(n);
        CAPTURE(n);
        CHECK(complexity(s) == complexity(period + period));
        const double normalised = lz76_normalised(symbols(s));
        CHECK(normalised < previous);
        previous = normalised;
    }
    CHECK(previous < 0.001);
}

TEST_CASE("normalised LZ76 uses the alphabet size as the logarithm's base", "[sim][lempel_ziv]") {
    const auto s = symbols("0001101001000101");  // c = 6, n = 16
    CHECK(lz76_normalised(s) == Approx(6.0 * 4.0 / 16.0));
    CHECK(lz76_normalised(s, 4) == Approx(6.0 * 2.0 / 16.0));
    CHECK(lz76_normalised(symbols("1")) == 0.0);
}

TEST_CASE("spike trains are binned to 1 where a bin holds at least one spike", "[sim][lempel_ziv]") {
    const std::vector<double> times{0.0, 0.4, 2.5, 9.99, 10.0, -1.0};  // ms; the last two lie outside
    const auto train = myelin::sim::binary_spike_train(times, 10.0, 1.0);
    CHECK(train == std::vector<std::uint8_t>{1, 0, 1, 0, 0, 0, 0, 0, 0, 1});
    CHECK(myelin::sim::binary_spike_train(times, 10.0, 4.0) == std::vector<std::uint8_t>{1, 0, 1});
}
