// TESS (learning/tess_layer.hpp, tess_network.hpp; ALGORITHMS.md 4.2-4.4, 4.9.1): the traces
// against a sequence worked by hand, the LSG projection's values, the gradient identity of 4.9.1
// and the code_faithful and BPTT gradients against finite differences, and memory flat in T.
#include "learning/tess_network.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <functional>
#include <random>

using namespace myelin::learning;
using Matrix = Eigen::MatrixXd;

namespace {

// A small network in double with the smooth test spike, so finite differences apply.
TessShape small_shape(std::size_t steps) {
    TessShape shape;
    shape.inputs = 7;
    shape.hidden = {5, 4};
    shape.classes = 3;
    shape.steps = steps;
    shape.neuron.smooth_for_testing = true;
    return shape;
}

Matrix random_input(std::size_t inputs, std::size_t samples, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> value(-1.0, 2.0);
    Matrix x(static_cast<Eigen::Index>(inputs), static_cast<Eigen::Index>(samples));
    for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = value(rng);
    return x;
}

// Batch-mean cross-entropy of logits (classes x samples), written out independently.
double mean_cross_entropy(const Matrix& logits, const std::vector<std::uint8_t>& labels) {
    double sum = 0.0;
    for (Eigen::Index b = 0; b < logits.cols(); ++b) {
        double z = 0.0;
        for (Eigen::Index k = 0; k < logits.rows(); ++k) z += std::exp(logits(k, b));
        sum += std::log(z) - logits(labels[static_cast<std::size_t>(b)], b);
    }
    return sum / static_cast<double>(logits.cols());
}

// The test's own smooth spike: S(v) = 1/2 + v/(1 + 100|v|), whose derivative is psi.
Matrix smooth_spike(const Matrix& u, double theta) {
    return u.unaryExpr([theta](double x) { return 0.5 + (x - theta) / (1.0 + 100.0 * std::fabs(x - theta)); });
}

// Fourth-order central differences of f along every parameter; h = 1e-4 keeps the truncation
// (h^4 times the fifth derivative, <= 1e-16 * 1e8 here) and the rounding (1e-16/h) far below 1e-6.
std::vector<double> finite_differences(std::vector<double> p, const std::function<double(const std::vector<double>&)>& f) {
    const double h = 1e-4;
    std::vector<double> out(p.size());
    for (std::size_t k = 0; k < p.size(); ++k) {
        const double keep = p[k];
        const auto at = [&](double d) { p[k] = keep + d; const double v = f(p); p[k] = keep; return v; };
        out[k] = (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h);
    }
    return out;
}

// Largest |a - b| over [first, first + count) relative to the block's largest |b|.
double block_error(const std::vector<double>& a, const std::vector<double>& b, std::size_t first, std::size_t count) {
    double error = 0.0, scale = 0.0;
    for (std::size_t k = first; k < first + count; ++k) {
        error = std::max(error, std::fabs(a[k] - b[k]));
        scale = std::max(scale, std::fabs(b[k]));
    }
    REQUIRE(scale > 1e-8);  // the block has a gradient worth checking
    return error / scale;
}

// Weights that put every membrane within a few hundredths of theta (inputs near 1, smooth spikes
// near 1/2), where psi is large: far from it psi ~ 1e-4 per layer, and the gradients of deep
// layers would shrink to where rounding in the finite differences (1e-16/h) is no longer small.
void near_threshold(TessNetwork<double>& net, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> jitter(-1.0, 1.0);
    const TessShape& s = net.shape();
    const double theta = s.neuron.theta();
    std::size_t fan_in = s.inputs;
    double input_level = 1.0;  // inputs near 1, then smooth spikes near 1/2
    for (std::size_t l = 0; l < s.hidden.size(); ++l) {
        const double centre = theta / (static_cast<double>(fan_in) * input_level);
        for (std::size_t k = 0; k < s.hidden[l] * fan_in; ++k)
            net.parameters()[net.layout().weights[l] + k] = centre * (1.0 + 0.05 * jitter(rng));
        fan_in = s.hidden[l];
        input_level = 0.5;
    }
}

Matrix input_near_one(std::size_t inputs, std::size_t samples, unsigned seed) {
    return (random_input(inputs, samples, seed).array() * 0.05 / 3.0 + 0.98).matrix();  // within [0.963, 1.013]
}

Matrix weights_of(const TessNetwork<double>& net, const std::vector<double>& p, std::size_t layer) {
    const TessShape& s = net.shape();
    const auto rows = static_cast<Eigen::Index>(s.hidden[layer]);
    const auto cols = static_cast<Eigen::Index>(layer == 0 ? s.inputs : s.hidden[layer - 1]);
    return Eigen::Map<const Matrix>(p.data() + net.layout().weights[layer], rows, cols);
}

}  // namespace

