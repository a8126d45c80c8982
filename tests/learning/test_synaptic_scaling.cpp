// Synaptic scaling (ALGORITHMS.md 3.5, 3.9): after scaling every neuron's input weights sum to the
// target to 1e-6 relative, and the ratios between a neuron's weights are kept.
#include "learning/synaptic_scaling.hpp"
#include "sim/random.hpp"

#include <catch2/catch.hpp>

using namespace myelin::learning;

TEST_CASE("after synaptic scaling every column sums to S_E = 78.4 to 1e-6 relative", "[learning][sym_stdp][scaling]") {
    const std::size_t n_pre = 784, n_post = 50;
    std::vector<float> w(n_pre * n_post);
    const auto key = myelin::sim::RandomKey::make(7, myelin::sim::RandomPurpose::weight, 0);
    for (std::size_t k = 0; k < w.size(); ++k) {
        const auto r = myelin::sim::philox(key, static_cast<std::uint32_t>(k), 0, 0);
        w[k] = static_cast<float>(myelin::sim::unit_interval(r[0], r[1]) * 0.3);
    }
    const std::vector<float> before = w;
    std::vector<double> sums;
    scale_columns_to_sum(w, n_pre, n_post, 78.4, sums);
    for (std::size_t i = 0; i < n_post; ++i) {
        double sum = 0.0;
        for (std::size_t j = 0; j < n_pre; ++j) sum += w[j * n_post + i];
        CAPTURE(i);
        CHECK(sum == Approx(78.4).epsilon(1e-6));
        // One common factor per column: the ratio of any two weights is kept (float rounding: 1e-6).
        const double factor = w[i] / static_cast<double>(before[i]);
        for (std::size_t j = 1; j < n_pre; j += 97)
            CHECK(w[j * n_post + i] == Approx(before[j * n_post + i] * factor).epsilon(1e-6));
    }
}

TEST_CASE("synaptic scaling leaves a column of zeros as it is", "[learning][sym_stdp][scaling]") {
    std::vector<float> w{0.f, 1.f, 0.f, 3.f};   // 2 pre x 2 post: column 0 is all zero
    std::vector<double> sums;
    scale_columns_to_sum(w, 2, 2, 2.0, sums);
    CHECK(w[0] == 0.f);
    CHECK(w[2] == 0.f);
    CHECK(w[1] == Approx(0.5));
    CHECK(w[3] == Approx(1.5));
}
