// Reading the [tess] table (tess_config.hpp).
#include "experiments/tess_config.hpp"

#include "experiments/image_data.hpp"
#include "io/datasets.hpp"
#include "sim/suggest.hpp"

#include <algorithm>

namespace myelin::cli {

std::vector<std::string> tess_keys() {
    return {"hidden", "steps", "leak", "threshold", "tess_mode", "delay_ls", "lambda_post", "lambda_pre",
            "alpha_post", "alpha_pre", "encoding", "rate_gain", "batch", "lr", "epochs", "learners",
            "dataset", "train_samples", "test_samples"};
}

namespace {

std::vector<std::size_t> read_hidden(const io::TableReader& table, std::vector<std::size_t> fallback) {
    const toml::node* node = table.find("hidden");
    if (!node) return fallback;
    const toml::array* list = node->as_array();
    if (!list || list->empty() || list->size() > 16)
        throw table.error("hidden", "hidden must be a list of 1 to 16 layer widths, e.g. [256, 256]");
    std::vector<std::size_t> widths;
    for (const toml::node& item : *list) {
        const std::optional<std::int64_t> width = item.value<std::int64_t>();
        if (!item.is_integer() || !width || *width < 1 || *width > 65536)
            throw io::error_at(item, "[tess]: hidden: every width must be an integer in [1, 65536]");
        widths.push_back(static_cast<std::size_t>(*width));
    }
    return widths;
}

std::vector<learning::TessLearner> read_learners(const io::TableReader& table, std::vector<learning::TessLearner> fallback) {
    const toml::node* node = table.find("learners");
    if (!node) return fallback;
    const toml::array* list = node->as_array();
    if (!list || list->empty() || list->size() > 2)
        throw table.error("learners", "learners must list \"tess\", \"bptt\" or both, e.g. [\"tess\", \"bptt\"]");
    std::vector<learning::TessLearner> learners;
    for (const toml::node& item : *list) {
        const std::string name = item.is_string() ? *item.value<std::string>() : std::string();
        try {
            const learning::TessLearner learner = learning::tess_learner_from_name(name);
            if (std::find(learners.begin(), learners.end(), learner) != learners.end())
                throw io::error_at(item, "[tess]: learners: \"" + name + "\" is listed twice");
            learners.push_back(learner);
        } catch (const ParamError& e) {
            throw io::error_at(item, std::string("[tess]: ") + e.what());
        }
    }
    return learners;
}

}  // namespace

void read_tess(const io::TableReader& table, TessSpec& spec) {
    learning::TessSettings& s = spec.settings;
    const auto count = [&](const std::string& key, std::size_t fallback, bool zero_ok) {
        return read_count(table, key, fallback, zero_ok);
    };
    try {
        s.rule.mode = learning::tess_mode_from_name(table.string("tess_mode", learning::tess_mode_name(s.rule.mode)));
        s.encoding = learning::input_encoding_from_name(table.string("encoding", learning::input_encoding_name(s.encoding)));
    } catch (const ParamError& e) {
        throw table.error(e.key(), e.what());
    }
    s.shape.hidden = read_hidden(table, s.shape.hidden);
    spec.learners = read_learners(table, spec.learners);
    s.shape.steps = count("steps", s.shape.steps, false);
    s.shape.neuron.leak = table.number("leak", s.shape.neuron.leak);
    s.shape.neuron.threshold = table.number("threshold", s.shape.neuron.threshold);
    if (table.has("delay_ls")) s.rule.delay_ls = static_cast<long>(count("delay_ls", 0, true));
    s.rule.factors.lambda_post = table.number("lambda_post", s.rule.factors.lambda_post);
    s.rule.factors.lambda_pre = table.number("lambda_pre", s.rule.factors.lambda_pre);
    s.rule.factors.alpha_post = table.number("alpha_post", s.rule.factors.alpha_post);
    s.rule.factors.alpha_pre = table.number("alpha_pre", s.rule.factors.alpha_pre);
    s.rate_gain = table.number("rate_gain", s.rate_gain);
    s.batch = count("batch", s.batch, false);
    s.epochs = count("epochs", s.epochs, false);
    s.learning_rate = table.number("lr", s.learning_rate);
    spec.dataset = read_dataset_key(table, spec.dataset);
    spec.train_samples = count("train_samples", spec.train_samples, true);
    spec.test_samples = count("test_samples", spec.test_samples, true);
    try {
        learning::validate_tess_settings(s);
    } catch (const ParamError& e) {
        throw table.error(e.key(), e.what());
    }
}

}  // namespace myelin::cli
