// The per-epoch shuffle of the gradient trainers (minibatch.hpp).
#include "learning/minibatch.hpp"

#include <numeric>

namespace myelin::learning {

std::vector<std::uint32_t> shuffled_order(std::size_t n, const sim::RandomKey& key, std::uint32_t epoch) {
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    sim::RandomStream random(key, epoch, 0);
    for (std::size_t i = n; i > 1; --i)
        std::swap(order[i - 1], order[static_cast<std::size_t>(random.uniform() * static_cast<double>(i))]);
    return order;
}

}  // namespace myelin::learning
