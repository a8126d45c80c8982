// A feed-forward spiking network Input -> Linear -> neuron layer -> Linear readout, trained by
// backpropagation through time with the exact derivatives of UltraLIF / UltraPLIF / UltraDLIF
// (Minoza 2026, ALGORITHMS.md 5.3-5.4) or, as the baseline, a LIF with a fast-sigmoid surrogate.
// The logits are the mean over T steps of the readout of the soft spikes (networks/fc.py).
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace myelin::learning {

enum class BpttNeuron { ultra_lif, ultra_plif, ultra_dlif, lif };
std::string bptt_neuron_name(BpttNeuron neuron);         // the engine's names: "UltraLIF", ..., "LIF"
std::vector<std::string> bptt_neuron_names();
BpttNeuron bptt_neuron_from_name(const std::string& name);  // ParamError (key "neuron") if unknown

struct BpttShape {
    BpttNeuron neuron = BpttNeuron::ultra_plif;
    std::size_t inputs = 784, hidden = 64, classes = 10;
    std::size_t steps = 1;          // T
    double v_thresh = 1.0;          // theta
    double tau = 0.9;               // decay factor per step (UltraLIF, LIF; UltraPLIF's initial value)
    double eps = 1.0;               // initial temperature of the Ultra layer
    bool learn_eps = true;          // eps = clamp(exp(log_eps), 0.1, 20), one scalar per layer
    double surrogate_slope = 5.0;   // LIF: ds/dV = 1/(1 + k|V - theta|)^2 (fast sigmoid)
    double sparsity = 0.0;          // lambda: loss += lambda * mean soft spike (neurons, steps, batch)
    // LIF only, for gradient checks: the forward spike is the surrogate's antiderivative
    // 1/2 + x/(1 + k|x|) instead of the step, so finite differences see what backprop computes.
    bool smooth_lif_for_testing = false;
};

// Clamps of the paper's code (ALGORITHMS.md 5.3).
inline constexpr double bptt_eps_min = 0.1, bptt_eps_max = 20.0;
inline constexpr double bptt_log_tau_min = -2.3, bptt_log_tau_max = -0.01;

// Where each parameter block lives in the flat parameter (and gradient) vector.
struct BpttLayout {
    std::size_t w1 = 0, b1 = 0, w2 = 0, b2 = 0, log_eps = 0, log_tau = 0, size = 0;
    explicit BpttLayout(const BpttShape& shape);
};

// What one batch (or part of one) gave: sums over its samples, for progress and reports.
struct BpttBatchStats {
    double loss = 0.0;         // contribution to the batch-mean loss (CE + sparsity)
    std::size_t correct = 0;   // argmax of the logits == label
    double spike_sum = 0.0;    // sum of the soft spikes over neurons, steps and samples
};

template <typename Scalar>
class BpttNetwork {
public:
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

    explicit BpttNetwork(const BpttShape& shape);

    // PyTorch's nn.Linear initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and
    // biases, drawn by Philox from `seed`; log_eps = log(eps), log_tau = log(tau).
    void initialise(std::uint64_t seed);

    const BpttShape& shape() const { return shape_; }
    const BpttLayout& layout() const { return layout_; }
    std::vector<Scalar>& parameters() { return parameters_; }
    const std::vector<Scalar>& parameters() const { return parameters_; }

    Scalar eps() const;                 // the temperature in use (after the clamp)
    Scalar log_tau(std::size_t i) const;  // neuron i's log decay in use (after the clamp)

    // Forward pass over `inputs` (T matrices of inputs x samples; one column per sample) and, if
    // `gradient` is not empty, backpropagation through time, adding into it. The loss is the
    // mean over `batch_size` samples (the whole batch this part belongs to), so the gradients of
    // the parts of a batch add up to the batch's. `logits` (classes x samples) if not null.
    BpttBatchStats run(const std::vector<Matrix>& inputs, std::span<const std::uint8_t> labels,
                       std::size_t batch_size, std::span<Scalar> gradient, Matrix* logits = nullptr) const;

    // The hidden layer alone: I[t] given (hidden x samples) -> V after reset and soft spikes per
    // step. For comparing with the engine's neuron models.
    void hidden_trace(const std::vector<Matrix>& currents, std::vector<Matrix>& v, std::vector<Matrix>& s) const;

private:
    struct Tape;
    void neuron_forward(const Matrix& current, Matrix& v, Matrix& u, Matrix& s, Scalar eps) const;

    BpttShape shape_;
    BpttLayout layout_;
    std::vector<Scalar> parameters_;
};

extern template class BpttNetwork<float>;
extern template class BpttNetwork<double>;

}  // namespace myelin::learning
