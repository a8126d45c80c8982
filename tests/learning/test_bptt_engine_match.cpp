// The BPTT trainer's hidden layer computes the same forward pass as the engine's neuron models
// (models/ultra_lif.hpp, ultra_plif.hpp, ultra_dlif.hpp) driven through the engine's population
// code with the same input currents: V after the reset, the soft spike and the spike events.
#include "learning/bptt_network.hpp"
#include "models/ultra_dlif.hpp"
#include "models/ultra_lif.hpp"
#include "models/ultra_plif.hpp"
#include "support/driven_population.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using myelin::learning::BpttNetwork;
using myelin::learning::BpttNeuron;
using myelin::learning::BpttShape;
using myelin::test::DrivenPopulation;
using Network = BpttNetwork<double>;

namespace {

constexpr std::size_t neurons = 12, steps = 30;

// The trainer's layer on inputs[t][i] (one sample), returned as V and s per step.
void trainer_trace(const Network& network, const std::vector<std::vector<float>>& input,
                   std::vector<Network::Matrix>& v, std::vector<Network::Matrix>& s) {
    std::vector<Network::Matrix> currents;
    for (const auto& row : input) {
        Network::Matrix current(static_cast<Eigen::Index>(neurons), 1);
        for (std::size_t i = 0; i < neurons; ++i) current(static_cast<Eigen::Index>(i), 0) = row[i];
        currents.push_back(current);
    }
    network.hidden_trace(currents, v, s);
}

// Engine and trainer agree to the engine's float evaluation of the log-sum-exp correction and
// the sigmoid (relative 1e-7 per step, ultra_float_math.hpp), accumulated over 30 steps: 1e-5.
template <class M>
void compare(DrivenPopulation<M>& cell, const Network& network, const std::vector<std::vector<float>>& input) {
    std::vector<Network::Matrix> v, s;
    trainer_trace(network, input, v, s);
    std::size_t events = 0, near_ties = 0;
    for (std::size_t t = 0; t < steps; ++t) {
        const auto spikes = cell.step(input[t]);
        for (std::size_t i = 0; i < neurons; ++i) {
            const auto row = static_cast<Eigen::Index>(i);
            REQUIRE(cell.column("v")[i] == Approx(v[t](row, 0)).margin(1e-5));
            REQUIRE(cell.column("s")[i] == Approx(s[t](row, 0)).margin(1e-5));
            // A spike event is V >= theta, i.e. s >= 1/2; skip ties the float evaluation can flip.
            if (std::fabs(s[t](row, 0) - 0.5) < 1e-5) {
                ++near_ties;
                continue;
            }
            const bool fired = std::find(spikes.begin(), spikes.end(), i) != spikes.end();
            CHECK(fired == (s[t](row, 0) > 0.5));
            events += fired;
        }
    }
    CHECK(events > 10);  // the comparison saw spikes, not only silence
    CHECK(near_ties < 3);
}

BpttShape shape_of(BpttNeuron neuron) {
    BpttShape shape;
    shape.neuron = neuron;
    shape.hidden = neurons;
    shape.steps = steps;
    shape.eps = 0.3;
    shape.tau = 0.8;
    return shape;
}

}  // namespace

TEST_CASE("the trainer's UltraLIF layer steps as the engine's UltraLIF", "[learning][bptt]") {
    const auto input = myelin::test::random_input(steps, neurons, -1.0, 2.0, 21);
    Network network(shape_of(BpttNeuron::ultra_lif));
    network.initialise(1);
    DrivenPopulation<myelin::models::UltraLif> cell(neurons, {.tau = 0.8, .eps = 0.3, .v_thresh = 1.0});
    compare(cell, network, input);
}

TEST_CASE("the trainer's UltraPLIF layer steps as the engine's UltraPLIF with learned decays", "[learning][bptt]") {
    const auto input = myelin::test::random_input(steps, neurons, -1.0, 2.0, 22);
    Network network(shape_of(BpttNeuron::ultra_plif));
    network.initialise(1);
    DrivenPopulation<myelin::models::UltraPlif> cell(neurons, {.tau = 0.8, .eps = 0.3, .v_thresh = 1.0});
    // Decays as training leaves them, one per neuron: the engine's `tau` column is exp(log_tau).
    for (std::size_t i = 0; i < neurons; ++i) {
        const double log_tau = -0.05 - 0.15 * static_cast<double>(i);
        network.parameters()[network.layout().log_tau + i] = log_tau;
        cell.column("tau")[i] = std::exp(log_tau);
    }
    compare(cell, network, input);
}

TEST_CASE("the trainer's UltraDLIF layer steps as the engine's UltraDLIF (coupling 1)", "[learning][bptt]") {
    const auto input = myelin::test::random_input(steps, neurons, -2.0, 1.0, 23);
    Network network(shape_of(BpttNeuron::ultra_dlif));
    network.initialise(1);
    DrivenPopulation<myelin::models::UltraDlif> cell(neurons, {.coupling = 1.0, .eps = 0.3, .v_thresh = 1.0});
    compare(cell, network, input);
}
