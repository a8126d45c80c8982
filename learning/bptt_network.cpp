// Forward pass and backpropagation through time of BpttNetwork (bptt_network.hpp). Equations:
// ALGORITHMS.md 5.3; every derivative is the exact derivative of the forward pass, except the
// LIF baseline's spike, whose step function is differentiated through its surrogate.
#include "learning/bptt_network.hpp"

#include "sim/error.hpp"
#include "sim/random.hpp"
#include "sim/suggest.hpp"

#include <algorithm>
#include <cmath>

namespace myelin::learning {

std::string bptt_neuron_name(BpttNeuron neuron) {
    switch (neuron) {
        case BpttNeuron::ultra_lif: return "UltraLIF";
        case BpttNeuron::ultra_plif: return "UltraPLIF";
        case BpttNeuron::ultra_dlif: return "UltraDLIF";
        case BpttNeuron::lif: return "LIF";
    }
    return "?";
}

std::vector<std::string> bptt_neuron_names() { return {"UltraLIF", "UltraPLIF", "UltraDLIF", "LIF"}; }

BpttNeuron bptt_neuron_from_name(const std::string& name) {
    for (const BpttNeuron n : {BpttNeuron::ultra_lif, BpttNeuron::ultra_plif, BpttNeuron::ultra_dlif, BpttNeuron::lif})
        if (bptt_neuron_name(n) == name) return n;
    throw ParamError("neuron", "neuron = \"" + name + "\" is not a trainable neuron" +
                                   sim::did_you_mean(name, bptt_neuron_names()) + "; known: " +
                                   sim::join(bptt_neuron_names()));
}

BpttLayout::BpttLayout(const BpttShape& s) {
    w1 = 0;
    b1 = w1 + s.hidden * s.inputs;
    w2 = b1 + s.hidden;
    b2 = w2 + s.classes * s.hidden;
    log_eps = b2 + s.classes;
    log_tau = log_eps + 1;
    size = log_tau + s.hidden;
}

namespace {

// sigmoid(x) and 1 - sigmoid(x), each from exp of a non-positive argument: no overflow, and
// 1 - s keeps its relative precision when s is near 1 (the reset multiplies by it).
template <typename Scalar>
void sigmoid_pair(Scalar x, Scalar& s, Scalar& one_minus_s) {
    const Scalar e = std::exp(-std::fabs(x));
    const Scalar r = Scalar(1) / (Scalar(1) + e);
    s = x >= 0 ? r : e * r;
    one_minus_s = x >= 0 ? e * r : r;
}

template <typename Scalar>
Scalar sigmoid(Scalar x) {
    Scalar s, rest;
    sigmoid_pair(x, s, rest);
    return s;
}

// lse_eps(a, b) in the stable form max + eps*log(1 + exp(-|a - b|/eps)) (ALGORITHMS.md 5.2).
template <typename Scalar>
Scalar lse2(Scalar a, Scalar b, Scalar eps) {
    return std::max(a, b) + eps * std::log1p(std::exp(-std::fabs(a - b) / eps));
}

template <typename Scalar>
Scalar lse3(Scalar a, Scalar b, Scalar c, Scalar eps) {
    const Scalar m = std::max(a, std::max(b, c));
    return m + eps * std::log(std::exp((a - m) / eps) + std::exp((b - m) / eps) + std::exp((c - m) / eps));
}

bool is_ultra(BpttNeuron n) { return n != BpttNeuron::lif; }

}  // namespace

template <typename Scalar>
struct BpttNetwork<Scalar>::Tape {
    std::vector<Matrix> v_before, u, s, current;  // per step: V at the start, V before reset, spike, I
};

template <typename Scalar>
BpttNetwork<Scalar>::BpttNetwork(const BpttShape& shape)
    : shape_(shape), layout_(shape), parameters_(layout_.size, Scalar(0)) {}

template <typename Scalar>
void BpttNetwork<Scalar>::initialise(std::uint64_t seed) {
    sim::RandomStream random(sim::RandomKey::make(seed, sim::RandomPurpose::trainer, 0), 0, 0);
    const auto uniform_block = [&](std::size_t first, std::size_t count, double fan_in) {
        const double bound = 1.0 / std::sqrt(fan_in);
        for (std::size_t k = 0; k < count; ++k) parameters_[first + k] = static_cast<Scalar>(random.uniform(-bound, bound));
    };
    const double inputs = static_cast<double>(shape_.inputs), hidden = static_cast<double>(shape_.hidden);
    uniform_block(layout_.w1, shape_.hidden * shape_.inputs, inputs);
    uniform_block(layout_.b1, shape_.hidden, inputs);
    uniform_block(layout_.w2, shape_.classes * shape_.hidden, hidden);
    uniform_block(layout_.b2, shape_.classes, hidden);
    parameters_[layout_.log_eps] = static_cast<Scalar>(std::log(shape_.eps));
    for (std::size_t i = 0; i < shape_.hidden; ++i) parameters_[layout_.log_tau + i] = static_cast<Scalar>(std::log(shape_.tau));
}

template <typename Scalar>
Scalar BpttNetwork<Scalar>::eps() const {
    if (!shape_.learn_eps) return static_cast<Scalar>(shape_.eps);
    return std::clamp(std::exp(parameters_[layout_.log_eps]), Scalar(bptt_eps_min), Scalar(bptt_eps_max));
}

template <typename Scalar>
Scalar BpttNetwork<Scalar>::log_tau(std::size_t i) const {
    if (shape_.neuron != BpttNeuron::ultra_plif) return static_cast<Scalar>(std::log(shape_.tau));
    return std::clamp(parameters_[layout_.log_tau + i], Scalar(bptt_log_tau_min), Scalar(bptt_log_tau_max));
}

// One step of the layer for every neuron and sample: `v` holds V at the start of the step and
// is replaced by V after the reset; u = V before the reset, s = the spike.
template <typename Scalar>
void BpttNetwork<Scalar>::neuron_forward(const Matrix& current, Matrix& v, Matrix& u, Matrix& s, Scalar eps) const {
    const Eigen::Index hidden = current.rows(), samples = current.cols();
    const Scalar theta = static_cast<Scalar>(shape_.v_thresh), tau = static_cast<Scalar>(shape_.tau);
    const Scalar slope = static_cast<Scalar>(shape_.surrogate_slope);
    u.resize(hidden, samples);
    s.resize(hidden, samples);
    std::vector<Scalar> log_taus(static_cast<std::size_t>(hidden));
    for (Eigen::Index i = 0; i < hidden; ++i) log_taus[i] = log_tau(static_cast<std::size_t>(i));
    for (Eigen::Index b = 0; b < samples; ++b)
        for (Eigen::Index i = 0; i < hidden; ++i) {
            const Scalar in = current(i, b);
            Scalar before = 0;
            switch (shape_.neuron) {
                case BpttNeuron::ultra_lif:
                case BpttNeuron::ultra_plif: before = lse2(v(i, b) + log_taus[i], in, eps); break;
                case BpttNeuron::ultra_dlif: {
                    // Determinism and the paper's torch.roll: neighbours read V from the start of the step.
                    const Eigen::Index left = i == 0 ? hidden - 1 : i - 1, right = i + 1 == hidden ? 0 : i + 1;
                    before = lse3(v(left, b), v(i, b), v(right, b), eps) + in;
                    break;
                }
                case BpttNeuron::lif: before = tau * v(i, b) + in; break;
            }
            u(i, b) = before;
        }
    for (Eigen::Index b = 0; b < samples; ++b)
        for (Eigen::Index i = 0; i < hidden; ++i) {
            Scalar spike, keep;
            if (is_ultra(shape_.neuron)) {
                sigmoid_pair((u(i, b) - theta) / eps, spike, keep);
            } else if (shape_.smooth_lif_for_testing) {
                const Scalar x = u(i, b) - theta;
                spike = Scalar(0.5) + x / (Scalar(1) + slope * std::fabs(x));
                keep = Scalar(1) - spike;
            } else {
                spike = u(i, b) >= theta ? Scalar(1) : Scalar(0);
                keep = Scalar(1) - spike;
            }
            s(i, b) = spike;
            v(i, b) = u(i, b) * keep;  // soft multiplicative reset, not detached (ALGORITHMS.md 5.3)
        }
}

template <typename Scalar>
void BpttNetwork<Scalar>::hidden_trace(const std::vector<Matrix>& currents, std::vector<Matrix>& v,
                                       std::vector<Matrix>& s) const {
    v.assign(currents.size(), Matrix());
    s.assign(currents.size(), Matrix());
    Matrix state = Matrix::Zero(currents.at(0).rows(), currents.at(0).cols()), u;
    for (std::size_t t = 0; t < currents.size(); ++t) {
        neuron_forward(currents[t], state, u, s[t], eps());
        v[t] = state;
    }
}

template <typename Scalar>
BpttBatchStats BpttNetwork<Scalar>::run(const std::vector<Matrix>& inputs, std::span<const std::uint8_t> labels,
                                        std::size_t batch_size, std::span<Scalar> gradient, Matrix* logits_out) const {
    using Map = Eigen::Map<const Matrix>;
    using VectorMap = Eigen::Map<const Vector>;
    const auto hidden = static_cast<Eigen::Index>(shape_.hidden), classes = static_cast<Eigen::Index>(shape_.classes);
    const auto inputs_n = static_cast<Eigen::Index>(shape_.inputs);
    const std::size_t steps = inputs.size();
    MYELIN_ASSERT(steps == shape_.steps && steps > 0);
    const Eigen::Index samples = inputs[0].cols();
    MYELIN_ASSERT(static_cast<std::size_t>(samples) == labels.size());
    // Determinism: Eigen's vectorised reductions (small products included) peel elements up to
    // the first aligned address, so working on the parameter vector in place would make the
    // rounding depend on where the heap put it. Aligned copies (and local gradient matrices,
    // added to `gradient` element by element at the end) make every run round the same way.
    const Scalar* p = parameters_.data();
    const Matrix w1 = Map(p + layout_.w1, hidden, inputs_n), w2 = Map(p + layout_.w2, classes, hidden);
    const Vector b1 = VectorMap(p + layout_.b1, hidden), b2 = VectorMap(p + layout_.b2, classes);
    const Scalar eps = this->eps();
    const bool learn = !gradient.empty();

    Tape tape;
    Matrix v = Matrix::Zero(hidden, samples), mean_spike = Matrix::Zero(hidden, samples), u, s;
    for (std::size_t t = 0; t < steps; ++t) {
        Matrix current = w1 * inputs[t];
        current.colwise() += b1;
        if (learn) tape.v_before.push_back(v);
        neuron_forward(current, v, u, s, eps);
        mean_spike += s;
        if (learn) {
            tape.u.push_back(u);
            tape.s.push_back(s);
            tape.current.push_back(std::move(current));
        }
    }
    BpttBatchStats stats;
    stats.spike_sum = static_cast<double>(mean_spike.sum());
    mean_spike /= static_cast<Scalar>(steps);
    Matrix logits = w2 * mean_spike;
    logits.colwise() += b2;

    // Cross-entropy on the logits, through log-sum-exp; its gradient is softmax - one-hot.
    const double batch = static_cast<double>(batch_size);
    Matrix logit_gradient(classes, samples);
    double cross_entropy = 0.0;
    for (Eigen::Index b = 0; b < samples; ++b) {
        Eigen::Index best = 0;
        const Scalar top = logits.col(b).maxCoeff(&best);
        const Scalar sum = (logits.col(b).array() - top).exp().sum();
        const std::size_t label = labels[static_cast<std::size_t>(b)];
        cross_entropy += static_cast<double>(top + std::log(sum) - logits(static_cast<Eigen::Index>(label), b));
        stats.correct += static_cast<std::size_t>(best) == label;
        logit_gradient.col(b) = (logits.col(b).array() - top).exp() / sum;
        logit_gradient(static_cast<Eigen::Index>(label), b) -= Scalar(1);
    }
    const double spike_count = static_cast<double>(shape_.hidden * steps) * batch;
    stats.loss = cross_entropy / batch + shape_.sparsity * stats.spike_sum / spike_count;
    if (logits_out) *logits_out = logits;
    if (!learn) return stats;

    MYELIN_ASSERT(gradient.size() == layout_.size);
    Scalar* g = gradient.data();
    Matrix gw1 = Matrix::Zero(hidden, inputs_n);
    Vector gb1 = Vector::Zero(hidden);
    logit_gradient /= static_cast<Scalar>(batch);
    const Matrix gw2 = logit_gradient * mean_spike.transpose();
    const Vector gb2 = logit_gradient.rowwise().sum();
    // dL/ds[t] from the readout (the mean over T) and the sparsity term, the same for every t.
    Matrix spike_gradient = (w2.transpose() * logit_gradient) / static_cast<Scalar>(steps);
    spike_gradient.array() += static_cast<Scalar>(shape_.sparsity / spike_count);

    const Scalar theta = static_cast<Scalar>(shape_.v_thresh), tau = static_cast<Scalar>(shape_.tau);
    const Scalar slope = static_cast<Scalar>(shape_.surrogate_slope);
    std::vector<Scalar> log_taus(shape_.hidden);
    for (std::size_t i = 0; i < shape_.hidden; ++i) log_taus[i] = log_tau(i);
    double eps_gradient = 0.0;
    std::vector<double> log_tau_gradient(shape_.hidden, 0.0);
    Matrix v_gradient = Matrix::Zero(hidden, samples);  // dL/dV[t] (after the reset)
    Matrix v_before_gradient(hidden, samples), current_gradient(hidden, samples);
    for (std::size_t t = steps; t-- > 0;) {
        const Matrix &v_before = tape.v_before[t], &before = tape.u[t], &spike = tape.s[t], &current = tape.current[t];
        v_before_gradient.setZero();
        for (Eigen::Index b = 0; b < samples; ++b)
            for (Eigen::Index i = 0; i < hidden; ++i) {
                const Scalar ub = before(i, b), sp = spike(i, b), gv = v_gradient(i, b);
                // V = u*(1 - s): both factors carry gradient.
                const Scalar gs = spike_gradient(i, b) - gv * ub;
                Scalar gu = gv * (Scalar(1) - sp);
                if (is_ultra(shape_.neuron)) {
                    const Scalar x = (ub - theta) / eps, slope_s = sp * (Scalar(1) - sp) / eps;  // ds/du
                    gu += gs * slope_s;
                    eps_gradient += static_cast<double>(gs * slope_s * -x);  // ds/deps = -s(1-s)(u-theta)/eps^2
                } else {
                    const Scalar k = Scalar(1) + slope * std::fabs(ub - theta);
                    gu += gs / (k * k);  // fast-sigmoid surrogate (exact for the smooth test forward)
                }
                Scalar gi = gu;
                switch (shape_.neuron) {
                    case BpttNeuron::ultra_lif:
                    case BpttNeuron::ultra_plif: {
                        const Scalar a = v_before(i, b) + log_taus[i], in = current(i, b);
                        Scalar wa, wi;  // softmax weights of the two arguments
                        sigmoid_pair((a - in) / eps, wa, wi);
                        gi = gu * wi;
                        v_before_gradient(i, b) = gu * wa;
                        eps_gradient += static_cast<double>(gu * (ub - wa * a - wi * in) / eps);
                        log_tau_gradient[static_cast<std::size_t>(i)] += static_cast<double>(gu * wa);
                        break;
                    }
                    case BpttNeuron::ultra_dlif: {
                        const Eigen::Index left = i == 0 ? hidden - 1 : i - 1, right = i + 1 == hidden ? 0 : i + 1;
                        const Scalar lse = ub - current(i, b);
                        const Scalar al = v_before(left, b), am = v_before(i, b), ar = v_before(right, b);
                        const Scalar wl = std::exp((al - lse) / eps), wm = std::exp((am - lse) / eps),
                                     wr = std::exp((ar - lse) / eps);
                        v_before_gradient(left, b) += gu * wl;
                        v_before_gradient(i, b) += gu * wm;
                        v_before_gradient(right, b) += gu * wr;
                        eps_gradient += static_cast<double>(gu * (lse - wl * al - wm * am - wr * ar) / eps);
                        break;
                    }
                    case BpttNeuron::lif: v_before_gradient(i, b) = tau * gu; break;
                }
                current_gradient(i, b) = gi;
            }
        gw1.noalias() += current_gradient * inputs[t].transpose();
        gb1 += current_gradient.rowwise().sum();
        v_gradient.swap(v_before_gradient);
    }
    const auto add = [g](std::size_t offset, const Scalar* block, Eigen::Index count) {
        for (Eigen::Index k = 0; k < count; ++k) g[offset + static_cast<std::size_t>(k)] += block[k];
    };
    add(layout_.w1, gw1.data(), gw1.size());
    add(layout_.b1, gb1.data(), gb1.size());
    add(layout_.w2, gw2.data(), gw2.size());
    add(layout_.b2, gb2.data(), gb2.size());
    if (is_ultra(shape_.neuron) && shape_.learn_eps) {
        const Scalar raw = std::exp(parameters_[layout_.log_eps]);
        if (raw > Scalar(bptt_eps_min) && raw < Scalar(bptt_eps_max))  // the clamp passes no gradient
            g[layout_.log_eps] += static_cast<Scalar>(eps_gradient * static_cast<double>(raw));
    }
    if (shape_.neuron == BpttNeuron::ultra_plif)
        for (std::size_t i = 0; i < shape_.hidden; ++i) {
            const Scalar raw = parameters_[layout_.log_tau + i];
            if (raw > Scalar(bptt_log_tau_min) && raw < Scalar(bptt_log_tau_max))
                g[layout_.log_tau + i] += static_cast<Scalar>(log_tau_gradient[i]);
        }
    return stats;
}

template class BpttNetwork<float>;
template class BpttNetwork<double>;

}  // namespace myelin::learning
