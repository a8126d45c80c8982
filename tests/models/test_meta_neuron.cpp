// MetaNeuron: firing probability against the analytic sigmoid (binomial tests), the T -> 0
// limit against IF_curr_delta, release probability, thread-count independence, and parameter
// errors (ALGORITHMS.md 6.5, 8.2).
#include "models/lif_curr_delta.hpp"
#include "models/meta_neuron.hpp"
#include "support/one_neuron.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using myelin::models::LifCurrDelta;
using myelin::models::MetaNeuron;
using myelin::sim::NeuronPopulation;
using myelin::sim::RandomKey;
using myelin::sim::RandomPurpose;
using Catch::Contains;

namespace {

// Spikes of `population` over `steps` steps with no input, on one range [0, size).
std::uint64_t count_spikes(NeuronPopulation<MetaNeuron>& population, int steps) {
    population.set_reads_input_ring(false);
    std::vector<std::uint32_t> spikes;
    for (int step = 0; step < steps; ++step) population.update({step, 0.1}, 0, population.size(), spikes);
    return spikes.size();
}

// |k - n p| within z standard deviations of Binomial(n, p). z = 5: a correct model fails one
// such check with probability 5.7e-7 (two-sided normal tail; n p (1 - p) >= 1e3 here, where the
// normal approximation holds).
void check_binomial(std::uint64_t k, std::uint64_t n, double p, double z = 5.0) {
    const double mean = n * p, sd = std::sqrt(n * p * (1.0 - p));
    CAPTURE(k, n, p, mean, sd);
    CHECK(std::abs(static_cast<double>(k) - mean) <= z * sd);
}

}  // namespace

TEST_CASE("a meta neuron fires with probability sigmoid((v - v_thresh)/T) at every distance to threshold",
          "[models][meta]") {
    // v_rest = v_thresh + d, the reset column at v_thresh + d too, and no input: v stays at
    // v_thresh + d, so each neuron and step is one Bernoulli trial of the same probability.
    const std::uint64_t seed = 12345;
    CAPTURE(seed);
    const std::size_t neurons = 10000;
    const int steps = 20;  // 2e5 trials per distance
    for (const double temperature : {0.5, 2.0}) {
        for (const double d : {-3.0, -1.0, -0.25, 0.0, 0.5, 1.5, 4.0}) {
            CAPTURE(temperature, d);
            MetaNeuron::Params p;
            p.temperature = temperature;
            p.v_thresh = -50.0;
            p.v_rest = -50.0 + d;
            NeuronPopulation<MetaNeuron> population("meta", neurons, p, 0.1,
                                                    RandomKey::make(seed, RandomPurpose::neuron_model, 0));
            // The per-neuron reset (column 4) may sit at or above threshold; the parameter may not.
            for (double& v_reset : population.state()[4].values.doubles()) v_reset = p.v_rest;
            const double expected = 1.0 / (1.0 + std::exp(-d / temperature));
            check_binomial(count_spikes(population, steps), neurons * steps, expected);
        }
    }
}

TEST_CASE("the per-neuron threshold and temperature columns set each neuron's own probability", "[models][meta]") {
    // Half the neurons get T = 1 mV at d = 1 mV, the other half T = 4 mV at d = -2 mV through
    // their columns; the population parameters are the same for both.
    const std::size_t neurons = 20000;
    MetaNeuron::Params p;
    p.v_rest = p.v_reset = -60.0;
    NeuronPopulation<MetaNeuron> population("meta", neurons, p, 0.1, RandomKey::make(7, RandomPurpose::neuron_model, 3));
    population.set_reads_input_ring(false);
    auto state = population.state();
    for (std::size_t i = 0; i < neurons; ++i) {
        const bool first_half = i < neurons / 2;
        state[2].values.set(i, first_half ? -61.0 : -58.0);  // v_thresh
        state[3].values.set(i, first_half ? 1.0 : 4.0);     // temperature
    }
    std::vector<std::uint32_t> spikes;
    const int steps = 20;
    for (int step = 0; step < steps; ++step) population.update({step, 0.1}, 0, neurons, spikes);
    const auto first_half = static_cast<std::uint64_t>(
        std::count_if(spikes.begin(), spikes.end(), [&](std::uint32_t i) { return i < neurons / 2; }));
    check_binomial(first_half, neurons / 2 * steps, 1.0 / (1.0 + std::exp(-1.0)));
    check_binomial(spikes.size() - first_half, neurons / 2 * steps, 1.0 / (1.0 + std::exp(0.5)));
}

