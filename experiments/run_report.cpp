// Run summaries (run_report.hpp).
#include "experiments/run_report.hpp"

#include "sim/error.hpp"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>

namespace myelin::cli {

std::size_t peak_rss_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

RunReport make_report(const io::RunSpec& run, const sim::Network& network, const sim::Simulation& simulation,
                      const io::RunOutcome& outcome, const std::string& output) {
    RunReport r;
    r.config = run.config_path;
    r.output = output;
    r.neurons = network.neuron_count();
    r.synapses = network.synapse_count();
    r.synapse_bytes = network.synapse_bytes();
    r.state_bytes = network.state_bytes();
    for (const auto& projection : network.projections) r.synaptic_events += projection->events();
    r.dt = network.dt;
    r.duration_ms = run.duration;
    r.steps = outcome.steps;
    r.simulated_ms = static_cast<double>(outcome.steps) * network.dt;
    r.threads = outcome.threads;
    r.seed = network.seed;
    r.build_seconds = outcome.build_seconds;
    r.sim_seconds = outcome.wall_seconds;
    r.peak_rss_bytes = peak_rss_bytes();
    r.interrupted = outcome.interrupted;
    for (std::size_t p = 0; p < network.populations.size(); ++p) {
        const sim::Population& population = *network.populations[p];
        PopulationReport pr{population.name(), std::string(population.model()), population.size(),
                            simulation.spike_counts()[p], 0.0};
        if (r.simulated_ms > 0)
            pr.rate_hz = static_cast<double>(pr.spikes) / static_cast<double>(pr.size) / (r.simulated_ms / 1000.0);
        r.populations.push_back(pr);
    }
    return r;
}

void print_summary(std::ostream& out, const RunReport& r) {
    char line[256];
    std::snprintf(line, sizeof line, "%s: %zu neurons, %zu synapses, dt %g ms, %g ms simulated%s, %d thread%s, seed %llu\n",
                  r.config.c_str(), r.neurons, r.synapses, r.dt, r.simulated_ms, r.interrupted ? " (interrupted)" : "",
                  r.threads, r.threads == 1 ? "" : "s", static_cast<unsigned long long>(r.seed));
    out << line;
    std::snprintf(line, sizeof line, "  build     %8.3f s\n", r.build_seconds);
    out << line;
    const double rtf = r.simulated_ms > 0 ? r.sim_seconds / (r.simulated_ms / 1000.0) : 0.0;
    std::snprintf(line, sizeof line, "  simulate  %8.3f s   real-time factor %.3g (%.3gx %s than real time)\n", r.sim_seconds, rtf,
                  rtf > 0 && rtf < 1 ? 1.0 / rtf : rtf, rtf < 1 ? "faster" : "slower");
    out << line;
    std::snprintf(line, sizeof line, "  events    %.4g synaptic events, %.3g per second of wall time\n",
                  static_cast<double>(r.synaptic_events), r.sim_seconds > 0 ? static_cast<double>(r.synaptic_events) / r.sim_seconds : 0.0);
    out << line;
    std::snprintf(line, sizeof line, "  memory    %.1f MB synapses (%.2f B/synapse), %.1f MB neuron state, %.1f MB peak RSS\n",
                  static_cast<double>(r.synapse_bytes) / 1e6,
                  r.synapses ? static_cast<double>(r.synapse_bytes) / static_cast<double>(r.synapses) : 0.0,
                  static_cast<double>(r.state_bytes) / 1e6, static_cast<double>(r.peak_rss_bytes) / 1e6);
    out << line;
    out << "  population              model                  size       spikes   rate (Hz)\n";
    for (const auto& p : r.populations) {
        std::snprintf(line, sizeof line, "  %-22s  %-20s %8zu %12llu %11.3f\n", p.name.c_str(), p.model.c_str(), p.size,
                      static_cast<unsigned long long>(p.spikes), p.rate_hz);
        out << line;
    }
    if (!r.output.empty()) out << "  recording " << r.output << "\n";
}

void write_report_json(const std::string& path, const RunReport& r) {
    nlohmann::json j;
    j["config"] = r.config;
    j["output"] = r.output;
    j["neurons"] = r.neurons;
    j["synapses"] = r.synapses;
    j["synapse_bytes"] = r.synapse_bytes;
    j["state_bytes"] = r.state_bytes;
    j["synaptic_events"] = r.synaptic_events;
    j["dt_ms"] = r.dt;
    j["duration_ms"] = r.duration_ms;
    j["simulated_ms"] = r.simulated_ms;
    j["steps"] = r.steps;
    j["threads"] = r.threads;
    j["seed"] = r.seed;
    j["build_s"] = r.build_seconds;
    j["sim_s"] = r.sim_seconds;
    j["peak_rss_bytes"] = r.peak_rss_bytes;
    j["interrupted"] = r.interrupted;
    for (const auto& p : r.populations) {
        j["spikes"][p.name] = p.spikes;
        j["rate_hz"][p.name] = p.rate_hz;
        j["size"][p.name] = p.size;
    }
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary);
        out << j.dump(2) << "\n";
        if (!out) throw IoError(path, "cannot write the JSON report");
    }
    std::filesystem::rename(temporary, path);
}

}  // namespace myelin::cli
