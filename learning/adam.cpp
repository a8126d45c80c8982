// Adam in float (adam.hpp).
#include "learning/adam.hpp"

#include "sim/error.hpp"

#include <cmath>

namespace myelin::learning {

void Adam::step(std::span<float> p, std::span<const float> gradient, double learning_rate) {
    MYELIN_ASSERT(p.size() == m_.size() && gradient.size() == m_.size());
    constexpr double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    ++steps_;
    const double step = static_cast<double>(steps_);
    const double correction1 = 1.0 - std::pow(beta1, step), correction2 = 1.0 - std::pow(beta2, step);
    const float rate = static_cast<float>(learning_rate / correction1);
    const float root2 = static_cast<float>(std::sqrt(correction2));
    for (std::size_t k = 0; k < p.size(); ++k) {
        m_[k] = static_cast<float>(beta1) * m_[k] + static_cast<float>(1.0 - beta1) * gradient[k];
        v_[k] = static_cast<float>(beta2) * v_[k] + static_cast<float>(1.0 - beta2) * gradient[k] * gradient[k];
        p[k] -= rate * m_[k] / (std::sqrt(v_[k]) / root2 + static_cast<float>(epsilon));
    }
}

}  // namespace myelin::learning
