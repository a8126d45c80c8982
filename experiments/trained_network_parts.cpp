// Pieces of the engine forms of trained image classifiers (trained_network_parts.hpp).
#include "experiments/trained_network_parts.hpp"

#include "io/checkpoint.hpp"
#include "io/config.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

#include <cstdio>
#include <filesystem>

namespace myelin::cli {

TrialTiming trial_timing(std::size_t steps, std::size_t depth, std::size_t count) {
    TrialTiming timing;
    timing.steps = steps;
    timing.depth = depth;
    timing.start = (steps - depth % steps) % steps;
    timing.first_sample_time = timing.start + depth + steps;
    timing.duration = timing.start + count * steps + depth;
    return timing;
}

std::string toml_exact(double x) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", x);
    return text;
}

std::string toml_quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

void write_image_input(std::ostream& out, const TrialTiming& timing, std::uint64_t seed, const ImageInputCode& code,
                       const ImageEngineInput& input) {
    const std::string T = std::to_string(code.steps);
    out << "[simulation]\ndt = 1.0            # ms: one engine step is one step of the trainer\n"
        << "duration = " << timing.duration << ".0\nseed = " << seed << "\n\n";
    out << "[[population]]\nname = \"input\"     # population 0: its rate code is the trainer's test-set code\n"
        << "size = " << code.inputs << "\nmodel = \"ImageSequenceEncoder\"\n"
        << "params = { period = " << T << ".0, start = " << timing.start << ".0, rate_gain = " << toml_exact(code.rate_gain)
        << ", mean = " << toml_exact(code.mean) << ", std = " << toml_exact(code.std) << " }\n"
        << "encoder = { dataset = " << toml_quoted(input.dataset) << ", split = \"test\", first = 0, count = " << input.count;
    if (!input.directory.empty()) out << ", path = " << toml_quoted(std::filesystem::absolute(input.directory).string());
    out << " }\n\n";
    out << "[[population]]\nname = \"bias\"      # fires every step: its weights are the biases\nsize = 1\n"
        << "model = \"PoissonEncoder\"\nparams = { max_rate = 1000.0 }   # probability max_rate*dt/1000 = 1\n"
        << "init = { intensity = 1.0 }\n\n";
}

void write_projection_pair(std::ostream& out, const std::string& pre, const std::string& post, const std::string& transmit) {
    for (const bool negative : {false, true}) {
        out << "[[projection]]\nname = \"" << pre << "->" << post << (negative ? "-" : "+") << "\"\npre = \"" << pre
            << "\"\npost = \"" << post << "\"\nreceptor = \"" << (negative ? "inhibitory" : "excitatory")
            << "\"\nconnect = { rule = \"all_to_all\" }\nweight = 0.0       # the trained weights: connection tables\n";
        if (!transmit.empty()) out << "transmit = \"" << transmit << "\"\n";
        out << "\n";
    }
}

std::shared_ptr<const sim::ConnectionTable> signed_table(const DenseLayer& layer, bool negative) {
    auto table = std::make_shared<sim::ConnectionTable>();
    table->per_synapse_weight = true;
    for (std::size_t pre = 0; pre < layer.pres; ++pre)
        for (std::size_t post = 0; post < layer.posts; ++post) {
            const float w = layer.weights[pre * layer.posts + post];
            if ((w < 0.0f) != negative) continue;
            table->pre.push_back(static_cast<std::uint32_t>(pre));
            table->post.push_back(static_cast<std::uint32_t>(post));
            table->weight.push_back(w);
            table->delay.push_back(1);
        }
    return table;
}

io::RunSpec parse_with_tables(const std::string& text, const std::string& path,
                              const std::map<std::string, DenseLayer>& layers, const sim::ModelRegistry& models,
                              const sim::PlasticityRegistry& rules) {
    io::RunSpec run = io::parse_config(text, path, {}, models, rules);
    for (sim::ProjectionSpec& projection : run.network.projections) {
        const std::string stem = projection.name.substr(0, projection.name.size() - 1);
        const auto table = signed_table(layers.at(stem), projection.name.back() == '-');
        projection.connect = sim::ConnectorSpec{};
        projection.connect.rule = sim::ConnectorSpec::Rule::table;
        projection.connect.table = table;
    }
    sim::validate(run.network, models, rules);
    return run;
}

void write_network_checkpoint(const std::string& path, const io::RunSpec& run, const sim::ModelRegistry& models,
                              const sim::PlasticityRegistry& rules) {
    sim::Network network = sim::build(run.network, models, rules, 1);
    const sim::Simulation simulation(network);
    io::write_checkpoint(path, run, network, simulation);
}

}  // namespace myelin::cli
