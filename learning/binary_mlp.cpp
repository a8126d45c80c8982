// The stochastic-binary MLP (binary_mlp.hpp).
#include "learning/binary_mlp.hpp"

#include <cmath>

namespace myelin::learning {
namespace {

constexpr std::uint32_t init_object = 0x8B0, hidden_draw_object = 0x8B1;

Eigen::MatrixXf normal_matrix(int rows, int columns, double sd, const sim::RandomKey& key) {
    Eigen::MatrixXf m(rows, columns);
    for (int r = 0; r < rows; ++r) {
        sim::RandomStream stream(key, static_cast<std::uint32_t>(r), 0);
        for (int c = 0; c < columns; ++c) m(r, c) = static_cast<float>(sd * stream.normal());
    }
    return m;
}

Eigen::MatrixXf logistic(const Eigen::MatrixXf& a) {
    return a.unaryExpr([](float x) { return static_cast<float>(sigmoid(x)); });
}

}  // namespace

StochasticBinaryMlp::StochasticBinaryMlp(int inputs, int hidden, int classes, std::uint64_t seed)
    : w1_(normal_matrix(hidden, inputs, 1.0 / std::sqrt(inputs), sim::RandomKey::make(seed, sim::RandomPurpose::trainer, init_object))),
      w2_(normal_matrix(classes, hidden, 1.0 / std::sqrt(hidden), sim::RandomKey::make(seed, sim::RandomPurpose::trainer, init_object + 1))),
      b1_(Eigen::VectorXf::Zero(hidden)), b2_(Eigen::VectorXf::Zero(classes)), seed_(seed) {
    m_ = {Eigen::MatrixXf::Zero(hidden, inputs), Eigen::MatrixXf::Zero(hidden, 1), Eigen::MatrixXf::Zero(classes, hidden),
          Eigen::MatrixXf::Zero(classes, 1)};
    v_ = m_;
}

Eigen::MatrixXf StochasticBinaryMlp::hidden_units(const Eigen::MatrixXf& probabilities, std::uint32_t draw) const {
    const auto rows = static_cast<std::size_t>(probabilities.rows());
    const sim::RandomKey key = sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, hidden_draw_object);
    std::vector<std::uint32_t> words(4 * ((rows + 3) / 4));
    Eigen::MatrixXf h(probabilities.rows(), probabilities.cols());
    for (Eigen::Index b = 0; b < probabilities.cols(); ++b) {
        // Determinism: the draws of sample `draw + b` depend on nothing else.
        sim::philox_many(key, 0, words.size() / 4, draw + static_cast<std::uint32_t>(b), 0, words.data());
        for (std::size_t j = 0; j < rows; ++j)
            h(static_cast<Eigen::Index>(j), b) =
                (words[j] + 0.5) * 0x1.0p-32 < probabilities(static_cast<Eigen::Index>(j), b) ? 1.0f : 0.0f;
    }
    return h;
}

double StochasticBinaryMlp::train_batch(const Eigen::MatrixXf& x, const std::vector<int>& labels,
                                        SpikeEstimator estimator, double slope, double learning_rate,
                                        std::uint32_t draw) {
    const auto batch = static_cast<float>(x.cols());
    const Eigen::MatrixXf a = (w1_ * x).colwise() + b1_;
    const Eigen::MatrixXf h = hidden_units(logistic(a), draw);
    Eigen::MatrixXf z = (w2_ * h).colwise() + b2_;
    double loss = 0.0;
    for (Eigen::Index b = 0; b < z.cols(); ++b) {  // softmax in place, then minus the one-hot target
        const float top = z.col(b).maxCoeff();
        z.col(b) = (z.col(b).array() - top).exp();
        const float total = z.col(b).sum();
        z.col(b) /= total;
        const auto label = static_cast<Eigen::Index>(labels[static_cast<std::size_t>(b)]);
        loss -= std::log(std::max(z(label, b), 1e-30f));
        z(label, b) -= 1.0f;
    }
    const Eigen::MatrixXf dz = z / batch;
    const Eigen::MatrixXf dh = w2_.transpose() * dz;
    const Eigen::MatrixXf da = dh.cwiseProduct(a.unaryExpr([&](float v) {
        return static_cast<float>(spike_derivative(estimator, v, slope));
    }));
    const std::vector<Eigen::MatrixXf> gradients{da * x.transpose(), da.rowwise().sum(), dz * h.transpose(),
                                                 dz.rowwise().sum()};
    ++steps_;
    constexpr float beta_1 = 0.9f, beta_2 = 0.999f, epsilon = 1e-8f;  // Adam (Kingma & Ba 2015)
    const float correction_1 = 1.0f - std::pow(beta_1, static_cast<float>(steps_));
    const float correction_2 = 1.0f - std::pow(beta_2, static_cast<float>(steps_));
    Eigen::MatrixXf* parameters[] = {&w1_, nullptr, &w2_, nullptr};
    for (std::size_t p = 0; p < 4; ++p) {
        m_[p] = beta_1 * m_[p] + (1.0f - beta_1) * gradients[p];
        v_[p] = beta_2 * v_[p] + (1.0f - beta_2) * gradients[p].cwiseProduct(gradients[p]);
        const Eigen::MatrixXf step = static_cast<float>(learning_rate) * (m_[p] / correction_1).cwiseQuotient(
                                         ((v_[p] / correction_2).cwiseSqrt().array() + epsilon).matrix());
        if (parameters[p]) *parameters[p] -= step;
        else if (p == 1) b1_ -= step.col(0);
        else b2_ -= step.col(0);
    }
    return loss / batch;
}

std::vector<int> StochasticBinaryMlp::predict(const Eigen::MatrixXf& x, bool stochastic, std::uint32_t draw) const {
    const Eigen::MatrixXf p = logistic((w1_ * x).colwise() + b1_);
    const Eigen::MatrixXf z = (w2_ * (stochastic ? hidden_units(p, draw) : p)).colwise() + b2_;
    std::vector<int> out(static_cast<std::size_t>(x.cols()));
    for (Eigen::Index b = 0; b < z.cols(); ++b) {
        Eigen::Index best = 0;
        z.col(b).maxCoeff(&best);
        out[static_cast<std::size_t>(b)] = static_cast<int>(best);
    }
    return out;
}

}  // namespace myelin::learning
