// UltraLIF and UltraPLIF (ALGORITHMS.md 5.3, 5.7): the update against its max-plus limit and its
// closed form, spike trains against the hard (eps -> 0) max-plus LIF, exact derivatives against
// finite differences, parameter errors, and UltraPLIF against UltraLIF.
#include "models/ultra_lif.hpp"
#include "models/ultra_plif.hpp"
#include "sim/log_sum_exp.hpp"
#include "support/driven_population.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

using myelin::models::UltraLif;
using myelin::models::UltraPlif;
using myelin::test::DrivenPopulation;
using myelin::test::random_input;
using Catch::Contains;

namespace {

// The eps -> 0 limit of UltraLIF, written independently: the tropical LIF of the paper, with the
// sigmoid spike become a step and the soft reset a reset to 0.
std::vector<std::vector<bool>> hard_max_plus_lif(const std::vector<std::vector<float>>& input, double tau,
                                                 double theta) {
    std::vector<double> v(input.front().size(), 0.0);
    std::vector<std::vector<bool>> fired;
    for (const auto& row : input) {
        std::vector<bool> now(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            v[i] = std::max(v[i] + std::log(tau), static_cast<double>(row[i]));
            now[i] = v[i] >= theta;
            if (now[i]) v[i] = 0.0;
        }
        fired.push_back(now);
    }
    return fired;
}

}  // namespace

TEST_CASE("an UltraLIF update with eps = 1e-3 is its max-plus limit plus at most eps*log 2", "[models][ultra]") {
    // ALGORITHMS.md 5.7.2. A threshold out of reach keeps the reset out of the way.
    const UltraLif::Params p{.tau = 0.9, .eps = 1e-3, .v_thresh = 1e9};
    const auto input = random_input(2000, 1, -2.0, 2.0, 1);
    DrivenPopulation<UltraLif> cell(1, p);
    for (const auto& row : input) {
        const double before = cell.column("v")[0];
        cell.step(row);
        const double limit = std::max(before + std::log(p.tau), static_cast<double>(row[0]));
        const double v = cell.column("v")[0];
        REQUIRE(v >= limit);
        // The loop computes the correction in float (ultra_float_math.hpp): 1e-7 relative slack.
        REQUIRE(v <= limit + p.eps * std::log(2.0) * (1.0 + 1e-7) + 1e-15);
    }
}

TEST_CASE("an UltraLIF step is eps*log(tau^(1/eps) e^(V/eps) + e^(I/eps)), then the soft spike and reset",
          "[models][ultra]") {
    // The naive closed form (fine for these moderate values) of ALGORITHMS.md 5.3, with input and
    // i_offset summed into I, s = sigmoid((V - theta)/eps) and V <- V (1 - s).
    const UltraLif::Params p{.tau = 0.8, .eps = 0.7, .v_thresh = 1.2, .i_offset = 0.1};
    const auto input = random_input(300, 1, -1.0, 1.5, 2);
    DrivenPopulation<UltraLif> cell(1, p);
    double v = 0.0;
    int spikes = 0;
    for (const auto& row : input) {
        const double in = row[0] + p.i_offset;
        const double relaxed = p.eps * std::log(std::pow(p.tau, 1.0 / p.eps) * std::exp(v / p.eps) + std::exp(in / p.eps));
        const double s = 1.0 / (1.0 + std::exp(-(relaxed - p.v_thresh) / p.eps));
        v = relaxed * (1.0 - s);
        const bool fired = !cell.step(row).empty();
        spikes += fired;
        REQUIRE(fired == (relaxed >= p.v_thresh));
        // The loop evaluates exp and log1p in float (ultra_float_math.hpp): relative error ~1e-7,
        // not accumulating, since the reset pulls V back to the same scale every spike.
        REQUIRE(cell.column("s")[0] == Approx(s).epsilon(1e-6).margin(1e-7));
        REQUIRE(cell.column("v")[0] == Approx(v).epsilon(1e-6).margin(1e-7));
    }
    CHECK(spikes > 10);  // the threshold path ran
}

