// Test helpers: build networks from TOML text and run them with spikes kept in memory.
#pragma once

#include "experiments/catalogue.hpp"
#include "io/config.hpp"
#include "sim/simulation.hpp"

#include <string>
#include <vector>

namespace myelin::test {

using cli::Catalogue;

const Catalogue& catalogue();  // one shared instance

// Parses a config given as text (relative file names resolve against the working directory).
io::RunSpec parse(const std::string& toml, const std::vector<std::string>& overrides = {});
// Parses a config of the source tree (e.g. "experiments/cuba.toml") with `extra` TOML appended.
io::RunSpec parse_source_config(const std::string& path, const std::string& extra,
                                const std::vector<std::string>& overrides = {});

struct Spike {
    std::int64_t step;
    std::uint32_t neuron;
    bool operator==(const Spike&) const = default;
};

// Every spike of every population, in the order the engine produced them.
class MemoryRecorder final : public sim::Recorder {
public:
    void after_step(const sim::Network& network, std::int64_t step, std::span<const sim::SpikeLists> spikes) override;
    // A recorder that says it reads the network keeps the step loop to single steps.
    bool reads_network() const override { return claims_to_read_network; }
    bool claims_to_read_network = true;
    std::vector<std::vector<Spike>> spikes;  // per population
};

struct Outcome {
    sim::Network network;
    std::vector<std::vector<Spike>> spikes;  // per population
    double seconds_simulated = 0.0;
    std::vector<Spike>& of(const std::string& population) { return spikes.at(network.population_index(population)); }
};

// experiments/stdp.toml made smaller (800 + 200 neurons), plus a Poisson source reaching E
// through random delays and Poisson input onto I: every random and every order-sensitive path
// of the step loop (STDP traces and queues, input rings with input in flight, direct delivery).
io::RunSpec every_path_network(double duration_ms);

// TOML to append to a config with an "exc" population: 40 Poisson sources ("noise", 50 Hz)
// reaching it ("noise_exc") through per-synapse delays of 3 to 10 steps (dt 0.1 ms) with
// release probability 0.5, for the ring loop's per-delay and unreliable delivery.
extern const char* const delayed_unreliable_source;

// Builds `spec` for `threads` threads and runs it for its duration.
Outcome simulate(const io::RunSpec& spec, int threads);

// Mean rate (Hz) and the mean over neurons of the coefficient of variation of inter-spike
// intervals (neurons with at least 3 spikes).
double mean_rate_hz(const std::vector<Spike>& spikes, std::size_t neurons, double seconds);
double mean_isi_cv(const std::vector<Spike>& spikes, std::size_t neurons);

}  // namespace myelin::test
