// Test helpers (simulate.hpp).
#include "support/simulate.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

namespace myelin::test {

const Catalogue& catalogue() {
    static const Catalogue instance;
    return instance;
}

io::RunSpec parse(const std::string& toml, const std::vector<std::string>& overrides) {
    return io::parse_config(toml, "test.toml", io::ConfigOverrides{overrides}, catalogue().models, catalogue().rules);
}

io::RunSpec parse_source_config(const std::string& path, const std::string& extra,
                                const std::vector<std::string>& overrides) {
    std::ifstream in(std::string(MYELIN_SOURCE_DIR "/") + path);
    std::ostringstream config;
    config << in.rdbuf() << extra;
    return parse(config.str(), overrides);
}

io::RunSpec every_path_network(double duration_ms) {
    return parse_source_config("experiments/stdp.toml", R"(
[[population]]
name = "noise"
size = 40
model = "SpikeSourcePoisson"
params = { rate = 20.0 }
[[projection]]
name = "noise_exc"
pre = "noise"
post = "exc"
connect = { rule = "fixed_probability", p = 0.1 }
weight = { normal = [0.01, 0.005], clip = [0.0, 0.05] }
delay = { uniform = [0.1, 3.0] }
[[poisson_input]]
target = "inh"
rate = 500.0
weight = 0.01
)",
                               {"simulation.duration=" + std::to_string(duration_ms), "population.exc.size=800",
                                "population.inh.size=200", "projection.ee.connect.p=0.08", "projection.ei.connect.p=0.08",
                                "projection.ie.connect.p=0.08", "projection.ii.connect.p=0.08"});
}

void MemoryRecorder::after_step(const sim::Network& network, std::int64_t step, std::span<const sim::SpikeLists> lists) {
    spikes.resize(network.populations.size());
    for (std::size_t p = 0; p < lists.size(); ++p)
        for (const auto& list : lists[p])
            for (const std::uint32_t i : list) spikes[p].push_back({step, i});
}

Outcome simulate(const io::RunSpec& spec, int threads) {
    Outcome out{sim::build(spec.network, catalogue().models, catalogue().rules, threads), {}, 0.0};
    sim::Simulation simulation(out.network);
    MemoryRecorder recorder;
    recorder.spikes.resize(out.network.populations.size());
    const auto steps = static_cast<std::int64_t>(std::llround(spec.duration / spec.network.dt));
    simulation.run(steps, &recorder);
    out.spikes = std::move(recorder.spikes);
    out.seconds_simulated = static_cast<double>(steps) * spec.network.dt / 1000.0;
    return out;
}

double mean_rate_hz(const std::vector<Spike>& spikes, std::size_t neurons, double seconds) {
    return static_cast<double>(spikes.size()) / static_cast<double>(neurons) / seconds;
}

double mean_isi_cv(const std::vector<Spike>& spikes, std::size_t neurons) {
    std::vector<std::vector<double>> times(neurons);
    for (const auto& s : spikes) times[s.neuron].push_back(static_cast<double>(s.step));
    double sum = 0.0;
    int counted = 0;
    for (const auto& t : times) {
        if (t.size() < 3) continue;
        std::vector<double> isi;
        for (std::size_t k = 1; k < t.size(); ++k) isi.push_back(t[k] - t[k - 1]);
        double mean = 0.0, var = 0.0;
        for (const double x : isi) mean += x;
        mean /= static_cast<double>(isi.size());
        for (const double x : isi) var += (x - mean) * (x - mean);
        var /= static_cast<double>(isi.size());
        sum += std::sqrt(var) / mean;
        ++counted;
    }
    return counted ? sum / counted : 0.0;
}

const char* const delayed_unreliable_source = R"(
[[population]]
name = "noise"
size = 40
model = "SpikeSourcePoisson"
params = { rate = 50.0 }
[[projection]]
name = "noise_exc"
pre = "noise"
post = "exc"
connect = { rule = "fixed_probability", p = 0.2 }
weight = 0.5
delay = { uniform = [0.3, 1.0] }
release_probability = 0.5
)";

}  // namespace myelin::test
