// The one-screen summary of a run, and the same as JSON (for benchmarks and scripts).
#pragma once

#include "io/hdf5_recording.hpp"
#include "io/run_spec.hpp"
#include "sim/simulation.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace myelin::cli {

struct PopulationReport {
    std::string name, model;
    std::size_t size = 0;
    std::uint64_t spikes = 0;
    double rate_hz = 0.0;
};

struct RunReport {
    std::string config, output;
    std::size_t neurons = 0, synapses = 0, synapse_bytes = 0, state_bytes = 0;
    std::uint64_t synaptic_events = 0;  // spikes x out-degree, summed over projections
    double dt = 0.0, duration_ms = 0.0, simulated_ms = 0.0;
    std::int64_t steps = 0;
    int threads = 1;
    std::uint64_t seed = 0;
    double build_seconds = 0.0, sim_seconds = 0.0;
    std::size_t peak_rss_bytes = 0;
    bool interrupted = false;
    std::vector<PopulationReport> populations;
};

RunReport make_report(const io::RunSpec& run, const sim::Network& network, const sim::Simulation& simulation,
                      const io::RunOutcome& outcome, const std::string& output);
void print_summary(std::ostream& out, const RunReport& report);
void write_report_json(const std::string& path, const RunReport& report);

}  // namespace myelin::cli
