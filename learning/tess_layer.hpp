// One TESS layer (Apolinario, Roy, Frenkel 2025; ALGORITHMS.md 4.2-4.3): a discrete-time LIF with
// soft reset, the linear-layer surrogate, its eligibility traces, and the local weight update
// that gates the traces with a learning signal. Pure functions on a part's state, so a test can
// drive one layer by hand.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace myelin::learning {

// The neuron of every hidden layer (ALGORITHMS.md 4.2, linear-layer defaults).
struct TessNeuron {
    double leak = 2.0;       // beta = sigmoid(leak): 0.881
    double threshold = 0.6;  // theta = max(threshold, 0.5)
    // For gradient checks only: the forward spike is the surrogate's antiderivative
    // 1/2 + v/(1 + 100|v|), so finite differences see the derivative psi that TESS and BPTT use.
    bool smooth_for_testing = false;

    double beta() const { return 1.0 / (1.0 + std::exp(-leak)); }
    double theta() const { return std::max(threshold, 0.5); }
};

// factors = [lambda_post, lambda_pre, alpha_post, alpha_pre] (ALGORITHMS.md 4.3).
struct TessFactors {
    double lambda_post = 0.2, lambda_pre = 0.5, alpha_post = 1.0, alpha_pre = 1.0;
};

// A layer's state for one part of samples (one column per sample). O(n_in + n_out) per sample:
// nothing here grows with the number of steps.
template <typename Scalar>
struct TessLayerState {
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    Matrix u;                   // membrane after the reset (n_out x samples)
    Matrix trace_pre;           // tr_x[t] = lambda_pre tr_x[t-1] + x[t] (n_in x samples)
    Matrix trace_post;          // tr_psi[t] = lambda_post tr_psi[t-1] + psi[t] (n_out x samples)
    Matrix trace_post_before;   // tr_psi[t-1], the value the non-causal term uses
    Matrix spikes, psi;         // o[t] and psi[t] of the last step

    void reset(Eigen::Index inputs, Eigen::Index outputs, Eigen::Index samples) {
        u = Matrix::Zero(outputs, samples);
        trace_pre = Matrix::Zero(inputs, samples);
        trace_post = Matrix::Zero(outputs, samples);
        trace_post_before = Matrix::Zero(outputs, samples);
        spikes = Matrix::Zero(outputs, samples);
        psi = Matrix::Zero(outputs, samples);
    }
    std::size_t bytes() const {
        return sizeof(Scalar) * static_cast<std::size_t>(u.size() + trace_pre.size() + trace_post.size() +
                                                         trace_post_before.size() + spikes.size() + psi.size());
    }
};

// psi(v) = 1/(100|v| + 1)^2 at v = u - theta (the linear-layer surrogate), and the spike.
template <typename Scalar>
inline void tess_spike(const TessNeuron& neuron, Scalar v, Scalar& spike, Scalar& psi) {
    const Scalar k = Scalar(1) + Scalar(100) * std::fabs(v);
    psi = Scalar(1) / (k * k);
    spike = neuron.smooth_for_testing ? Scalar(0.5) + v / k : (v >= Scalar(0) ? Scalar(1) : Scalar(0));
}

// One step: u = beta u + W x; o = H(u - theta); psi; u -= theta o (soft reset); then the traces.
// `current` = W x, computed by the caller (one matrix product for the whole part).
template <typename Scalar>
void tess_layer_step(const TessNeuron& neuron, const TessFactors& factors,
                     const typename TessLayerState<Scalar>::Matrix& current,
                     const typename TessLayerState<Scalar>::Matrix& x, TessLayerState<Scalar>& state) {
    const Scalar beta = static_cast<Scalar>(neuron.beta()), theta = static_cast<Scalar>(neuron.theta());
    state.trace_post_before = state.trace_post;
    for (Eigen::Index b = 0; b < current.cols(); ++b)
        for (Eigen::Index i = 0; i < current.rows(); ++i) {
            Scalar& u = state.u(i, b);
            u = beta * u + current(i, b);
            Scalar spike, psi;
            tess_spike(neuron, u - theta, spike, psi);
            state.spikes(i, b) = spike;
            state.psi(i, b) = psi;
            u -= theta * spike;
            state.trace_post(i, b) = static_cast<Scalar>(factors.lambda_post) * state.trace_post(i, b) + psi;
        }
    state.trace_pre = static_cast<Scalar>(factors.lambda_pre) * state.trace_pre + x;
}

// G += m .* (alpha_pre psi[t] tr_x[t]^T + alpha_post tr_psi[t-1] x[t]^T): the causal and the
// non-causal term, gated by the learning signal m = dL/do[t] (n_out x samples).
template <typename Scalar>
void tess_accumulate(const TessFactors& factors, const typename TessLayerState<Scalar>::Matrix& m,
                     const typename TessLayerState<Scalar>::Matrix& x, const TessLayerState<Scalar>& state,
                     typename TessLayerState<Scalar>::Matrix& gradient) {
    using Matrix = typename TessLayerState<Scalar>::Matrix;
    if (factors.alpha_pre != 0.0) {
        const Matrix gate = static_cast<Scalar>(factors.alpha_pre) * m.cwiseProduct(state.psi);
        gradient.noalias() += gate * state.trace_pre.transpose();
    }
    if (factors.alpha_post != 0.0) {
        const Matrix gate = static_cast<Scalar>(factors.alpha_post) * m.cwiseProduct(state.trace_post_before);
        gradient.noalias() += gate * x.transpose();
    }
}

}  // namespace myelin::learning