TEST_CASE("as the temperature goes to 0 the meta neuron spikes exactly like IF_curr_delta", "[models][meta]") {
    // The same random jumps into a meta neuron and into IF_curr_delta without refractory period
    // (the same leak, the same delta input, the same reset): at T = 0 and at T = 1e-6 mV the
    // spike trains must agree step for step; at T = 1 mV they must not, which shows the
    // comparison can fail.
    LifCurrDelta::Params lif;
    lif.tau_refrac = 0.0;
    lif.v_reset = -70.0;
    MetaNeuron::Params meta;
    meta.v_reset = lif.v_reset;
    const auto spike_train = [&](auto& cell) {
        std::mt19937 random(99);
        std::uniform_real_distribution<double> jump(-1.0, 2.5);  // mV per step
        std::vector<int> steps;
        for (int n = 0; n < 20000; ++n)
            if (cell.step(jump(random))) steps.push_back(n);
        return steps;
    };
    myelin::test::OneNeuron<LifCurrDelta> reference(lif, 0.1);
    const auto expected = spike_train(reference);
    REQUIRE(expected.size() > 100);
    for (const double temperature : {0.0, 1e-6}) {
        CAPTURE(temperature);
        meta.temperature = temperature;
        myelin::test::OneNeuron<MetaNeuron> cell(meta, 0.1);
        CHECK(spike_train(cell) == expected);
    }
    meta.temperature = 1.0;
    myelin::test::OneNeuron<MetaNeuron> noisy(meta, 0.1);
    CHECK(spike_train(noisy) != expected);
}

TEST_CASE("with release probability p a binomial fraction p of the input is transmitted", "[models][meta]") {
    // Every step brings 1 mV to every neuron; with an effectively infinite tau_m and a
    // threshold out of reach, v - v_rest counts the transmitted inputs exactly.
    const std::size_t neurons = 4000;
    const int steps = 50;
    for (const double p_release : {0.0, 0.1, 0.5, 0.85, 1.0}) {
        CAPTURE(p_release);
        MetaNeuron::Params p;
        p.tau_m = 1e12;
        p.v_rest = 0.0;
        p.v_reset = 0.0;
        p.v_thresh = 1e9;
        p.temperature = 0.0;
        p.p_release = p_release;
        NeuronPopulation<MetaNeuron> population("meta", neurons, p, 0.1, RandomKey::make(5, RandomPurpose::neuron_model, 1));
        population.input().resize(neurons, 1, 1);
        std::vector<std::uint32_t> spikes;
        for (int step = 0; step < steps; ++step) {
            float* row = population.input().row(step, 0);
            std::fill(row, row + neurons, 1.0f);
            population.update({step, 0.1}, 0, neurons, spikes);
        }
        REQUIRE(spikes.empty());
        double transmitted = 0.0;
        for (const double v : population.state()[0].values.doubles()) transmitted += v;
        const auto total = static_cast<std::uint64_t>(neurons) * steps;
        REQUIRE(transmitted == Approx(std::round(transmitted)).margin(1e-3));  // a whole number of inputs
        if (p_release == 0.0 || p_release == 1.0) CHECK(std::llround(transmitted) == std::llround(p_release * total));
        else check_binomial(static_cast<std::uint64_t>(std::llround(transmitted)), total, p_release);
    }
}

TEST_CASE("a meta neuron's draws depend on the neuron and step, not on how the range is split", "[models][meta]") {
    // The same population stepped as one range and as ranges of odd sizes (as threads would
    // split it) gives the same spikes.
    MetaNeuron::Params p;
    p.v_rest = p.v_reset = -51.0;
    const std::size_t neurons = 1001;
    const auto key = RandomKey::make(3, RandomPurpose::neuron_model, 2);
    NeuronPopulation<MetaNeuron> whole("a", neurons, p, 0.1, key), split("b", neurons, p, 0.1, key);
    whole.set_reads_input_ring(false);
    split.set_reads_input_ring(false);
    for (int step = 0; step < 30; ++step) {
        std::vector<std::uint32_t> one, parts;
        whole.update({step, 0.1}, 0, neurons, one);
        for (const auto& [begin, end] : {std::pair<std::size_t, std::size_t>{0, 3}, {3, 258}, {258, 777}, {777, neurons}})
            split.update({step, 0.1}, begin, end, parts);
        REQUIRE(!one.empty());
        CHECK(parts == one);
    }
}