TEST_CASE("the TESS traces and weight update follow a sequence worked by hand", "[learning][tess]") {
    // One neuron, two inputs, W = (0.4, 0.3), leak 0 (beta = 1/2), theta = 0.6, factors
    // [lambda_post, lambda_pre, alpha_post, alpha_pre] = [0.2, 0.5, 1, 1]; inputs (1,0), (0,1), (1,1).
    //   t=1: u = 0.4,            v = -0.2, o = 0, psi = 1/21^2; tr_x = (1, 0)
    //   t=2: u = 0.2 + 0.3 = 0.5, v = -0.1, o = 0, psi = 1/11^2; tr_x = (0.5, 1)
    //   t=3: u = 0.25 + 0.7 = 0.95, v = 0.35, o = 1, psi = 1/36^2; u <- 0.35; tr_x = (1.25, 1.5)
    TessNeuron neuron{.leak = 0.0, .threshold = 0.6};
    const TessFactors factors{.lambda_post = 0.2, .lambda_pre = 0.5, .alpha_post = 1.0, .alpha_pre = 1.0};
    const Matrix w = (Matrix(1, 2) << 0.4, 0.3).finished();
    const std::vector<Matrix> x{(Matrix(2, 1) << 1, 0).finished(), (Matrix(2, 1) << 0, 1).finished(),
                                (Matrix(2, 1) << 1, 1).finished()};
    const double m[3] = {1.0, -2.0, 0.5};  // learning signals, one per step
    const double psi[3] = {1.0 / (21.0 * 21.0), 1.0 / (11.0 * 11.0), 1.0 / (36.0 * 36.0)};
    const double tr_post[3] = {psi[0], 0.2 * psi[0] + psi[1], 0.2 * (0.2 * psi[0] + psi[1]) + psi[2]};
    const double tr_x[3][2] = {{1, 0}, {0.5, 1}, {1.25, 1.5}};
    const double u_after[3] = {0.4, 0.5, 0.35}, spikes[3] = {0, 0, 1};
    TessLayerState<double> state;
    state.reset(2, 1, 1);
    Matrix gradient = Matrix::Zero(1, 2);
    double expected[2] = {0.0, 0.0};
    for (int t = 0; t < 3; ++t) {
        tess_layer_step<double>(neuron, factors, w * x[t], x[t], state);
        CHECK(state.u(0, 0) == Approx(u_after[t]).epsilon(1e-12));
        CHECK(state.spikes(0, 0) == spikes[t]);
        CHECK(state.psi(0, 0) == Approx(psi[t]).epsilon(1e-12));
        CHECK(state.trace_post(0, 0) == Approx(tr_post[t]).epsilon(1e-12));
        CHECK(state.trace_pre(0, 0) == Approx(tr_x[t][0]).epsilon(1e-12));
        CHECK(state.trace_pre(1, 0) == Approx(tr_x[t][1]).epsilon(1e-12));
        tess_accumulate<double>(factors, Matrix::Constant(1, 1, m[t]), x[t], state, gradient);
        // causal: psi[t] tr_x[t]; non-causal: tr_psi[t-1] x[t] (the trace before this step's psi)
        const double before = t == 0 ? 0.0 : tr_post[t - 1];
        for (int j = 0; j < 2; ++j) expected[j] += m[t] * (psi[t] * tr_x[t][j] + before * x[t](j, 0));
        CHECK(gradient(0, 0) == Approx(expected[0]).epsilon(1e-12));
        CHECK(gradient(0, 1) == Approx(expected[1]).epsilon(1e-12));
    }
}

TEST_CASE("the LSG projection is the square wave sign(sin(f_k j))/n' with f = linspace(50, 512, K)", "[learning][tess]") {
    // f = 50, 101.33, ..., 512; values of sin(f_k j) from Python's math.sin:
    // k=0: 0, -0.2624, -0.5064, -0.7149, -0.8733, -0.9705; k=1: 0, 0.719, 0.9994, 0.6702, -0.0678,
    // -0.7645; k=9: 0, 0.0795, -0.1585, 0.2365, -0.3131, 0.3876.
    const Eigen::MatrixXd bm = tess_projection(10, 6);
    REQUIRE(bm.rows() == 10);
    REQUIRE(bm.cols() == 6);
    const double n = 6.0;
    const double row0[6] = {0, -1, -1, -1, -1, -1}, row1[6] = {0, 1, 1, 1, -1, -1}, row9[6] = {0, 1, -1, 1, -1, 1};
    for (int j = 0; j < 6; ++j) {
        CHECK(bm(0, j) == row0[j] / n);
        CHECK(bm(1, j) == row1[j] / n);
        CHECK(bm(9, j) == row9[j] / n);
    }
}

