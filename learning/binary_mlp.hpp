// A multilayer perceptron with one layer of stochastic binary hidden units, trained through them
// with a spike-derivative estimator (Bengio, Leonard & Courville 2013; ALGORITHMS.md 8.4 item 3:
// 784-100-10, straight-through, Fashion-MNIST). Batched with Eigen; one thread, so results do not
// depend on the machine's thread count.
#pragma once

#include "learning/spike_estimators.hpp"
#include "sim/random.hpp"

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace myelin::learning {

class StochasticBinaryMlp {
public:
    // Weights normal(0, 1/sqrt(fan-in)) from Philox with `seed`; biases 0.
    StochasticBinaryMlp(int inputs, int hidden, int classes, std::uint64_t seed);

    // One Adam step on a batch: columns of `x` are samples, labels[b] the class of column b.
    // Hidden units h = [z < sigmoid(a)], z from Philox keyed by (seed, draw + b); the backward
    // pass uses dh/da from `estimator`. Returns the mean cross-entropy.
    double train_batch(const Eigen::MatrixXf& x, const std::vector<int>& labels, SpikeEstimator estimator,
                       double slope, double learning_rate, std::uint32_t draw);

    // Predicted classes; stochastic: one draw of the hidden units (keyed by draw + b), else the
    // expected units h = sigmoid(a).
    std::vector<int> predict(const Eigen::MatrixXf& x, bool stochastic, std::uint32_t draw) const;

private:
    Eigen::MatrixXf hidden_units(const Eigen::MatrixXf& probabilities, std::uint32_t draw) const;

    Eigen::MatrixXf w1_, w2_;
    Eigen::VectorXf b1_, b2_;
    std::vector<Eigen::MatrixXf> m_, v_;  // Adam moments of w1, b1, w2, b2 (vectors as one-column matrices)
    std::uint64_t seed_;
    int steps_ = 0;
};

}  // namespace myelin::learning
