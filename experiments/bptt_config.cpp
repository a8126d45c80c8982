// Reading the [bptt] table (bptt_config.hpp).
#include "experiments/bptt_config.hpp"

#include "experiments/image_data.hpp"
#include "io/datasets.hpp"
#include "sim/param_check.hpp"
#include "sim/suggest.hpp"

#include <algorithm>

namespace myelin::cli {

std::vector<std::string> bptt_keys() {
    return {"neuron", "hidden", "steps", "batch", "lr", "epochs", "sparsity", "eps", "learn_eps", "tau",
            "v_thresh", "surrogate_slope", "encoding", "rate_gain", "dataset", "train_samples", "test_samples"};
}

void read_bptt(const io::TableReader& table, BpttSpec& spec) {
    learning::BpttSettings& s = spec.settings;
    const auto count = [&](const std::string& key, std::size_t fallback, bool zero_ok) {
        return read_count(table, key, fallback, zero_ok);
    };
    try {
        s.shape.neuron = learning::bptt_neuron_from_name(
            table.string("neuron", learning::bptt_neuron_name(s.shape.neuron)));
        s.encoding = learning::bptt_encoding_from_name(table.string("encoding", learning::bptt_encoding_name(s.encoding)));
    } catch (const ParamError& e) {
        throw table.error(e.key(), e.what());
    }
    s.shape.hidden = count("hidden", s.shape.hidden, false);
    s.shape.steps = count("steps", s.shape.steps, false);
    s.batch = count("batch", s.batch, false);
    s.epochs = count("epochs", s.epochs, false);
    s.learning_rate = table.number("lr", s.learning_rate);
    s.shape.sparsity = table.number("sparsity", s.shape.sparsity);
    s.shape.eps = table.number("eps", s.shape.eps);
    s.shape.learn_eps = table.boolean("learn_eps", s.shape.learn_eps);
    s.shape.tau = table.number("tau", s.shape.tau);
    s.shape.v_thresh = table.number("v_thresh", s.shape.v_thresh);
    s.shape.surrogate_slope = table.number("surrogate_slope", s.shape.surrogate_slope);
    s.rate_gain = table.number("rate_gain", s.rate_gain);
    spec.dataset = read_dataset_key(table, spec.dataset);
    spec.train_samples = count("train_samples", spec.train_samples, true);
    spec.test_samples = count("test_samples", spec.test_samples, true);
    try {
        learning::validate_bptt_settings(s);
    } catch (const ParamError& e) {
        throw table.error(e.key(), e.what());
    }
}

}  // namespace myelin::cli
