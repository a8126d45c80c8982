// Adam (Kingma & Ba 2015) with PyTorch's defaults (betas 0.9/0.999, epsilon 1e-8) in float, the
// optimiser of the gradient trainers (BPTT, TESS: one per parameter block or layer).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace myelin::learning {

class Adam {
public:
    explicit Adam(std::size_t parameters = 0) : m_(parameters, 0.0f), v_(parameters, 0.0f) {}

    // p -= lr * m_hat / (sqrt(v_hat) + epsilon), with the bias corrections of step steps()+1.
    void step(std::span<float> parameters, std::span<const float> gradient, double learning_rate);

    std::size_t steps() const { return steps_; }

private:
    std::vector<float> m_, v_;
    std::size_t steps_ = 0;
};

}  // namespace myelin::learning
