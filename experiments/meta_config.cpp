// Reading the meta-neuron trainer's tables (meta_config.hpp).
#include "experiments/meta_config.hpp"

#include "sim/param_check.hpp"
#include "sim/suggest.hpp"

#include <cmath>
#include <functional>

namespace myelin::cli {
namespace {

std::size_t count_key(const io::TableReader& table, const std::string& key, std::size_t fallback, std::int64_t most) {
    const std::int64_t value = table.integer(key, static_cast<std::int64_t>(fallback));
    if (value < 1 || value > most)
        throw table.error(key, key + " = " + std::to_string(value) + " must be within [1, " + std::to_string(most) + "]");
    return static_cast<std::size_t>(value);
}

// A list of 2 to 64 numbers, one per class, each checked by `valid` (which names the rule).
std::vector<double> class_list(const io::TableReader& table, const std::string& key, const std::string& what,
                               const std::function<bool(double)>& valid, const std::string& rule) {
    const toml::array* list = table.find(key)->as_array();
    if (!list || list->size() < 2 || list->size() > 64)
        throw table.error(key, key + " must be a list of 2 to 64 " + what + ", one per class");
    std::vector<double> values;
    for (const toml::node& item : *list) {
        const double value = io::number_of(item, key);
        if (!valid(value)) throw io::error_at(item, "[task]: " + key + ": " + sim::format_number(value) + " " + rule);
        values.push_back(value);
    }
    return values;
}

void read_task(const io::TableReader& table, PoissonTaskSpec& task) {
    const std::string kind = table.string("kind", "poisson_rates");
    if (kind != "poisson_rates" && kind != "renewal")
        throw table.error("kind", "kind = \"" + kind + "\" is not a task of algorithm \"meta\"" +
                                      sim::did_you_mean(kind, {"poisson_rates", "renewal"}) +
                                      "; known: poisson_rates, renewal");
    task.inputs = count_key(table, "inputs", task.inputs, 65536);
    task.train_per_class = count_key(table, "train_per_class", task.train_per_class, 1 << 20);
    task.test_per_class = count_key(table, "test_per_class", task.test_per_class, 1 << 20);
    task.dt = table.number("dt", task.dt);
    if (!(task.dt > 0.0) || !std::isfinite(task.dt))
        throw table.error("dt", "dt = " + sim::format_number(task.dt) + " must be > 0 (ms)");
    task.duration = table.number("duration", task.duration);
    if (!(task.duration >= task.dt) || !std::isfinite(task.duration) || task.duration / task.dt > 1e7)
        throw table.error("duration", "duration = " + sim::format_number(task.duration) +
                                          " must be at least dt and at most 1e7 steps (ms)");
    const double dt = task.dt;
    const auto within_one_per_step = [dt](double rate) { return rate >= 0.0 && rate * dt <= 1000.0; };
    if (kind == "poisson_rates") {
        for (const char* key : {"rate", "shapes"})
            if (table.find(key)) throw table.error(key, std::string(key) + " belongs to kind = \"renewal\"; poisson_rates takes rates");
        if (table.find("rates"))
            task.rates = class_list(table, "rates", "rates (Hz)", within_one_per_step,
                                    "must be within [0, 1000/dt] (Hz: at most one spike per step)");
        return;
    }
    if (table.find("rates")) throw table.error("rates", "rates belongs to kind = \"poisson_rates\"; renewal takes one rate and shapes");
    if (!table.find("shapes")) throw table.error("kind", "kind = \"renewal\" needs shapes = [...], one gamma shape per class (1 = Poisson)");
    task.shapes = class_list(table, "shapes", "gamma shapes", [](double k) { return k > 0.0 && k <= 1000.0; },
                             "must be within (0, 1000] (1 = Poisson, larger = more regular)");
    const double rate = table.number("rate", 20.0);
    if (!(rate > 0.0) || !within_one_per_step(rate))
        throw table.error("rate", "rate = " + sim::format_number(rate) + " must be within (0, 1000/dt] (Hz)");
    task.rates.assign(task.shapes.size(), rate);
}

learning::IntrinsicLearning read_learn(const io::TableReader& table) {
    learning::IntrinsicLearning learn;
    const toml::node* node = table.find("learn");
    if (!node) return learn;
    const toml::array* list = node->as_array();
    if (!list) throw table.error("learn", "learn must be a list of intrinsic parameters, e.g. [\"decay\", \"threshold\", \"temperature\"]");
    const std::vector<std::string> known{"decay", "threshold", "temperature"};
    for (const toml::node& item : *list) {
        const std::string name = item.is_string() ? *item.value<std::string>() : std::string();
        if (name == "decay") learn.decay = true;
        else if (name == "threshold") learn.threshold = true;
        else if (name == "temperature") learn.temperature = true;
        else
            throw io::error_at(item, "[meta]: learn: \"" + name + "\" is not an intrinsic parameter" +
                                         sim::did_you_mean(name, known) + "; known: " + sim::join(known));
    }
    return learn;
}

const std::vector<std::string>& meta_keys() {
    static const std::vector<std::string> keys{
        "rule", "learn", "tau_m", "v_thresh", "temperature", "init_mean", "init_std", "estimator", "slope",
        "slope_growth", "learning_rate", "batch_size", "logit_scale", "detach_reset", "tau_plus", "tau_minus",
        "A_plus", "A_minus", "w_min", "w_max", "target_rate", "homeostasis_rate", "tempotron_rate",
        "tempotron_intrinsic_rate", "tempotron_threshold", "tempotron_target_rate", "tempotron_homeostasis_rate", "score"};
    return keys;
}

void read_meta(const io::TableReader& table, learning::MetaTrainParams& p) {
    try {
        p.rule = learning::parse_rule(table.string("rule", learning::rule_name(p.rule)));
        p.estimator = learning::parse_estimator(table.string("estimator", learning::estimator_name(p.estimator)));
        p.score = learning::parse_score(table.string("score", learning::score_name(p.score)));
        p.tempotron_threshold = learning::parse_tempotron_threshold(
            table.string("tempotron_threshold", learning::tempotron_threshold_name(p.tempotron_threshold)));
    } catch (const ParamError& e) {
        throw table.error(e.key(), e.what());
    }
    p.learn = read_learn(table);
    const std::pair<const char*, double*> numbers[] = {
        {"tau_m", &p.tau_m}, {"v_thresh", &p.v_thresh}, {"temperature", &p.temperature},
        {"init_mean", &p.init_mean}, {"init_std", &p.init_std}, {"slope", &p.slope},
        {"slope_growth", &p.slope_growth}, {"learning_rate", &p.learning_rate}, {"logit_scale", &p.logit_scale},
        {"tau_plus", &p.stdp.tau_plus}, {"tau_minus", &p.stdp.tau_minus}, {"A_plus", &p.stdp.A_plus},
        {"A_minus", &p.stdp.A_minus}, {"w_min", &p.stdp.w_min}, {"w_max", &p.stdp.w_max},
        {"target_rate", &p.target_rate}, {"homeostasis_rate", &p.homeostasis_rate},
        {"tempotron_rate", &p.tempotron_rate}, {"tempotron_intrinsic_rate", &p.tempotron_intrinsic_rate},
        {"tempotron_target_rate", &p.tempotron_target_rate}, {"tempotron_homeostasis_rate", &p.tempotron_homeostasis_rate}};
    for (const auto& [key, member] : numbers) *member = table.number(key, *member);
    p.batch_size = count_key(table, "batch_size", p.batch_size, 1 << 20);
    p.detach_reset = table.boolean("detach_reset", p.detach_reset);
    try {
        learning::validate_meta_train(p);
    } catch (const ParamError& e) {
        if (e.key() == "dt") throw;  // from [task], checked there
        throw table.error(e.key(), e.what());
    }
}

}  // namespace

std::size_t PoissonTaskSpec::steps() const { return static_cast<std::size_t>(std::llround(duration / dt)); }

void read_meta_tables(const io::TableReader& top, MetaSpec& spec) {
    if (const toml::table* task = top.subtable("task"))
        read_task(io::TableReader(*task, "[task]",
                                  {"kind", "rates", "rate", "shapes", "inputs", "duration", "dt", "train_per_class", "test_per_class"}),
                  spec.task);
    spec.train.dt = spec.task.dt;
    if (const toml::table* meta = top.subtable("meta")) read_meta(io::TableReader(*meta, "[meta]", meta_keys()), spec.train);
    else learning::validate_meta_train(spec.train);
}

}  // namespace myelin::cli
