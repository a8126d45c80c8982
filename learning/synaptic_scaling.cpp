// Synaptic scaling (synaptic_scaling.hpp).
#include "learning/synaptic_scaling.hpp"

#include "sim/error.hpp"

namespace myelin::learning {

void scale_columns_to_sum(std::span<float> w, std::size_t n_pre, std::size_t n_post, double target,
                          std::vector<double>& sums) {
    MYELIN_ASSERT(w.size() == n_pre * n_post);
    sums.assign(n_post, 0.0);
    // Row by row, so both passes stream the matrix in memory order.
    for (std::size_t j = 0; j < n_pre; ++j) {
        const float* row = w.data() + j * n_post;
        for (std::size_t i = 0; i < n_post; ++i) sums[i] += row[i];
    }
    std::vector<float> factor(n_post, 1.0f);
    for (std::size_t i = 0; i < n_post; ++i)
        if (sums[i] > 0.0) factor[i] = static_cast<float>(target / sums[i]);
    for (std::size_t j = 0; j < n_pre; ++j) {
        float* row = w.data() + j * n_post;
        for (std::size_t i = 0; i < n_post; ++i) row[i] *= factor[i];
    }
}

}  // namespace myelin::learning