TEST_CASE("with alpha_post = 0, lambda_pre = 0 and T = 1 the TESS gradient is the surrogate gradient of each local loss",
          "[learning][tess]") {
    // ALGORITHMS.md 4.9.1. The reference: finite differences of each layer's local loss
    // CE(Bm S(W x - theta)) on its detached input, and of the head's CE on the detached o_L.
    TessNetwork<double> net(small_shape(1));
    net.initialise(3);
    TessRule rule;
    rule.factors = {.lambda_post = 0.2, .lambda_pre = 0.0, .alpha_post = 0.0, .alpha_pre = 1.0};
    const std::size_t samples = 4;
    const Matrix x = random_input(7, samples, 11);
    const std::vector<std::uint8_t> labels{0, 2, 1, 2};
    std::vector<double> gradient(net.parameters().size(), 0.0);
    net.train_tess(rule, [&](std::size_t) { return x; }, labels, samples, gradient);

    const double theta = net.shape().neuron.theta();
    const auto layer_output = [&](const std::vector<double>& p, std::size_t layer) {
        Matrix o = x;
        for (std::size_t l = 0; l <= layer; ++l) o = smooth_spike(weights_of(net, p, l) * o, theta);
        return o;
    };
    const std::vector<double> base = net.parameters();
    for (std::size_t l = 0; l < 2; ++l) {
        const auto local_loss = [&](const std::vector<double>& p) {
            std::vector<double> q = base;  // only W_l moves: the input of layer l is detached
            const std::size_t first = net.layout().weights[l], count = net.layout().block_size(l, net.shape());
            std::copy(p.begin() + first, p.begin() + first + count, q.begin() + first);
            return mean_cross_entropy(net.projection(l) * layer_output(q, l), labels);
        };
        const auto reference = finite_differences(base, local_loss);
        CAPTURE(l);
        CHECK(block_error(gradient, reference, net.layout().weights[l], net.layout().block_size(l, net.shape())) < 1e-6);
    }
    const auto head_loss = [&](const std::vector<double>& p) {
        const Matrix top = layer_output(base, 1);
        const Matrix w = Eigen::Map<const Matrix>(p.data() + net.layout().head_weights, 3, 4);
        Matrix y = w * top;
        for (Eigen::Index b = 0; b < y.cols(); ++b) y.col(b) += Eigen::Map<const Eigen::VectorXd>(p.data() + net.layout().head_bias, 3);
        return mean_cross_entropy(y, labels);
    };
    const auto reference = finite_differences(base, head_loss);
    CHECK(block_error(gradient, reference, net.layout().head_weights, 12) < 1e-6);
    CHECK(block_error(gradient, reference, net.layout().head_bias, 3) < 1e-6);
}

TEST_CASE("code_faithful TESS at T = 1 backpropagates the head's loss through every layer", "[learning][tess]") {
    // utils/train.py with delay_ls >= frames: no step gets the LSG; the head's cross-entropy reaches
    // every layer through grad_input = (m .* psi) W. At T = 1 with lambda_pre = 0 that is the
    // surrogate gradient of the head's loss: finite differences of the whole network's loss.
    TessNetwork<double> net(small_shape(1));
    net.initialise(5);
    near_threshold(net, 6);  // seed 5 puts a membrane within 2h of theta, on psi's kink (|v|)
    TessRule rule;
    rule.mode = TessMode::code_faithful;
    rule.delay_ls = 1;
    rule.factors = {.lambda_post = 0.2, .lambda_pre = 0.0, .alpha_post = 0.0, .alpha_pre = 1.0};
    const Matrix x = input_near_one(7, 5, 12);
    const std::vector<std::uint8_t> labels{1, 0, 2, 2, 1};
    std::vector<double> gradient(net.parameters().size(), 0.0);
    const auto input = [&](std::size_t) { return x; };
    net.train_tess(rule, input, labels, 5, gradient);
    const auto loss = [&](const std::vector<double>& p) {
        TessNetwork<double> copy = net;
        copy.parameters() = p;
        return copy.evaluate(input, labels, 5).loss;
    };
    // Finite differences need every membrane farther from psi's kink at v = 0 than a 2h step of a weight
    // moves it (2h times an input of at most 1.013, plus less through the layer below).
    const double theta = net.shape().neuron.theta();
    Matrix o = x;
    for (std::size_t l = 0; l < 2; ++l) {
        const Matrix u = weights_of(net, net.parameters(), l) * o;
        CHECK((u.array() - theta).abs().minCoeff() > 2.5e-4);
        o = smooth_spike(u, theta);
    }
    const auto reference = finite_differences(net.parameters(), loss);
    for (std::size_t block = 0; block < 4; ++block) {
        const std::size_t first = block < 2 ? net.layout().weights[block] : block == 2 ? net.layout().head_weights : net.layout().head_bias;
        CAPTURE(block);
        CHECK(block_error(gradient, reference, first, net.layout().block_size(block, net.shape())) < 1e-6);
    }
}

