// Counter-based random numbers: Philox4x32-10 from Random123. A draw is a pure function of
// (seed, stream, counter), so results never depend on the thread count or on scheduling.
// Keys: seed -> Philox key; stream = purpose (8 bits) | object index (24 bits);
// counter = (a, b, c, stream), with a/b naming the neuron and step (or neuron and draw block).
#pragma once

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace myelin::sim {

// What a stream of random numbers is used for; part of every key, so two uses never share numbers.
enum class RandomPurpose : std::uint32_t {
    connectivity = 1,
    weight = 2,
    delay = 3,
    initial_state = 4,
    spike_source = 5,
    poisson_input = 6,
    neuron_model = 7,
    synthetic_data = 8,  // generated task data (models/synthetic_tasks.hpp), not a network
    trainer = 9,            // a trainer's own draws (initial weights, pattern order), learning/
    synaptic_release = 10,  // per-event transmission of projections with release_probability < 1
    batch_copy = 11,        // the seed of each copy of a batched run (sim/batch.hpp)
};

struct RandomKey {
    std::uint64_t seed = 0;
    std::uint32_t stream = 0;

    static RandomKey make(std::uint64_t seed, RandomPurpose purpose, std::uint32_t object) {
        return {seed, (static_cast<std::uint32_t>(purpose) << 24) | (object & 0xFFFFFFu)};
    }
};

inline std::array<std::uint32_t, 4> philox(const RandomKey& key, std::uint32_t a, std::uint32_t b,
                                           std::uint32_t c) noexcept {
    r123::Philox4x32 generator;
    const r123::Philox4x32::ctr_type counter = {{a, b, c, key.stream}};
    const r123::Philox4x32::key_type k = {{static_cast<std::uint32_t>(key.seed),
                                           static_cast<std::uint32_t>(key.seed >> 32)}};
    const auto r = generator(counter, k);
    return {r[0], r[1], r[2], r[3]};
}

// philox(key, a, b, c) for `count` consecutive a = first, first+1, ..., written as a plain loop
// over counters so the compiler vectorises the rounds; the four words of counter first+i land
// in out[4*i .. 4*i+3]. Equal to philox() bit for bit (tests/sim/test_random.cpp).
inline void philox_many(const RandomKey& key, std::uint32_t first, std::size_t count, std::uint32_t b,
                        std::uint32_t c, std::uint32_t* out) noexcept {
    constexpr std::uint32_t multiplier_0 = 0xD2511F53u, multiplier_1 = 0xCD9E8D57u;  // Salmon et al. 2011
    constexpr std::uint32_t weyl_0 = 0x9E3779B9u, weyl_1 = 0xBB67AE85u;
    const auto key_0 = static_cast<std::uint32_t>(key.seed), key_1 = static_cast<std::uint32_t>(key.seed >> 32);
    for (std::size_t i = 0; i < count; ++i) {
        std::uint32_t x0 = first + static_cast<std::uint32_t>(i), x1 = b, x2 = c, x3 = key.stream;
        std::uint32_t k0 = key_0, k1 = key_1;
        for (int round = 0; round < 10; ++round) {
            const std::uint64_t product_0 = static_cast<std::uint64_t>(multiplier_0) * x0;
            const std::uint64_t product_1 = static_cast<std::uint64_t>(multiplier_1) * x2;
            x0 = static_cast<std::uint32_t>(product_1 >> 32) ^ x1 ^ k0;
            x1 = static_cast<std::uint32_t>(product_1);
            x2 = static_cast<std::uint32_t>(product_0 >> 32) ^ x3 ^ k1;
            x3 = static_cast<std::uint32_t>(product_0);
            k0 += weyl_0;
            k1 += weyl_1;
        }
        out[4 * i] = x0;
        out[4 * i + 1] = x1;
        out[4 * i + 2] = x2;
        out[4 * i + 3] = x3;
    }
}

// [0, 1) with 53 random bits.
inline double unit_interval(std::uint32_t high, std::uint32_t low) noexcept {
    const std::uint64_t bits = (static_cast<std::uint64_t>(high) << 21) ^ (low >> 11);
    return static_cast<double>(bits & ((std::uint64_t{1} << 53) - 1)) * 0x1.0p-53;
}

// A sequence of draws for one (key, a, b): the counter's c advances every four words.
// Used where the number of draws varies (rejection sampling, connectivity).
class RandomStream {
public:
    RandomStream(const RandomKey& key, std::uint32_t a, std::uint32_t b) noexcept
        : key_(key), a_(a), b_(b) {}

    std::uint32_t next_u32() noexcept {
        if (used_ == 4) {
            block_ = philox(key_, a_, b_, c_++);
            used_ = 0;
        }
        return block_[used_++];
    }
    double uniform() noexcept {  // [0, 1)
        const std::uint32_t high = next_u32();
        return unit_interval(high, next_u32());
    }
    double uniform_positive() noexcept { return 1.0 - uniform(); }  // (0, 1], safe for log
    double uniform(double low, double high) noexcept { return low + (high - low) * uniform(); }
    double normal() noexcept {  // Box-Muller; the second value of each pair is kept
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        const double radius = std::sqrt(-2.0 * std::log(uniform_positive()));
        const double angle = 2.0 * M_PI * uniform();
        spare_ = radius * std::sin(angle);
        has_spare_ = true;
        return radius * std::cos(angle);
    }
    // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject).
    std::uint32_t below(std::uint32_t n) noexcept {
        std::uint64_t product = static_cast<std::uint64_t>(next_u32()) * n;
        auto low = static_cast<std::uint32_t>(product);
        if (low < n) {
            const std::uint32_t threshold = (0u - n) % n;
            while (low < threshold) {
                product = static_cast<std::uint64_t>(next_u32()) * n;
                low = static_cast<std::uint32_t>(product);
            }
        }
        return static_cast<std::uint32_t>(product >> 32);
    }

private:
    RandomKey key_;
    std::uint32_t a_, b_, c_ = 0;
    std::array<std::uint32_t, 4> block_{};
    int used_ = 4;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

// Poisson counts with a fixed mean. Small means use a table of the cumulative distribution in
// units of 2^-32, so one 32-bit word gives a count without branches (the table ends where the
// tail is below 2^-33, i.e. finer than the word can resolve). Large means use Hormann's PTRS
// transformed rejection (exact).
class PoissonSampler {
public:
    explicit PoissonSampler(double mean);

    double mean() const { return mean_; }
    bool uses_table() const { return !thresholds_.empty() || mean_ == 0.0; }
    const std::vector<std::uint32_t>& thresholds() const { return thresholds_; }
    // Count for one uniform 32-bit word; only when uses_table().
    std::uint32_t from_word(std::uint32_t word) const noexcept {
        std::uint32_t count = 0;
        for (const std::uint32_t threshold : thresholds_) count += word >= threshold;
        return count;
    }
    std::uint32_t draw(RandomStream& stream) const noexcept;

    static constexpr double table_limit = 10.0;  // largest mean served by the table

private:
    double mean_;
    std::vector<std::uint32_t> thresholds_;  // word >= thresholds_[k] means count > k
    double sqrt_mean_ = 0, log_mean_ = 0, b_ = 0, a_ = 0, inv_alpha_ = 0, v_r_ = 0;
};

}  // namespace myelin::sim
