// A TESS network (ALGORITHMS.md 4.2-4.4, the MLP substitute of 4.8): Input -> [Linear (no bias) ->
// LIF with soft reset] x L -> a non-spiking Linear head, the static input applied at every step.
// Trained by TESS, local in space and time, in the paper's `local` mode or as the released code
// schedules it (`code_faithful`), or by ordinary surrogate-gradient BPTT on the identical network.
#pragma once

#include "learning/tess_layer.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace myelin::learning {

enum class TessMode {
    local,          // every layer learns from its own LSG at every learning step; head on detached o_L
    code_faithful,  // utils/train.py: LSG only while (frames - t) > delay_ls, else the head's loss
                    // reaches every layer through the trace-based backward (spatially non-local)
};
std::string tess_mode_name(TessMode mode);
TessMode tess_mode_from_name(const std::string& name);  // ParamError (key "tess_mode")

struct TessShape {
    std::size_t inputs = 784, classes = 10;
    std::vector<std::size_t> hidden{256, 256};
    std::size_t steps = 6;  // T
    TessNeuron neuron;
};

struct TessRule {
    TessMode mode = TessMode::local;
    TessFactors factors;
    // local: the number of last steps with a learning signal (T - T_l; main.py's help text).
    // code_faithful: the released code's delay_ls. Negative: T.
    long delay_ls = -1;
    // code_faithful: N_frames of utils/train.py, data.size(0); a static image is one frame.
    long frames = 1;
};

// Where each block lives in the flat parameter vector: hidden layer l's W_l [n_l x n_{l-1}],
// then the head's W [classes x n_L] and bias, each column-major.
struct TessLayout {
    std::vector<std::size_t> weights;  // offset of W_l
    std::size_t head_weights = 0, head_bias = 0, size = 0;
    explicit TessLayout(const TessShape& shape);
    std::size_t block_size(std::size_t block, const TessShape& shape) const;  // blocks: L hidden, head W, head b
};

// A part's (or batch's) sums, for progress and reports.
struct TessBatchStats {
    double loss = 0.0;             // contribution to the batch-mean CE of the mean head output
    std::size_t correct = 0;       // argmax of the summed head outputs == label
    double spike_sum = 0.0;        // spikes of all hidden neurons over steps and samples
    std::size_t state_bytes = 0;   // the learning rule's state for this part (traces or BPTT tape)
};

template <typename Scalar>
class TessNetwork {
public:
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Input = std::function<Matrix(std::size_t step)>;  // step t's input, inputs x samples

    explicit TessNetwork(const TessShape& shape);

    // PyTorch's nn.Linear initialisation U(-1/sqrt(fan_in), 1/sqrt(fan_in)), by Philox from `seed`.
    void initialise(std::uint64_t seed);

    const TessShape& shape() const { return shape_; }
    const TessLayout& layout() const { return layout_; }
    std::vector<Scalar>& parameters() { return parameters_; }
    const std::vector<Scalar>& parameters() const { return parameters_; }
    // The fixed LSG projection of hidden layer l (classes x n_l, ALGORITHMS.md 4.4).
    const Matrix& projection(std::size_t layer) const { return projections_[layer]; }
    std::size_t hidden_neurons() const;

    // TESS over the T steps of `samples` samples, adding the weight gradient into `gradient`
    // (losses are batch means over `batch_size`, summed over the steps with a learning signal).
    TessBatchStats train_tess(const TessRule& rule, const Input& input, std::span<const std::uint8_t> labels,
                              std::size_t batch_size, std::span<Scalar> gradient) const;
    // Surrogate-gradient BPTT of CE(mean_t head(o_L[t])) through layers and time, with the same
    // psi and the soft reset not detached. Keeps every step's activations: memory grows with T.
    TessBatchStats train_bptt(const Input& input, std::span<const std::uint8_t> labels, std::size_t batch_size,
                              std::span<Scalar> gradient) const;
    // Forward only. `mean_logits` (classes x samples) if not null.
    TessBatchStats evaluate(const Input& input, std::span<const std::uint8_t> labels, std::size_t batch_size,
                            Matrix* mean_logits = nullptr) const;

private:
    Matrix weights(std::size_t layer) const;  // aligned copies (Determinism: see bptt_network.cpp)
    Matrix head_weights() const;
    Matrix head_bias() const;

    TessShape shape_;
    TessLayout layout_;
    std::vector<Scalar> parameters_;
    std::vector<Matrix> projections_;
};

// Bm[k, j] = sign(sin(f_k j)) / n', f_k = linspace(50, 512, K)[k], sign(0) = 0 (the square wave).
Eigen::MatrixXd tess_projection(std::size_t classes, std::size_t width);

// Cross-entropy of the columns of `logits` against `labels`: adds the sum of the losses to
// `loss` and the correct argmaxes to `correct`; returns softmax - one-hot (classes x samples).
template <typename Scalar>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> cross_entropy_gradient(
    const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>& logits, std::span<const std::uint8_t> labels,
    double* loss = nullptr, std::size_t* correct = nullptr);

extern template class TessNetwork<float>;
extern template class TessNetwork<double>;

}  // namespace myelin::learning
