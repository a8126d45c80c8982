// The engine form of a BPTT-trained network (bptt_engine_network.hpp).
#include "experiments/bptt_engine_network.hpp"

#include "io/checkpoint.hpp"
#include "io/config.hpp"
#include "sim/error.hpp"
#include "sim/network.hpp"
#include "sim/simulation.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

namespace myelin::cli {
namespace {

using learning::BpttNeuron;

// Round-trips a double exactly (and a float widened to double).
std::string exact(double x) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", x);
    return text;
}

std::string toml_string(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// A dense block of the parameter vector as weights (post x pre, column-major as Eigen keeps it).
struct DenseLayer {
    const float* weights;  // weights[pre * posts + post]
    std::size_t pres, posts;
};

// The synapses of `layer` with weights of one sign (>= 0 for the excitatory projection, < 0
// for the inhibitory one): per-synapse weights, delay one step, sorted by pre then post.
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

// The four trained layers, by the name stem of their projection pair.
std::map<std::string, DenseLayer> trained_layers(const learning::BpttNetwork<float>& network) {
    const learning::BpttShape& s = network.shape();
    const learning::BpttLayout& l = network.layout();
    const float* p = network.parameters().data();
    return {{"input->hidden", {p + l.w1, s.inputs, s.hidden}},
            {"bias->hidden", {p + l.b1, 1, s.hidden}},
            {"hidden->output", {p + l.w2, s.hidden, s.classes}},
            {"bias->output", {p + l.b2, 1, s.classes}}};
}

}  // namespace

BpttEngineTiming bptt_engine_timing(std::size_t steps, std::size_t count) {
    BpttEngineTiming timing;
    timing.steps = steps;
    // The readout of sample n is complete after step start + n*T + T + 1 (one step of delay
    // into the hidden layer, one into the readout); starting at start = -2 mod T puts every
    // sample's end on the recording grid (multiples of T).
    timing.start = (steps - 2 % steps) % steps;
    timing.first_sample_time = timing.start + 2 + steps;
    timing.duration = timing.start + count * steps + 2;
    return timing;
}

std::string bptt_engine_config(const learning::BpttTrainer& trainer, std::uint64_t seed, const BpttEngineInput& input) {
    const learning::BpttNetwork<float>& network = trainer.network();
    const learning::BpttShape& shape = network.shape();
    const learning::BpttSettings& settings = trainer.settings();
    if (shape.neuron == BpttNeuron::lif)
        throw ParamError("neuron", "neuron = \"LIF\" (the surrogate baseline) cannot be written as an engine network: "
                                   "its update V = tau V + I with a reset to 0 is none of the engine's models; the "
                                   "Ultra* neurons can");
    const BpttEngineTiming timing = bptt_engine_timing(shape.steps, input.count);
    const std::string T = std::to_string(shape.steps);
    const bool current = settings.encoding == learning::BpttEncoding::current;
    std::ostringstream out;
    out << "# The network trained by `myelin train " << input.source << "` (BPTT, "
        << learning::bptt_neuron_name(shape.neuron) << " " << shape.inputs << "-" << shape.hidden << "-" << shape.classes
        << ", T = " << T << "), as the engine runs it (docs/learning.md, \"Running a trained network in the engine\").\n"
        << "# One test image per trial of T steps; sample n's logits are output.v at t = " << timing.first_sample_time
        << " + n*" << T << " ms. The trained weights are the checkpoint's connection tables.\n\n"
        << "[simulation]\ndt = 1.0            # ms: one engine step is one step of the trainer\n"
        << "duration = " << timing.duration << ".0\nseed = " << seed << "\n\n";
    out << "[[population]]\nname = \"input\"     # population 0: its rate code is the trainer's test-set code\n"
        << "size = " << shape.inputs << "\nmodel = \"ImageSequenceEncoder\"\n"
        << "params = { period = " << T << ".0, start = " << timing.start << ".0, rate_gain = "
        << (current ? std::string("0.0") : exact(settings.rate_gain)) << ", mean = " << exact(trainer.input_mean())
        << ", std = " << exact(trainer.input_std()) << " }\n"
        << "encoder = { dataset = " << toml_string(input.dataset) << ", split = \"test\", first = 0, count = " << input.count;
    if (!input.directory.empty()) out << ", path = " << toml_string(std::filesystem::absolute(input.directory).string());
    out << " }\n\n";
    out << "[[population]]\nname = \"bias\"      # fires every step: its weights are the biases\nsize = 1\n"
        << "model = \"PoissonEncoder\"\nparams = { max_rate = 1000.0 }   # probability max_rate*dt/1000 = 1\n"
        << "init = { intensity = 1.0 }\n\n";
    out << "[[population]]\nname = \"hidden\"\nsize = " << shape.hidden << "\nmodel = \""
        << learning::bptt_neuron_name(shape.neuron) << "\"\n";
    const std::string eps = exact(static_cast<double>(network.eps())), theta = exact(shape.v_thresh);
    switch (shape.neuron) {
        case BpttNeuron::ultra_lif:
            out << "params = { tau = " << exact(shape.tau) << ", eps = " << eps << ", v_thresh = " << theta << " }\n";
            break;
        case BpttNeuron::ultra_plif: {
            out << "params = { eps = " << eps << ", v_thresh = " << theta << " }\ninit = { tau = { values = [";
            for (std::size_t i = 0; i < shape.hidden; ++i)
                out << (i ? ", " : "") << exact(std::exp(static_cast<double>(network.log_tau(i))));
            out << "] } }\n";
            break;
        }
        case BpttNeuron::ultra_dlif:
            out << "params = { coupling = 1.0, eps = " << eps << ", v_thresh = " << theta << " }\n";
            break;
        case BpttNeuron::lif: break;
    }
    out << "reset = { every = " << T << ".0, start = " << timing.start + 1
        << ".0, values = { v = 0.0, s = 0.0 } }   # V = 0 at each sample, as in training\n\n";
    out << "[[population]]\nname = \"output\"    # logits = mean over T of the readout of the soft spikes\n"
        << "size = " << shape.classes << "\nmodel = \"Integrator\"\nparams = { gain = " << exact(1.0 / static_cast<double>(shape.steps))
        << " }\nreset = { every = " << T << ".0, start = " << timing.start + 2 << ".0, values = { v = 0.0 } }\n\n";
    const auto projection_pair = [&](const std::string& pre, const std::string& post, const std::string& transmit) {
        for (const bool negative : {false, true}) {
            out << "[[projection]]\nname = \"" << pre << "->" << post << (negative ? "-" : "+") << "\"\npre = \"" << pre
                << "\"\npost = \"" << post << "\"\nreceptor = \"" << (negative ? "inhibitory" : "excitatory")
                << "\"\nconnect = { rule = \"all_to_all\" }\nweight = 0.0       # the trained weights: connection tables\n";
            if (!transmit.empty()) out << "transmit = \"" << transmit << "\"\n";
            out << "\n";
        }
    };
    projection_pair("input", "hidden", current ? "current" : "");
    projection_pair("bias", "hidden", "");
    projection_pair("hidden", "output", "s");  // the soft spikes, as the trainer's readout integrates them
    projection_pair("bias", "output", "");
    out << "[[record]]\npopulation = \"hidden\"\nspikes = true\n\n"
        << "[[record]]\npopulation = \"output\"\nspikes = false\nstate = [\"v\"]\nneurons = \"all\"\ninterval = " << T
        << ".0\n";
    if (!input.output.empty()) out << "\n[output]\nfile = " << toml_string(input.output) << "\n";
    return out.str();
}

io::RunSpec bptt_engine_run(const learning::BpttTrainer& trainer, std::uint64_t seed, const BpttEngineInput& input,
                            const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules) {
    const std::string text = bptt_engine_config(trainer, seed, input);
    // A name for messages and relative paths: the training config's, with .engine.toml.
    const std::filesystem::path source(input.source.empty() ? "bptt.toml" : input.source);
    const std::string path = (source.parent_path() / (source.stem().string() + ".engine.toml")).string();
    io::RunSpec run = io::parse_config(text, path, {}, models, rules);
    const auto layers = trained_layers(trainer.network());
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

void write_bptt_engine_checkpoint(const std::string& path, const learning::BpttTrainer& trainer, std::uint64_t seed,
                                  const BpttEngineInput& input, const sim::ModelRegistry& models,
                                  const sim::PlasticityRegistry& rules) {
    const io::RunSpec run = bptt_engine_run(trainer, seed, input, models, rules);
    sim::Network network = sim::build(run.network, models, rules, 1);
    const sim::Simulation simulation(network);
    io::write_checkpoint(path, run, network, simulation);
}

}  // namespace myelin::cli
