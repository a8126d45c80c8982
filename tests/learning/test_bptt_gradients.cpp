// BPTT through UltraLIF / UltraPLIF / UltraDLIF and the LIF baseline (ALGORITHMS.md 5.3, 5.7):
// every gradient, eps and tau included, against central finite differences of the loss in
// double precision, for T = 1 and T > 1, with the sparsity penalty on.
#include "learning/bptt_network.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using myelin::learning::BpttNetwork;
using myelin::learning::BpttNeuron;
using myelin::learning::BpttShape;
using Network = BpttNetwork<double>;

namespace {

struct Problem {
    std::vector<Network::Matrix> inputs;
    std::vector<std::uint8_t> labels;
};

// A small network whose neurons sit in the sensitive range: inputs in [0, 2], weights of order
// 1/sqrt(inputs), so I is of order 1 and the soft spikes are neither 0 nor 1.
Problem random_problem(const BpttShape& shape, std::size_t samples, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> value(0.0, 2.0);
    Problem problem;
    for (std::size_t t = 0; t < shape.steps; ++t) {
        Network::Matrix x(static_cast<Eigen::Index>(shape.inputs), static_cast<Eigen::Index>(samples));
        for (Eigen::Index k = 0; k < x.size(); ++k) x(k) = value(rng);
        problem.inputs.push_back(x);
    }
    for (std::size_t b = 0; b < samples; ++b) problem.labels.push_back(static_cast<std::uint8_t>(b % shape.classes));
    return problem;
}

double loss_of(const Network& network, const Problem& problem) {
    return network.run(problem.inputs, problem.labels, problem.labels.size(), {}).loss;
}

// The largest relative error |g - fd| / max(|g|, |fd|) over the parameters. Central differences
// with h = 1e-5 err by about h^2 * |f'''|/6 ~ 1e-11 (truncation) plus 1e-16 * |L| / h ~ 1e-11
// (rounding); a gradient smaller than 1e-4 is compared absolutely (its relative error would
// measure only that rounding).
double worst_relative_error(Network& network, const Problem& problem, std::size_t& worst_index) {
    std::vector<double> gradient(network.parameters().size(), 0.0);
    network.run(problem.inputs, problem.labels, problem.labels.size(), gradient);
    double worst = 0.0;
    const double h = 1e-5;
    for (std::size_t k = 0; k < gradient.size(); ++k) {
        const double saved = network.parameters()[k];
        network.parameters()[k] = saved + h;
        const double up = loss_of(network, problem);
        network.parameters()[k] = saved - h;
        const double down = loss_of(network, problem);
        network.parameters()[k] = saved;
        const double numeric = (up - down) / (2.0 * h);
        const double error = std::fabs(gradient[k] - numeric) / std::max({std::fabs(gradient[k]), std::fabs(numeric), 1e-4});
        if (error > worst) {
            worst = error;
            worst_index = k;
        }
    }
    return worst;
}

BpttShape small_shape(BpttNeuron neuron, std::size_t steps) {
    BpttShape shape;
    shape.neuron = neuron;
    shape.inputs = 7;
    shape.hidden = 5;
    shape.classes = 3;
    shape.steps = steps;
    shape.eps = 0.7;
    shape.sparsity = 0.1;
    shape.smooth_lif_for_testing = true;
    return shape;
}

}  // namespace

TEST_CASE("BPTT gradients of every parameter match central finite differences", "[learning][bptt]") {
    const auto neuron = GENERATE(BpttNeuron::ultra_lif, BpttNeuron::ultra_plif, BpttNeuron::ultra_dlif, BpttNeuron::lif);
    const std::size_t steps = GENERATE(1u, 5u);
    CAPTURE(myelin::learning::bptt_neuron_name(neuron), steps);
    const BpttShape shape = small_shape(neuron, steps);
    Network network(shape);
    network.initialise(3);
    // Spread each neuron's decay inside the clamp, so every log_tau has its own gradient.
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> log_tau(-1.5, -0.05);
    for (std::size_t i = 0; i < shape.hidden; ++i) network.parameters()[network.layout().log_tau + i] = log_tau(rng);
    const Problem problem = random_problem(shape, 4, 11);
    std::size_t worst_index = 0;
    const double worst = worst_relative_error(network, problem, worst_index);
    CAPTURE(worst_index, network.layout().log_eps);
    CHECK(worst < 1e-6);
}

TEST_CASE("the Ultra layers' temperature and UltraPLIF's decays receive a gradient", "[learning][bptt]") {
    // Guards the check above against passing on zeros: eps and log_tau must actually be learned.
    for (const BpttNeuron neuron : {BpttNeuron::ultra_lif, BpttNeuron::ultra_plif, BpttNeuron::ultra_dlif}) {
        CAPTURE(myelin::learning::bptt_neuron_name(neuron));
        const BpttShape shape = small_shape(neuron, 3);
        Network network(shape);
        network.initialise(3);
        const Problem problem = random_problem(shape, 4, 11);
        std::vector<double> gradient(network.parameters().size(), 0.0);
        network.run(problem.inputs, problem.labels, 4, gradient);
        CHECK(std::fabs(gradient[network.layout().log_eps]) > 1e-4);
        if (neuron == BpttNeuron::ultra_plif) CHECK(std::fabs(gradient[network.layout().log_tau]) > 1e-6);
    }
}

TEST_CASE("the LIF baseline's readout gradients are exact with the hard spike", "[learning][bptt]") {
    // The surrogate replaces only ds/dV; the readout and its bias see the true step-function
    // forward, so their gradients must still match finite differences.
    BpttShape shape = small_shape(BpttNeuron::lif, 4);
    shape.smooth_lif_for_testing = false;
    Network network(shape);
    network.initialise(3);
    const Problem problem = random_problem(shape, 4, 11);
    std::vector<double> gradient(network.parameters().size(), 0.0);
    network.run(problem.inputs, problem.labels, 4, gradient);
    const double h = 1e-6;
    for (std::size_t k = network.layout().w2; k < network.layout().log_eps; ++k) {
        const double saved = network.parameters()[k];
        network.parameters()[k] = saved + h;
        const double up = loss_of(network, problem);
        network.parameters()[k] = saved - h;
        const double down = loss_of(network, problem);
        network.parameters()[k] = saved;
        CHECK(gradient[k] == Approx((up - down) / (2 * h)).epsilon(1e-6).margin(1e-10));
    }
}