TEST_CASE("UltraLIF spike trains converge to the hard max-plus LIF's as eps shrinks", "[models][ultra]") {
    // 200 neurons, 500 steps, the same input into both. The error is the number of (neuron, step)
    // pairs where exactly one of the two fired. The soft update exceeds the hard one by
    // eps*log(1 + exp(-gap/eps)), gap = |V + log tau - I|, so the two differ only where V comes
    // within about eps of a tie: the error falls faster than any power of eps and vanishes
    // (on this input) from eps = 0.05 on. Numbers: docs/models.md.
    const double tau = 0.9, theta = 1.0;
    const auto input = random_input(500, 200, -1.0, 1.5, 5);
    const auto hard = hard_max_plus_lif(input, tau, theta);
    std::size_t hard_spikes = 0;
    for (const auto& row : hard) hard_spikes += static_cast<std::size_t>(std::count(row.begin(), row.end(), true));
    REQUIRE(hard_spikes > 10000);
    const std::vector<double> eps_values{0.5, 0.3, 0.2, 0.15, 0.1, 0.05, 0.02, 0.005, 0.001};
    std::vector<std::size_t> errors;
    for (const double eps : eps_values) {
        DrivenPopulation<UltraLif> population(200, {.tau = tau, .eps = eps, .v_thresh = theta});
        std::size_t error = 0;
        for (std::size_t t = 0; t < input.size(); ++t) {
            std::vector<bool> soft(200);
            for (const auto i : population.step(input[t])) soft[i] = true;
            for (std::size_t i = 0; i < 200; ++i) error += soft[i] != hard[t][i];
        }
        errors.push_back(error);
    }
    std::ostringstream table;
    for (std::size_t k = 0; k < errors.size(); ++k) table << " eps " << eps_values[k] << ": " << errors[k] << ";";
    INFO("mismatched (neuron, step) pairs of " << hard_spikes << " hard spikes:" << table.str());
    for (std::size_t k = 1; k < 5; ++k) CHECK(errors[k] < errors[k - 1]);  // falls while nonzero
    CHECK(errors[0] > hard_spikes / 10);                                 // large eps: far from LIF
    for (std::size_t k = 5; k < errors.size(); ++k) CHECK(errors[k] == 0);  // then identical
}

TEST_CASE("the exact derivatives of the UltraLIF update match finite differences", "[models][ultra]") {
    // The update as trainers evaluate it, with the double operator of sim/log_sum_exp.hpp.
    // ALGORITHMS.md 5.7.1: d/dV = w, d/dI = 1 - w, d/dtau = w/tau, d/deps = (lse - w a - (1-w) I)/eps
    // with a = V + log tau and w the softmax weight of a. Central differences, h = 1e-6: their
    // rounding error, ~1e-16 |f|/h = 1e-10 absolute, sets the margin for derivatives near 0.
    const double h = 1e-6;
    const auto update = [](double v, double in, double eps, double tau) {
        return myelin::sim::lse(v + std::log(tau), in, eps);
    };
    std::mt19937_64 rng(9);
    std::uniform_real_distribution<double> value(-2.0, 2.0), eps_of(0.1, 5.0), tau_of(0.2, 0.95);
    for (int n = 0; n < 200; ++n) {
        const double v = value(rng), in = value(rng), eps = eps_of(rng), tau = tau_of(rng);
        const double a = v + std::log(tau), out = update(v, in, eps, tau);
        const double w = myelin::sim::lse_weight_first(a, in, eps);
        const auto fd = [&](auto f) { return (f(h) - f(-h)) / (2 * h); };
        CHECK(w == Approx(fd([&](double d) { return update(v + d, in, eps, tau); })).epsilon(1e-6).margin(1e-9));
        CHECK(1.0 - w == Approx(fd([&](double d) { return update(v, in + d, eps, tau); })).epsilon(1e-6).margin(1e-9));
        CHECK(w / tau == Approx(fd([&](double d) { return update(v, in, eps, tau + d); })).epsilon(1e-6).margin(1e-9));
        CHECK((out - w * a - (1.0 - w) * in) / eps ==
              Approx(fd([&](double d) { return update(v, in, eps + d, tau); })).epsilon(1e-6).margin(1e-9));
    }
}