TEST_CASE("the BPTT reference gradient matches finite differences through layers, time and the soft reset",
          "[learning][tess]") {
    TessShape shape = small_shape(4);
    shape.neuron.leak = -2.0;  // beta = 0.12: membranes stay near theta over the steps (see near_threshold)
    TessNetwork<double> net(shape);
    net.initialise(8);
    near_threshold(net, 8);
    const Matrix x = input_near_one(7, 3, 13);
    const std::vector<std::uint8_t> labels{2, 0, 1};
    const auto input = [&](std::size_t t) { return Matrix(x * (1.0 + 0.01 * static_cast<double>(t))); };
    std::vector<double> gradient(net.parameters().size(), 0.0);
    net.train_bptt(input, labels, 3, gradient);
    const auto loss = [&](const std::vector<double>& p) {
        TessNetwork<double> copy = net;
        copy.parameters() = p;
        return copy.evaluate(input, labels, 3).loss;
    };
    const auto reference = finite_differences(net.parameters(), loss);
    for (std::size_t block = 0; block < 4; ++block) {
        const std::size_t first = block < 2 ? net.layout().weights[block] : block == 2 ? net.layout().head_weights : net.layout().head_bias;
        CAPTURE(block);
        CHECK(block_error(gradient, reference, first, net.layout().block_size(block, net.shape())) < 1e-6);
    }
}

TEST_CASE("TESS state does not grow with the number of steps, the BPTT tape does", "[learning][tess]") {
    const auto bytes = [](std::size_t steps, bool tess) {
        TessShape shape = small_shape(steps);
        shape.neuron.smooth_for_testing = false;
        TessNetwork<float> net(shape);
        net.initialise(1);
        const Eigen::MatrixXf x = random_input(7, 8, 2).cast<float>();
        const std::vector<std::uint8_t> labels(8, 1);
        std::vector<float> gradient(net.parameters().size(), 0.0f);
        const auto input = [&](std::size_t) { return x; };
        return tess ? net.train_tess(TessRule{}, input, labels, 8, gradient).state_bytes
                    : net.train_bptt(input, labels, 8, gradient).state_bytes;
    };
    CHECK(bytes(64, true) == bytes(4, true));
    CHECK(bytes(64, false) > 10 * bytes(4, false));
}

TEST_CASE("code_faithful steps with (frames - t) > delay_ls learn from the LSG and give the head no loss",
          "[learning][tess]") {
    // utils/train.py with delay_ls = 0 and one frame: step 0 passes the labels to the blocks, so
    // the hidden layers learn exactly as in local mode and the head not at all.
    TessNetwork<double> net(small_shape(1));
    net.initialise(4);
    const Matrix x = random_input(7, 4, 14);
    const std::vector<std::uint8_t> labels{0, 1, 2, 0};
    const auto input = [&](std::size_t) { return x; };
    TessRule local, faithful;
    faithful.mode = TessMode::code_faithful;
    faithful.delay_ls = 0;
    std::vector<double> g_local(net.parameters().size(), 0.0), g_faithful(net.parameters().size(), 0.0);
    net.train_tess(local, input, labels, 4, g_local);
    net.train_tess(faithful, input, labels, 4, g_faithful);
    const std::size_t head = net.layout().head_weights;
    CHECK(std::vector<double>(g_faithful.begin(), g_faithful.begin() + static_cast<std::ptrdiff_t>(head)) ==
          std::vector<double>(g_local.begin(), g_local.begin() + static_cast<std::ptrdiff_t>(head)));
    for (std::size_t k = head; k < g_faithful.size(); ++k) CHECK(g_faithful[k] == 0.0);
    CHECK(std::any_of(g_local.begin() + static_cast<std::ptrdiff_t>(head), g_local.end(), [](double g) { return g != 0.0; }));
}
