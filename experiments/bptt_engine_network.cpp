// The engine form of a BPTT-trained network (bptt_engine_network.hpp).
#include "experiments/bptt_engine_network.hpp"

#include "sim/error.hpp"

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

namespace myelin::cli {
namespace {

using learning::BpttNeuron;

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

TrialTiming bptt_engine_timing(std::size_t steps, std::size_t count) { return trial_timing(steps, 2, count); }

std::string bptt_engine_config(const learning::BpttTrainer& trainer, std::uint64_t seed, const ImageEngineInput& input) {
    const learning::BpttNetwork<float>& network = trainer.network();
    const learning::BpttShape& shape = network.shape();
    const learning::BpttSettings& settings = trainer.settings();
    if (shape.neuron == BpttNeuron::lif)
        throw ParamError("neuron", "neuron = \"LIF\" (the surrogate baseline) cannot be written as an engine network: "
                                   "its update V = tau V + I with a reset to 0 is none of the engine's models; the "
                                   "Ultra* neurons can");
    const TrialTiming timing = bptt_engine_timing(shape.steps, input.count);
    const std::string T = std::to_string(shape.steps);
    const bool current = settings.encoding == learning::BpttEncoding::current;
    std::ostringstream out;
    out << "# The network trained by `myelin train " << input.source << "` (BPTT, "
        << learning::bptt_neuron_name(shape.neuron) << " " << shape.inputs << "-" << shape.hidden << "-" << shape.classes
        << ", T = " << T << "), as the engine runs it (docs/learning.md, \"Running a trained network in the engine\").\n"
        << "# One test image per trial of T steps; sample n's logits are output.v at t = " << timing.first_sample_time
        << " + n*" << T << " ms. The trained weights are the checkpoint's connection tables.\n\n";
    write_image_input(out, timing, seed,
                      {shape.inputs, shape.steps, current ? 0.0 : settings.rate_gain, trainer.input_mean(), trainer.input_std()},
                      input);
    out << "[[population]]\nname = \"hidden\"\nsize = " << shape.hidden << "\nmodel = \""
        << learning::bptt_neuron_name(shape.neuron) << "\"\n";
    const std::string eps = toml_exact(static_cast<double>(network.eps())), theta = toml_exact(shape.v_thresh);
    switch (shape.neuron) {
        case BpttNeuron::ultra_lif:
            out << "params = { tau = " << toml_exact(shape.tau) << ", eps = " << eps << ", v_thresh = " << theta << " }\n";
            break;
        case BpttNeuron::ultra_plif: {
            out << "params = { eps = " << eps << ", v_thresh = " << theta << " }\ninit = { tau = { values = [";
            for (std::size_t i = 0; i < shape.hidden; ++i)
                out << (i ? ", " : "") << toml_exact(std::exp(static_cast<double>(network.log_tau(i))));
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
        << "size = " << shape.classes << "\nmodel = \"Integrator\"\nparams = { gain = " << toml_exact(1.0 / static_cast<double>(shape.steps))
        << " }\nreset = { every = " << T << ".0, start = " << timing.start + 2 << ".0, values = { v = 0.0 } }\n\n";
    write_projection_pair(out, "input", "hidden", current ? "current" : "");
    write_projection_pair(out, "bias", "hidden", "");
    write_projection_pair(out, "hidden", "output", "s");  // the soft spikes, as the trainer's readout integrates them
    write_projection_pair(out, "bias", "output", "");
    out << "[[record]]\npopulation = \"hidden\"\nspikes = true\n\n"
        << "[[record]]\npopulation = \"output\"\nspikes = false\nstate = [\"v\"]\nneurons = \"all\"\ninterval = " << T
        << ".0\n";
    if (!input.output.empty()) out << "\n[output]\nfile = " << toml_quoted(input.output) << "\n";
    return out.str();
}

io::RunSpec bptt_engine_run(const learning::BpttTrainer& trainer, std::uint64_t seed, const ImageEngineInput& input,
                            const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules) {
    // A name for messages and relative paths: the training config's, with .engine.toml.
    const std::filesystem::path source(input.source.empty() ? "bptt.toml" : input.source);
    const std::string path = (source.parent_path() / (source.stem().string() + ".engine.toml")).string();
    return parse_with_tables(bptt_engine_config(trainer, seed, input), path, trained_layers(trainer.network()), models, rules);
}

void write_bptt_engine_checkpoint(const std::string& path, const learning::BpttTrainer& trainer, std::uint64_t seed,
                                  const ImageEngineInput& input, const sim::ModelRegistry& models,
                                  const sim::PlasticityRegistry& rules) {
    write_network_checkpoint(path, bptt_engine_run(trainer, seed, input, models, rules), models, rules);
}

}  // namespace myelin::cli