TEST_CASE("meta neuron networks give identical spikes on 1 and 2 threads", "[models][meta][determinism]") {
    const std::string config = R"([simulation]
dt = 0.1
duration = 100.0
seed = 11
[[population]]
name = "meta"
size = 1500
model = "MetaNeuron"
params = { tau_m = 10.0, v_rest = -65.0, v_reset = -65.0, v_thresh = -55.0, temperature = 1.5, p_release = 0.7 }
init = { v = { uniform = [-65.0, -55.0] }, v_thresh = { normal = [-55.0, 1.0], clip = [-58.0, -52.0] } }
[[projection]]
pre = "meta"
post = "meta"
connect = { rule = "fixed_probability", p = 0.01 }
weight = 0.2
delay = { uniform = [0.5, 2.0] }
[[poisson_input]]
target = "meta"
rate = 4000.0
weight = 0.5
)";
    const auto run = myelin::test::parse(config);
    auto one = myelin::test::simulate(run, 1);
    REQUIRE(one.of("meta").size() > 500);  // active enough that the ring, drive and draws all matter
    auto two = myelin::test::simulate(run, 2);
    CHECK(two.of("meta") == one.of("meta"));
    // The draws do come from the seed: another seed gives other spikes.
    auto other = myelin::test::simulate(myelin::test::parse(config, {"simulation.seed=12"}), 1);
    CHECK(other.of("meta") != one.of("meta"));
}

TEST_CASE("meta neuron parameters and intrinsic columns reject values the model cannot use", "[models][meta][config]") {
    const std::string base = R"([simulation]
duration = 10.0
[[population]]
name = "meta"
size = 10
model = "MetaNeuron"
)";
    SECTION("a negative temperature") {
        REQUIRE_THROWS_WITH(myelin::test::parse(base + "params = { temperature = -1.0 }\n"),
                            Contains("test.toml:7:") && Contains("temperature = -1 must be >= 0 (mV)"));
    }
    SECTION("a release probability above 1") {
        REQUIRE_THROWS_WITH(myelin::test::parse(base + "params = { p_release = 1.5 }\n"),
                            Contains("p_release = 1.5 must be within [0, 1]"));
    }
    SECTION("a non-positive tau_m") {
        REQUIRE_THROWS_WITH(MetaNeuron::validate({.tau_m = 0.0}), Contains("tau_m = 0 must be > 0 (ms)"));
    }
    SECTION("a reset at or above threshold") {
        REQUIRE_THROWS_WITH(myelin::test::parse(base + "params = { v_reset = -40.0 }\n"),
                            Contains("v_reset = -40 must be below v_thresh = -50"));
    }
    SECTION("a misspelt parameter") {
        REQUIRE_THROWS_WITH(myelin::test::parse(base + "params = { temprature = 1.0 }\n"),
                            Contains("temprature") && Contains("did you mean \"temperature\""));
    }
    SECTION("an init range that reaches a negative temperature") {
        REQUIRE_THROWS_WITH(myelin::test::parse(base + "init = { temperature = { uniform = [-0.5, 1.0] } }\n"),
                            Contains("test.toml:7:") && Contains("temperature = -0.5 must be >= 0"));
    }
    SECTION("an unclipped normal init of tau_m, which can be negative") {
        REQUIRE_THROWS_WITH(myelin::test::parse(base + "init = { tau_m = { normal = [20.0, 2.0] } }\n"),
                            Contains("tau_m") && Contains("must be > 0"));
    }
    SECTION("an unknown state variable in init") {
        REQUIRE_THROWS_WITH(myelin::test::parse(base + "init = { v_tresh = -50.0 }\n"),
                            Contains("did you mean \"v_thresh\""));
    }
    SECTION("valid per-neuron intrinsics pass") {
        REQUIRE_NOTHROW(myelin::test::parse(
            base + "init = { temperature = { uniform = [0.0, 2.0] }, p_release = { values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] } }\n"));
    }
}
