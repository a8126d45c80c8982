// The Potjans-Diesmann microcircuit (experiments/microcircuit.toml) at 3% scale: every
// population fires near the published full-scale rate (issue 8). Scaling N with in-degrees
// kept (NEST's K_scaling = 1) keeps each neuron's mean input, not its fluctuations or the
// network's correlations (multapses: at 3% an L5e neuron gets ~12 synapses from each L5i
// neuron), so rates rise as the scale falls (van Albada, Helias & Diesmann 2015). Measured with
// this seed, rate / published is at most 1.5 at 10% scale and 2.3 at 3% (docs/microcircuit.md):
// the band is a factor 3. What it catches is a wrong table, weight, delay or background, each
// of which moves some population by far more, or silences it.
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

TEST_CASE("the microcircuit at 3% scale fires near the published rates in every population", "[e2e][microcircuit][issue-8]") {
    std::ifstream file(std::string(MYELIN_SOURCE_DIR) + "/experiments/microcircuit.toml");
    std::stringstream text;
    text << file.rdbuf();
    const auto spec = myelin::test::parse(text.str(), {"simulation.scale=0.03", "simulation.duration=600.0"});
    auto run = myelin::test::simulate(spec, 2);
    // Potjans & Diesmann 2014, Fig. 6 (spontaneous activity), Hz.
    const std::vector<std::pair<std::string, double>> published{{"L23e", 0.9}, {"L23i", 2.8}, {"L4e", 4.4}, {"L4i", 5.7},
                                                                {"L5e", 7.6},  {"L5i", 8.2},  {"L6e", 1.1}, {"L6i", 7.8}};
    const std::int64_t skip = 1000;  // the first 100 ms: the start from random potentials
    for (const auto& [name, rate] : published) {
        const auto& spikes = run.of(name);
        const std::size_t size = run.network.populations[run.network.population_index(name)]->size();
        std::size_t counted = 0;
        for (const auto& s : spikes) counted += s.step >= skip;
        const double measured = static_cast<double>(counted) / static_cast<double>(size) / 0.5;
        CAPTURE(name, size, measured, rate);
        CHECK(measured > rate / 3.0);
        CHECK(measured < rate * 3.0);
    }
}
