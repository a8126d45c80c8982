// The engine form of a TESS-trained network (tess_engine_network.hpp).
#include "experiments/tess_engine_network.hpp"

#include <filesystem>
#include <map>
#include <sstream>

namespace myelin::cli {
namespace {

std::string hidden_name(std::size_t layer) { return "hidden" + std::to_string(layer + 1); }

// The trained blocks, by the name stem of their projection pair.
std::map<std::string, DenseLayer> trained_layers(const learning::TessNetwork<float>& network) {
    const learning::TessShape& shape = network.shape();
    const learning::TessLayout& layout = network.layout();
    const float* p = network.parameters().data();
    std::map<std::string, DenseLayer> layers;
    std::string pre = "input";
    std::size_t width = shape.inputs;
    for (std::size_t l = 0; l < shape.hidden.size(); ++l) {
        layers.emplace(pre + "->" + hidden_name(l), DenseLayer{p + layout.weights[l], width, shape.hidden[l]});
        pre = hidden_name(l);
        width = shape.hidden[l];
    }
    layers.emplace(pre + "->output", DenseLayer{p + layout.head_weights, width, shape.classes});
    layers.emplace("bias->output", DenseLayer{p + layout.head_bias, 1, shape.classes});
    return layers;
}

}  // namespace

TrialTiming tess_engine_timing(const learning::TessShape& shape, std::size_t count) {
    return trial_timing(shape.steps, shape.hidden.size() + 1, count);
}

std::string tess_engine_config(const learning::TessTrainer& trainer, std::uint64_t seed, const ImageEngineInput& input) {
    const learning::TessShape& shape = trainer.network().shape();
    const learning::TessSettings& settings = trainer.settings();
    const TrialTiming timing = tess_engine_timing(shape, input.count);
    const std::string T = std::to_string(shape.steps);
    const bool current = settings.encoding == learning::InputEncoding::current;
    std::ostringstream out;
    out << "# The network trained by `myelin train " << input.source << "` (TESS, " << shape.inputs;
    for (const std::size_t width : shape.hidden) out << "-" << width;
    out << "-" << shape.classes << ", T = " << T << "), as the engine runs it (docs/learning.md, \"TESS in the engine\").\n"
        << "# One test image per trial of T steps; sample n's logits are output.v at t = " << timing.first_sample_time
        << " + n*" << T << " ms. The trained weights are the checkpoint's connection tables.\n\n";
    write_image_input(out, timing, seed,
                      {shape.inputs, shape.steps, current ? 0.0 : settings.rate_gain, trainer.encoder().mean(),
                       trainer.encoder().std()},
                      input);
    // The trainer computes in float: its beta and theta are these floats, widened exactly.
    const std::string beta = toml_exact(static_cast<float>(shape.neuron.beta()));
    const std::string theta = toml_exact(static_cast<float>(shape.neuron.theta()));
    for (std::size_t l = 0; l < shape.hidden.size(); ++l)
        out << "[[population]]\nname = \"" << hidden_name(l) << "\"\nsize = " << shape.hidden[l]
            << "\nmodel = \"TessLIF\"\nparams = { beta = " << beta << ", v_thresh = " << theta << " }\n"
            << "reset = { every = " << T << ".0, start = " << timing.reset_start(l + 1)
            << ".0, values = { v = 0.0 } }   # u = 0 at each sample, as in training\n\n";
    out << "[[population]]\nname = \"output\"    # logits = mean over T of the head's output\n"
        << "size = " << shape.classes << "\nmodel = \"Integrator\"\nparams = { gain = "
        << toml_exact(1.0 / static_cast<double>(shape.steps)) << " }\nreset = { every = " << T
        << ".0, start = " << timing.reset_start(timing.depth) << ".0, values = { v = 0.0 } }\n\n";
    std::string pre = "input";
    for (std::size_t l = 0; l < shape.hidden.size(); ++l) {
        write_projection_pair(out, pre, hidden_name(l), l == 0 && current ? "current" : "");
        pre = hidden_name(l);
    }
    write_projection_pair(out, pre, "output");
    write_projection_pair(out, "bias", "output");
    for (std::size_t l = 0; l < shape.hidden.size(); ++l)
        out << "[[record]]\npopulation = \"" << hidden_name(l) << "\"\nspikes = true\n\n";
    out << "[[record]]\npopulation = \"output\"\nspikes = false\nstate = [\"v\"]\nneurons = \"all\"\ninterval = " << T
        << ".0\n";
    if (!input.output.empty()) out << "\n[output]\nfile = " << toml_quoted(input.output) << "\n";
    return out.str();
}

io::RunSpec tess_engine_run(const learning::TessTrainer& trainer, std::uint64_t seed, const ImageEngineInput& input,
                            const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules) {
    // A name for messages and relative paths: the training config's, with .engine.toml.
    const std::filesystem::path source(input.source.empty() ? "tess.toml" : input.source);
    const std::string path = (source.parent_path() / (source.stem().string() + ".engine.toml")).string();
    return parse_with_tables(tess_engine_config(trainer, seed, input), path, trained_layers(trainer.network()), models,
                             rules);
}

void write_tess_engine_checkpoint(const std::string& path, const learning::TessTrainer& trainer, std::uint64_t seed,
                                  const ImageEngineInput& input, const sim::ModelRegistry& models,
                                  const sim::PlasticityRegistry& rules) {
    write_network_checkpoint(path, tess_engine_run(trainer, seed, input, models, rules), models, rules);
}

}  // namespace myelin::cli
