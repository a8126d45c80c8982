// The counter-based generator and the Poisson sampler: reproducibility and moments.
#include "sim/random.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace myelin::sim;

TEST_CASE("philox draws are a pure function of key and counter", "[sim][random]") {
    const auto key = RandomKey::make(7, RandomPurpose::connectivity, 3);
    CHECK(philox(key, 1, 2, 3) == philox(key, 1, 2, 3));
    CHECK(philox(key, 1, 2, 3) != philox(key, 1, 2, 4));
    CHECK(philox(key, 1, 2, 3) != philox(RandomKey::make(8, RandomPurpose::connectivity, 3), 1, 2, 3));
    CHECK(philox(key, 1, 2, 3) != philox(RandomKey::make(7, RandomPurpose::weight, 3), 1, 2, 3));
}

TEST_CASE("the vectorised Philox equals Random123's, counter by counter", "[sim][random]") {
    const auto key = RandomKey::make(0x123456789abcdefull, RandomPurpose::poisson_input, 77);
    std::vector<std::uint32_t> words(4 * 1000);
    philox_many(key, 4000000000u, 1000, 31, 5, words.data());
    for (std::uint32_t i = 0; i < 1000; ++i) {
        const auto expected = philox(key, 4000000000u + i, 31, 5);
        CHECK(std::equal(expected.begin(), expected.end(), words.begin() + 4 * i));
    }
}

TEST_CASE("Poisson counts have the right mean and variance, by table and by PTRS", "[sim][random]") {
    for (const double mean : {0.002, 0.5, 2.0, 9.5, 12.0, 150.0}) {
        CAPTURE(mean);
        const PoissonSampler sampler(mean);
        CHECK(sampler.uses_table() == (mean <= PoissonSampler::table_limit));
        const int n = 200000;
        double sum = 0.0, sum_sq = 0.0;
        for (int i = 0; i < n; ++i) {
            RandomStream stream(RandomKey::make(1, RandomPurpose::poisson_input, 0), static_cast<std::uint32_t>(i), 0);
            const double k = sampler.draw(stream);
            sum += k;
            sum_sq += k * k;
        }
        const double m = sum / n, var = sum_sq / n - m * m;
        // Five standard errors: sd of the mean is sqrt(mean/n); of the variance about
        // mean*sqrt(2/n) for large means (plus the fourth-cumulant term mean/n).
        CHECK(std::abs(m - mean) < 5.0 * std::sqrt(mean / n));
        CHECK(std::abs(var - mean) < 5.0 * std::sqrt((2.0 * mean * mean + mean) / n));
    }
}

TEST_CASE("bounded integers are uniform", "[sim][random]") {
    RandomStream stream(RandomKey::make(3, RandomPurpose::connectivity, 0), 0, 0);
    std::vector<int> counts(7, 0);
    const int n = 70000;
    for (int i = 0; i < n; ++i) ++counts[stream.below(7)];
    for (const int c : counts) CHECK(std::abs(c - n / 7) < 5.0 * std::sqrt(n / 7.0));
}
