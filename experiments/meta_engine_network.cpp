// The engine form of a trained meta-neuron layer (meta_engine_network.hpp).
#include "experiments/meta_engine_network.hpp"

#include "experiments/catalogue.hpp"
#include "experiments/meta_experiment.hpp"
#include "experiments/trained_network_parts.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

namespace myelin::cli {
namespace {

constexpr std::uint32_t readout_draw_object = 0x4E1;  // the read-out's training-sample draws

template <typename Values>
std::string toml_array(const Values& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + toml_exact(static_cast<double>(values[i]));
    return out + "]";
}

}  // namespace

MetaEngineTiming meta_engine_timing(double dt, std::size_t steps, std::size_t count) {
    return {dt, steps, count, 1 + steps * count};
}

learning::CentroidClassifier fit_meta_readout(const learning::MetaParameters& params,
                                              const std::vector<learning::SpikeSample>& train, int classes,
                                              std::uint64_t seed) {
    const sim::RandomKey key = sim::RandomKey::make(seed, sim::RandomPurpose::trainer, readout_draw_object);
    std::vector<std::vector<double>> features(train.size());
    std::vector<int> labels(train.size());
    // Determinism: sample s draws from (key, s) alone and lands at index s.
    tbb::parallel_for(std::size_t{0}, train.size(), [&](std::size_t s) {
        const learning::MetaOutput out =
            learning::run_meta_layer(params, train[s], learning::ForwardMode::sample, key, static_cast<std::uint32_t>(s));
        std::vector<std::vector<std::uint8_t>> trains;
        for (std::size_t k = 0; k < out.neurons; ++k) trains.push_back(out.train(k));
        features[s] = learning::lzc_features(trains);
        labels[s] = train[s].label;
    });
    learning::CentroidClassifier classifier;
    classifier.fit(features, labels, classes);
    return classifier;
}

std::string meta_engine_config(const learning::MetaParameters& params, const std::vector<learning::SpikeSample>& test,
                               double dt, const learning::CentroidClassifier& readout, std::uint64_t seed,
                               const MetaEngineInput& input) {
    const std::size_t steps = test.empty() ? 0 : test.front().steps;
    const MetaEngineTiming timing = meta_engine_timing(dt, steps, test.size());
    const std::size_t neurons = params.neurons(), inputs = params.inputs();
    std::ostringstream out;
    out << "# The meta-neuron layer trained by `myelin train " << input.source << "` (" << neurons << " neurons, "
        << inputs << " inputs), as the engine runs it (docs/learning.md, \"Meta neurons in the engine\").\n"
        << "# Test sample n reaches population \"meta\" in steps [1 + n*" << steps << ", 1 + (n+1)*" << steps
        << "); its class from a run: /usr/bin/python3 experiments/meta_engine_accuracy.py RUN.h5\n"
        << "# The SNN-LZC read-out: nearest centroid of the output trains' normalised LZ complexities, each\n"
        << "# scaled by inverse_spread (fitted on the training samples); labels: the test samples' classes.\n"
        << "# readout.steps = " << steps << "\n# readout.centroids = [";
    for (std::size_t c = 0; c < readout.centroids().size(); ++c) out << (c ? ", " : "") << toml_array(readout.centroids()[c]);
    out << "]\n# readout.inverse_spread = " << toml_array(readout.inverse_spread()) << "\n# readout.labels = [";
    for (std::size_t s = 0; s < test.size(); ++s) out << (s ? ", " : "") << test[s].label;
    out << "]\n\n[simulation]\ndt = " << toml_exact(dt) << "\nduration = " << toml_exact(static_cast<double>(timing.duration) * dt)
        << "\nseed = " << seed << "\n\n";
    // Input i's spike in step t of sample n is emitted in step n*S + t, i.e. stamped (n*S + t + 1) dt.
    std::vector<std::vector<std::size_t>> emitted(inputs);
    for (std::size_t n = 0; n < test.size(); ++n)
        for (std::size_t t = 0; t < test[n].steps; ++t)
            for (const std::uint32_t i : test[n].spikes_at(t)) emitted[i].push_back(n * steps + t + 1);
    out << "[[population]]\nname = \"inputs\"    # the test samples, one after another\nsize = " << inputs
        << "\nmodel = \"SpikeSourceArray\"\nparams = { spike_times = [";
    for (std::size_t i = 0; i < inputs; ++i) {
        out << (i ? ", [" : "[");
        for (std::size_t j = 0; j < emitted[i].size(); ++j)
            out << (j ? ", " : "") << toml_exact(static_cast<double>(emitted[i][j]) * dt);
        out << "]";
    }
    out << "] }\n\n";
    std::vector<double> tau_m(neurons), theta(neurons), temperature(neurons);
    for (std::size_t k = 0; k < neurons; ++k) {
        tau_m[k] = -dt / std::log(params.decay(k));  // exp(-dt/tau_m) = beta
        theta[k] = params.threshold(k);
        temperature[k] = params.temperature(k);
    }
    out << "[[population]]\nname = \"meta\"\nsize = " << neurons << "\nmodel = \"MetaNeuron\"\n"
        << "params = { cm = 1.0, v_rest = 0.0, v_reset = 0.0, v_thresh = "
        << toml_exact(*std::max_element(theta.begin(), theta.end())) << ", p_release = 1.0, i_offset = 0.0 }\n"
        << "init = { tau_m = { values = " << toml_array(tau_m) << " }, v_thresh = { values = " << toml_array(theta)
        << " }, temperature = { values = " << toml_array(temperature) << " } }\n"
        << "reset = { every = " << toml_exact(static_cast<double>(steps) * dt) << ", start = " << toml_exact(dt)
        << ", values = { v = 0.0 } }   # u = 0 at each sample, as in training\n\n";
    write_projection_pair(out, "inputs", "meta");
    out << "[[record]]\npopulation = \"meta\"\nspikes = true\n";
    if (!input.output.empty()) out << "\n[output]\nfile = " << toml_quoted(input.output) << "\n";
    return out.str();
}

io::RunSpec meta_engine_run(const learning::MetaParameters& params, const std::vector<learning::SpikeSample>& test,
                            double dt, const learning::CentroidClassifier& readout, std::uint64_t seed,
                            const MetaEngineInput& input, const sim::ModelRegistry& models,
                            const sim::PlasticityRegistry& rules) {
    // The trained weights as DenseLayer wants them, [input][neuron]; float, as the engine keeps
    // weights (a relative change below 1e-7, far inside the statistical comparison).
    std::vector<float> weights(params.weight_count());
    for (std::size_t k = 0; k < params.neurons(); ++k)
        for (std::size_t i = 0; i < params.inputs(); ++i)
            weights[i * params.neurons() + k] = static_cast<float>(params.weight(k, i));
    const std::filesystem::path source(input.source.empty() ? "meta.toml" : input.source);
    const std::string path = (source.parent_path() / (source.stem().string() + ".engine.toml")).string();
    return parse_with_tables(meta_engine_config(params, test, dt, readout, seed, input), path,
                             {{"inputs->meta", DenseLayer{weights.data(), params.inputs(), params.neurons()}}}, models,
                             rules);
}

std::vector<std::vector<std::vector<std::uint8_t>>> meta_engine_trains(const std::vector<std::uint32_t>& neuron,
                                                                       const std::vector<std::int64_t>& step,
                                                                       std::size_t neurons,
                                                                       const MetaEngineTiming& timing) {
    std::vector<std::vector<std::vector<std::uint8_t>>> trains(
        timing.count, std::vector<std::vector<std::uint8_t>>(neurons, std::vector<std::uint8_t>(timing.steps, 0)));
    for (std::size_t j = 0; j < neuron.size(); ++j) {
        if (step[j] < 1 || neuron[j] >= neurons) continue;
        const auto n = static_cast<std::size_t>(step[j] - 1) / timing.steps;
        if (n < timing.count) trains[n][neuron[j]][static_cast<std::size_t>(step[j] - 1) % timing.steps] = 1;
    }
    return trains;
}

void write_meta_engine_checkpoint(const std::string& path, const MetaSpec& spec, const MetaDataset& data,
                                  const MetaRun& run, std::uint64_t seed, const std::string& source, bool quiet) {
    const Catalogue catalogue;
    const auto classes = static_cast<int>(spec.task.rates.size());
    const learning::CentroidClassifier readout = fit_meta_readout(run.parameters, data.train, classes, seed);
    write_network_checkpoint(path,
                             meta_engine_run(run.parameters, data.test, spec.task.dt, readout, seed, {source, ""},
                                             catalogue.models, catalogue.rules),
                             catalogue.models, catalogue.rules);
    if (quiet) return;
    std::printf("engine checkpoint %s: the trained layer (SNN-LZC test accuracy %.2f%%); `myelin run %s -o run.h5` plays "
                "the %zu test samples, sample n in steps [1 + %zu n, 1 + %zu (n+1)); their classes: "
                "/usr/bin/python3 experiments/meta_engine_accuracy.py run.h5\n",
                path.c_str(), 100.0 * run.evaluation.lzc_accuracy, path.c_str(), data.test.size(), spec.task.steps(),
                spec.task.steps());
}

}  // namespace myelin::cli
