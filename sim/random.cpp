// Poisson sampling for the counter-based generator (see random.hpp).
#include "sim/random.hpp"

#include "sim/error.hpp"

namespace myelin::sim {

PoissonSampler::PoissonSampler(double mean) : mean_(mean) {
    MYELIN_ASSERT(mean >= 0.0 && std::isfinite(mean));
    if (mean == 0.0) return;
    if (mean <= table_limit) {
        // P(count > k) = 1 - CDF(k); the word is uniform on [0, 2^32), so count > k exactly
        // when word >= CDF(k) * 2^32.
        double pmf = std::exp(-mean), cdf = pmf;
        for (int k = 0; 1.0 - cdf > 0x1.0p-33 && k < 200; ++k) {
            thresholds_.push_back(static_cast<std::uint32_t>(std::min(cdf * 0x1.0p32, 4294967295.0)));
            pmf *= mean / (k + 1);
            cdf += pmf;
        }
        return;
    }
    sqrt_mean_ = std::sqrt(mean);
    log_mean_ = std::log(mean);
    b_ = 0.931 + 2.53 * sqrt_mean_;
    a_ = -0.059 + 0.02483 * b_;
    inv_alpha_ = 1.1239 + 1.1328 / (b_ - 3.4);
    v_r_ = 0.9277 - 3.6224 / (b_ - 2.0);
}

std::uint32_t PoissonSampler::draw(RandomStream& stream) const noexcept {
    if (uses_table()) return from_word(stream.next_u32());
    // Hormann (1993), "The transformed rejection method for generating Poisson random
    // variables", algorithm PTRS; valid for means >= 10.
    while (true) {
        const double u = stream.uniform() - 0.5;
        const double v = stream.uniform_positive();
        const double us = 0.5 - std::abs(u);
        const double k = std::floor((2.0 * a_ / us + b_) * u + mean_ + 0.43);
        if (us >= 0.07 && v <= v_r_) return static_cast<std::uint32_t>(k);
        if (k < 0.0 || (us < 0.013 && v > us)) continue;
        if (std::log(v) + std::log(inv_alpha_) - std::log(a_ / (us * us) + b_) <=
            -mean_ + k * log_mean_ - std::lgamma(k + 1.0))
            return static_cast<std::uint32_t>(k);
    }
}

}  // namespace myelin::sim
