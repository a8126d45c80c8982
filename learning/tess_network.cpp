// TESS and its BPTT reference on one network (tess_network.hpp; ALGORITHMS.md 4.2-4.4).
#include "learning/tess_network.hpp"

#include "sim/error.hpp"
#include "sim/random.hpp"
#include "sim/suggest.hpp"

#include <cmath>

namespace myelin::learning {

std::string tess_mode_name(TessMode mode) { return mode == TessMode::local ? "local" : "code_faithful"; }

TessMode tess_mode_from_name(const std::string& name) {
    if (name == "local") return TessMode::local;
    if (name == "code_faithful") return TessMode::code_faithful;
    throw ParamError("tess_mode", "tess_mode = \"" + name + "\" is not known" +
                                      sim::did_you_mean(name, {"local", "code_faithful"}) +
                                      "; known: local, code_faithful");
}

TessLayout::TessLayout(const TessShape& s) {
    std::size_t offset = 0, fan_in = s.inputs;
    for (const std::size_t width : s.hidden) {
        weights.push_back(offset);
        offset += width * fan_in;
        fan_in = width;
    }
    head_weights = offset;
    head_bias = head_weights + s.classes * fan_in;
    size = head_bias + s.classes;
}

std::size_t TessLayout::block_size(std::size_t block, const TessShape& shape) const {
    const std::size_t layers = weights.size();
    if (block < layers) return (block + 1 < layers ? weights[block + 1] : head_weights) - weights[block];
    if (block == layers) return head_bias - head_weights;
    return shape.classes;
}

Eigen::MatrixXd tess_projection(std::size_t classes, std::size_t width) {
    Eigen::MatrixXd bm(static_cast<Eigen::Index>(classes), static_cast<Eigen::Index>(width));
    for (std::size_t k = 0; k < classes; ++k) {
        // torch.linspace(50, 512, K): the end points exactly, evenly spaced between.
        const double f = classes == 1 ? 50.0 : 50.0 + (512.0 - 50.0) * static_cast<double>(k) / static_cast<double>(classes - 1);
        for (std::size_t j = 0; j < width; ++j) {
            const double s = std::sin(f * static_cast<double>(j));
            const double sign = s > 0.0 ? 1.0 : (s < 0.0 ? -1.0 : 0.0);
            bm(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) = sign / static_cast<double>(width);
        }
    }
    return bm;
}

template <typename Scalar>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> cross_entropy_gradient(
    const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>& logits, std::span<const std::uint8_t> labels,
    double* loss, std::size_t* correct) {
    Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> gradient(logits.rows(), logits.cols());
    for (Eigen::Index b = 0; b < logits.cols(); ++b) {
        Eigen::Index best = 0;
        const Scalar top = logits.col(b).maxCoeff(&best);
        const Scalar sum = (logits.col(b).array() - top).exp().sum();
        const auto label = static_cast<Eigen::Index>(labels[static_cast<std::size_t>(b)]);
        if (loss) *loss += static_cast<double>(top + std::log(sum) - logits(label, b));
        if (correct) *correct += best == label;
        gradient.col(b) = (logits.col(b).array() - top).exp() / sum;
        gradient(label, b) -= Scalar(1);
    }
    return gradient;
}

template Eigen::MatrixXf cross_entropy_gradient<float>(const Eigen::MatrixXf&, std::span<const std::uint8_t>, double*,
                                                       std::size_t*);
template Eigen::MatrixXd cross_entropy_gradient<double>(const Eigen::MatrixXd&, std::span<const std::uint8_t>, double*,
                                                        std::size_t*);

namespace {

// u = beta u + I; o = H(u - theta) (or the test's smooth spike); psi; u -= theta o.
template <typename Matrix>
void lif_step(const TessNeuron& neuron, const Matrix& current, Matrix& u, Matrix& spikes, Matrix& psi) {
    using Scalar = typename Matrix::Scalar;
    const Scalar beta = static_cast<Scalar>(neuron.beta()), theta = static_cast<Scalar>(neuron.theta());
    spikes.resize(current.rows(), current.cols());
    psi.resize(current.rows(), current.cols());
    for (Eigen::Index b = 0; b < current.cols(); ++b)
        for (Eigen::Index i = 0; i < current.rows(); ++i) {
            Scalar& v = u(i, b);
            v = beta * v + current(i, b);
            tess_spike(neuron, v - theta, spikes(i, b), psi(i, b));
            v -= theta * spikes(i, b);
        }
}

template <typename Matrix>
std::size_t bytes_of(const Matrix& m) {
    return sizeof(typename Matrix::Scalar) * static_cast<std::size_t>(m.size());
}

}  // namespace

template <typename Scalar>
TessNetwork<Scalar>::TessNetwork(const TessShape& shape)
    : shape_(shape), layout_(shape), parameters_(layout_.size, Scalar(0)) {
    for (const std::size_t width : shape_.hidden) projections_.push_back(tess_projection(shape_.classes, width).cast<Scalar>());
}

template <typename Scalar>
void TessNetwork<Scalar>::initialise(std::uint64_t seed) {
    sim::RandomStream random(sim::RandomKey::make(seed, sim::RandomPurpose::trainer, 0), 0, 0);
    const auto uniform_block = [&](std::size_t first, std::size_t count, double fan_in) {
        const double bound = 1.0 / std::sqrt(fan_in);
        for (std::size_t k = 0; k < count; ++k) parameters_[first + k] = static_cast<Scalar>(random.uniform(-bound, bound));
    };
    std::size_t fan_in = shape_.inputs;
    for (std::size_t l = 0; l < shape_.hidden.size(); ++l) {
        uniform_block(layout_.weights[l], shape_.hidden[l] * fan_in, static_cast<double>(fan_in));
        fan_in = shape_.hidden[l];
    }
    uniform_block(layout_.head_weights, shape_.classes * fan_in, static_cast<double>(fan_in));
    uniform_block(layout_.head_bias, shape_.classes, static_cast<double>(fan_in));
}

template <typename Scalar>
std::size_t TessNetwork<Scalar>::hidden_neurons() const {
    std::size_t n = 0;
    for (const std::size_t width : shape_.hidden) n += width;
    return n;
}

template <typename Scalar>
typename TessNetwork<Scalar>::Matrix TessNetwork<Scalar>::weights(std::size_t layer) const {
    const auto rows = static_cast<Eigen::Index>(shape_.hidden[layer]);
    const auto columns = static_cast<Eigen::Index>(layer == 0 ? shape_.inputs : shape_.hidden[layer - 1]);
    return Eigen::Map<const Matrix>(parameters_.data() + layout_.weights[layer], rows, columns);
}

template <typename Scalar>
typename TessNetwork<Scalar>::Matrix TessNetwork<Scalar>::head_weights() const {
    return Eigen::Map<const Matrix>(parameters_.data() + layout_.head_weights, static_cast<Eigen::Index>(shape_.classes),
                                    static_cast<Eigen::Index>(shape_.hidden.back()));
}

template <typename Scalar>
typename TessNetwork<Scalar>::Matrix TessNetwork<Scalar>::head_bias() const {
    return Eigen::Map<const Matrix>(parameters_.data() + layout_.head_bias, static_cast<Eigen::Index>(shape_.classes), 1);
}

namespace {

// Adds the per-layer gradient matrices and the head's into the flat gradient, element by element.
template <typename Scalar, typename Matrix>
void add_gradient(const TessLayout& layout, const std::vector<Matrix>& layers, const Matrix& head_w,
                  const Matrix& head_b, std::span<Scalar> gradient) {
    const auto add = [&](std::size_t offset, const Matrix& block) {
        for (Eigen::Index k = 0; k < block.size(); ++k) gradient[offset + static_cast<std::size_t>(k)] += block.data()[k];
    };
    for (std::size_t l = 0; l < layers.size(); ++l) add(layout.weights[l], layers[l]);
    add(layout.head_weights, head_w);
    add(layout.head_bias, head_b);
}

// Mean head output over the steps -> loss, correct and the stats' share of the batch-mean loss.
template <typename Matrix>
void score(const Matrix& logit_sum, std::size_t steps, std::span<const std::uint8_t> labels, std::size_t batch_size,
           TessBatchStats& stats) {
    const Matrix mean = logit_sum / static_cast<typename Matrix::Scalar>(steps);
    double loss = 0.0;
    cross_entropy_gradient(mean, labels, &loss, &stats.correct);
    stats.loss = loss / static_cast<double>(batch_size);
}

}  // namespace

template <typename Scalar>
TessBatchStats TessNetwork<Scalar>::train_tess(const TessRule& rule, const Input& input,
                                               std::span<const std::uint8_t> labels, std::size_t batch_size,
                                               std::span<Scalar> gradient) const {
    const std::size_t layers = shape_.hidden.size(), steps = shape_.steps;
    const auto samples = static_cast<Eigen::Index>(labels.size());
    MYELIN_ASSERT(layers >= 1 && gradient.size() == layout_.size);
    const long delay = rule.delay_ls < 0 ? static_cast<long>(steps) : rule.delay_ls;
    const Scalar inverse_batch = Scalar(1) / static_cast<Scalar>(batch_size);

    std::vector<Matrix> w(layers), grad(layers);
    std::vector<TessLayerState<Scalar>> state(layers);
    for (std::size_t l = 0; l < layers; ++l) {
        w[l] = weights(l);
        grad[l] = Matrix::Zero(w[l].rows(), w[l].cols());
        state[l].reset(w[l].cols(), w[l].rows(), samples);
    }
    const Matrix head_w = head_weights(), head_b = head_bias();
    Matrix grad_head_w = Matrix::Zero(head_w.rows(), head_w.cols()), grad_head_b = Matrix::Zero(head_b.rows(), 1);
    Matrix logit_sum = Matrix::Zero(head_w.rows(), samples), current, m;
    TessBatchStats stats;

    for (std::size_t t = 0; t < steps; ++t) {
        const long step = static_cast<long>(t);
        bool lsg = false, head = false, backprop = false;
        if (rule.mode == TessMode::local) {
            lsg = head = step >= static_cast<long>(steps) - delay;  // the last delay_ls steps learn
        } else {
            lsg = rule.frames - step > delay;  // utils/train.py: labels reach the blocks
            head = backprop = !lsg;
        }
        const Matrix x0 = input(t);
        const Matrix* x = &x0;
        for (std::size_t l = 0; l < layers; ++l) {
            current.noalias() = w[l] * *x;
            tess_layer_step(shape_.neuron, rule.factors, current, *x, state[l]);
            stats.spike_sum += static_cast<double>(state[l].spikes.sum());
            if (lsg) {  // m = dL_l/do: the layer's own spikes, Bm and the label; its input is detached
                const Matrix& bm = projections_[l];
                m.noalias() = bm.transpose() * (cross_entropy_gradient<Scalar>(bm * state[l].spikes, labels) * inverse_batch);
                tess_accumulate(rule.factors, m, *x, state[l], grad[l]);
            }
            x = &state[l].spikes;
        }
        const Matrix& top = state.back().spikes;
        Matrix y = head_w * top;
        y.colwise() += head_b.col(0);
        logit_sum += y;
        if (head) {  // the head's per-step cross-entropy on the (detached) last hidden layer
            const Matrix dy = cross_entropy_gradient<Scalar>(y, labels) * inverse_batch;
            grad_head_w.noalias() += dy * top.transpose();
            grad_head_b += dy.rowwise().sum();
            if (backprop) {  // code_faithful: grad_input = (m .* psi) W, layer by layer, this step only
                m.noalias() = head_w.transpose() * dy;
                for (std::size_t l = layers; l-- > 0;) {
                    const Matrix& layer_input = l == 0 ? x0 : state[l - 1].spikes;
                    tess_accumulate(rule.factors, m, layer_input, state[l], grad[l]);
                    if (l > 0) m = w[l].transpose() * m.cwiseProduct(state[l].psi);
                }
            }
        }
        if (t == 0) {
            stats.state_bytes = bytes_of(x0) + bytes_of(current) + bytes_of(logit_sum);
            for (const auto& s : state) stats.state_bytes += s.bytes();
        }
    }
    score(logit_sum, steps, labels, batch_size, stats);
    add_gradient(layout_, grad, grad_head_w, grad_head_b, gradient);
    return stats;
}

template <typename Scalar>
TessBatchStats TessNetwork<Scalar>::train_bptt(const Input& input, std::span<const std::uint8_t> labels,
                                               std::size_t batch_size, std::span<Scalar> gradient) const {
    const std::size_t layers = shape_.hidden.size(), steps = shape_.steps;
    const auto samples = static_cast<Eigen::Index>(labels.size());
    MYELIN_ASSERT(layers >= 1 && gradient.size() == layout_.size);
    std::vector<Matrix> w(layers), u(layers);
    for (std::size_t l = 0; l < layers; ++l) {
        w[l] = weights(l);
        u[l] = Matrix::Zero(w[l].rows(), samples);
    }
    const Matrix head_w = head_weights(), head_b = head_bias();
    // The tape: every step's input, and every layer's spikes and psi at every step.
    std::vector<Matrix> inputs(steps);
    std::vector<std::vector<Matrix>> spikes(layers, std::vector<Matrix>(steps)), psi(layers, std::vector<Matrix>(steps));
    Matrix logit_sum = Matrix::Zero(head_w.rows(), samples), spike_sum_top = Matrix::Zero(head_w.cols(), samples);
    TessBatchStats stats;
    for (std::size_t t = 0; t < steps; ++t) {
        inputs[t] = input(t);
        const Matrix* x = &inputs[t];
        for (std::size_t l = 0; l < layers; ++l) {
            const Matrix current = w[l] * *x;
            lif_step(shape_.neuron, current, u[l], spikes[l][t], psi[l][t]);
            stats.spike_sum += static_cast<double>(spikes[l][t].sum());
            x = &spikes[l][t];
        }
        Matrix y = head_w * *x;
        y.colwise() += head_b.col(0);
        logit_sum += y;
        spike_sum_top += *x;
    }
    stats.state_bytes = 0;
    for (std::size_t t = 0; t < steps; ++t) {
        stats.state_bytes += bytes_of(inputs[t]);
        for (std::size_t l = 0; l < layers; ++l) stats.state_bytes += bytes_of(spikes[l][t]) + bytes_of(psi[l][t]);
    }
    for (const Matrix& state : u) stats.state_bytes += bytes_of(state);

    const Scalar scale = Scalar(1) / static_cast<Scalar>(batch_size);
    const Matrix mean = logit_sum / static_cast<Scalar>(steps);
    double loss = 0.0;
    const Matrix d_mean = cross_entropy_gradient<Scalar>(mean, labels, &loss, &stats.correct) * scale;
    stats.loss = loss / static_cast<double>(batch_size);
    // y[t] enters the mean with weight 1/T: dL/dy[t] = d_mean / T at every step.
    const Matrix dy = d_mean / static_cast<Scalar>(steps);
    const Matrix grad_head_w = dy * spike_sum_top.transpose();
    const Matrix grad_head_b = d_mean.rowwise().sum();
    std::vector<Matrix> grad(layers);
    std::vector<Matrix> go(steps, head_w.transpose() * dy);  // dL/do_L[t] from the head
    const Scalar beta = static_cast<Scalar>(shape_.neuron.beta()), theta = static_cast<Scalar>(shape_.neuron.theta());
    for (std::size_t l = layers; l-- > 0;) {
        grad[l] = Matrix::Zero(w[l].rows(), w[l].cols());
        Matrix gu_after = Matrix::Zero(w[l].rows(), samples), gu(w[l].rows(), samples);  // dL/du after the reset
        for (std::size_t t = steps; t-- > 0;) {
            const Matrix& p = psi[l][t];
            // u_after = u - theta o(u), not detached: du_after/du = 1 - theta psi.
            gu = go[t].cwiseProduct(p) + gu_after.cwiseProduct((Scalar(1) - theta * p.array()).matrix());
            const Matrix& layer_input = l == 0 ? inputs[t] : spikes[l - 1][t];
            grad[l].noalias() += gu * layer_input.transpose();
            if (l > 0) go[t] = w[l].transpose() * gu;
            gu_after = beta * gu;  // u[t] = beta u_after[t-1] + W x[t]
        }
    }
    add_gradient(layout_, grad, grad_head_w, grad_head_b, gradient);
    return stats;
}

template <typename Scalar>
TessBatchStats TessNetwork<Scalar>::evaluate(const Input& input, std::span<const std::uint8_t> labels,
                                             std::size_t batch_size, Matrix* mean_logits) const {
    const std::size_t layers = shape_.hidden.size();
    const auto samples = static_cast<Eigen::Index>(labels.size());
    std::vector<Matrix> w(layers), u(layers), spikes(layers);
    for (std::size_t l = 0; l < layers; ++l) {
        w[l] = weights(l);
        u[l] = Matrix::Zero(w[l].rows(), samples);
    }
    const Matrix head_w = head_weights(), head_b = head_bias();
    Matrix logit_sum = Matrix::Zero(head_w.rows(), samples), psi;
    TessBatchStats stats;
    for (std::size_t t = 0; t < shape_.steps; ++t) {
        const Matrix x0 = input(t);
        const Matrix* x = &x0;
        for (std::size_t l = 0; l < layers; ++l) {
            const Matrix current = w[l] * *x;
            lif_step(shape_.neuron, current, u[l], spikes[l], psi);
            stats.spike_sum += static_cast<double>(spikes[l].sum());
            x = &spikes[l];
        }
        Matrix y = head_w * *x;
        y.colwise() += head_b.col(0);
        logit_sum += y;
    }
    score(logit_sum, shape_.steps, labels, batch_size, stats);
    if (mean_logits) *mean_logits = logit_sum / static_cast<Scalar>(shape_.steps);
    return stats;
}

template class TessNetwork<float>;
template class TessNetwork<double>;

}  // namespace myelin::learning