TEST_CASE("UltraLIF and UltraPLIF parameters are checked by name and value", "[models][ultra]") {
    SECTION("tau") { REQUIRE_THROWS_WITH(UltraLif::validate({.tau = 1.5}), Contains("tau = 1.5") && Contains("(0, 1]")); }
    SECTION("eps") { REQUIRE_THROWS_WITH(UltraLif::validate({.eps = 0.0}), Contains("eps = 0 must be > 0")); }
    SECTION("threshold") { REQUIRE_THROWS_WITH(UltraLif::validate({.v_thresh = -1.0}), Contains("v_thresh = -1")); }
    SECTION("UltraPLIF tau outside the learnable range") {
        REQUIRE_THROWS_WITH(UltraPlif::validate({.tau = 0.999}), Contains("tau = 0.999") && Contains("0.99005"));
    }
    SECTION("UltraPLIF initial tau column values") {
        const std::string config = R"([simulation]
duration = 10.0
[[population]]
name = "plif"
size = 10
model = "UltraPLIF"
init = { tau = { uniform = [-0.5, 0.9] } }
)";
        REQUIRE_THROWS_WITH(myelin::test::parse(config), Contains("tau = -0.5") && Contains("must be > 0"));
    }
    SECTION("in a config: the file position, key and value") {
        const std::string config = R"([simulation]
duration = 10.0
[[population]]
name = "ultra"
size = 10
model = "UltraLIF"
params = { tau = 2.0 }
)";
        REQUIRE_THROWS_WITH(myelin::test::parse(config), Contains("test.toml:7:") && Contains("tau = 2"));
        std::string misspelt = config;
        misspelt.replace(misspelt.find("tau = 2.0"), 9, "tua = 0.9");
        REQUIRE_THROWS_WITH(myelin::test::parse(misspelt), Contains("unknown parameter \"tua\"") && Contains("valid: tau, eps"));
    }
}

TEST_CASE("UltraPLIF with a uniform tau equals UltraLIF with that tau, bit for bit", "[models][ultra]") {
    const auto input = random_input(400, 50, -1.0, 2.0, 13);
    for (const double tau : {0.5, 0.9}) {
        CAPTURE(tau);
        DrivenPopulation<UltraLif> lif(50, {.tau = tau, .eps = 0.4, .v_thresh = 1.0, .i_offset = 0.05});
        DrivenPopulation<UltraPlif> plif(50, {.tau = tau, .eps = 0.4, .v_thresh = 1.0, .i_offset = 0.05});
        std::size_t spikes = 0;
        for (const auto& row : input) {
            const auto fired = lif.step(row);
            REQUIRE(plif.step(row) == fired);
            spikes += fired.size();
        }
        CHECK(spikes > 1000);
        CHECK(std::equal(lif.column("v").begin(), lif.column("v").end(), plif.column("v").begin()));
    }
}

TEST_CASE("UltraPLIF uses each neuron's own tau, clamped to the learnable range", "[models][ultra]") {
    const std::vector<double> taus{0.3, 0.6, 0.9, 0.999};  // the last is used as exp(-0.01)
    const auto input = random_input(300, taus.size(), -1.0, 2.0, 17);
    for (std::size_t i = 0; i < taus.size(); ++i) {
        CAPTURE(i);
        DrivenPopulation<UltraLif> reference(1, {.tau = std::min(taus[i], std::exp(-0.01)), .eps = 0.5});
        std::vector<float> one(1);
        DrivenPopulation<UltraPlif> per_neuron(taus.size(), {.eps = 0.5});
        std::copy(taus.begin(), taus.end(), per_neuron.column("tau").begin());
        for (const auto& row : input) {
            one[0] = row[i];
            const bool fired = !reference.step(one).empty();
            const auto spikes = per_neuron.step(row);
            REQUIRE((std::find(spikes.begin(), spikes.end(), i) != spikes.end()) == fired);
            REQUIRE(per_neuron.column("v")[i] == Approx(reference.column("v")[0]).epsilon(1e-14).margin(1e-300));
        }
    }
}

TEST_CASE("experiments/ultralif.toml runs and every Ultra population fires", "[models][ultra][e2e]") {
    std::ifstream in(MYELIN_SOURCE_DIR "/experiments/ultralif.toml");
    std::ostringstream text;
    text << in.rdbuf();
    REQUIRE(!text.str().empty());
    auto outcome = myelin::test::simulate(myelin::test::parse(text.str(), {"simulation.duration=300"}), 1);
    for (const std::string population : {"ultra", "ring", "learnable"}) {
        CAPTURE(population);
        CHECK(outcome.of(population).size() > 10);
    }
}
