// Reading [data] and [sym_stdp] (sym_stdp_config.hpp).
#include "experiments/sym_stdp_config.hpp"

#include "io/datasets.hpp"
#include "sim/param_check.hpp"
#include "sim/suggest.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace myelin::cli {
namespace {

using Params = learning::SymStdpNetworkParams;

// Every real-valued key of [sym_stdp], spelled as docs/learning.md lists it.
struct NumberKey {
    const char* key;
    double& (*field)(Params&);
};

constexpr std::array<NumberKey, 41> number_keys{{
    {"dt", [](Params& p) -> double& { return p.dt; }},
    {"exc_tau_m", [](Params& p) -> double& { return p.exc_tau_m; }},
    {"exc_v_rest", [](Params& p) -> double& { return p.exc_v_rest; }},
    {"exc_v_reset", [](Params& p) -> double& { return p.exc_v_reset; }},
    {"exc_v_thresh", [](Params& p) -> double& { return p.exc_v_thresh; }},
    {"exc_tau_refrac", [](Params& p) -> double& { return p.exc_tau_refrac; }},
    {"exc_v_init", [](Params& p) -> double& { return p.exc_v_init; }},
    {"v_floor", [](Params& p) -> double& { return p.v_floor; }},
    {"inh_tau_m", [](Params& p) -> double& { return p.inh_tau_m; }},
    {"inh_v_rest", [](Params& p) -> double& { return p.inh_v_rest; }},
    {"inh_v_reset", [](Params& p) -> double& { return p.inh_v_reset; }},
    {"inh_v_thresh", [](Params& p) -> double& { return p.inh_v_thresh; }},
    {"inh_tau_refrac", [](Params& p) -> double& { return p.inh_tau_refrac; }},
    {"cls_tau_m", [](Params& p) -> double& { return p.cls_tau_m; }},
    {"cls_v_rest", [](Params& p) -> double& { return p.cls_v_rest; }},
    {"cls_v_reset", [](Params& p) -> double& { return p.cls_v_reset; }},
    {"cls_v_thresh", [](Params& p) -> double& { return p.cls_v_thresh; }},
    {"tau_syn_input", [](Params& p) -> double& { return p.tau_syn_input; }},
    {"tau_syn_exc_inh", [](Params& p) -> double& { return p.tau_syn_exc_inh; }},
    {"tau_syn_inh_exc", [](Params& p) -> double& { return p.tau_syn_inh_exc; }},
    {"tau_syn_exc_cls", [](Params& p) -> double& { return p.tau_syn_exc_cls; }},
    {"e_rev_exc", [](Params& p) -> double& { return p.e_rev_exc; }},
    {"e_rev_inh", [](Params& p) -> double& { return p.e_rev_inh; }},
    {"w_exc_inh", [](Params& p) -> double& { return p.w_exc_inh; }},
    {"w_inh_exc", [](Params& p) -> double& { return p.w_inh_exc; }},
    {"w_init_max", [](Params& p) -> double& { return p.w_init_max; }},
    {"tau_trace", [](Params& p) -> double& { return p.input_rule.tau_trace; }},
    {"trace_increment", [](Params& p) -> double& { return p.input_rule.trace_increment; }},
    {"eta_input", [](Params& p) -> double& { return p.input_rule.eta; }},
    {"w_max_input", [](Params& p) -> double& { return p.input_rule.w_max; }},
    {"eta_class", [](Params& p) -> double& { return p.class_rule.eta; }},
    {"w_max_class", [](Params& p) -> double& { return p.class_rule.w_max; }},
    {"input_weight_sum", [](Params& p) -> double& { return p.input_weight_sum; }},
    {"class_weight_sum", [](Params& p) -> double& { return p.class_weight_sum; }},
    {"tau_theta", [](Params& p) -> double& { return p.threshold.tau_theta; }},
    {"c_theta", [](Params& p) -> double& { return p.threshold.c_theta; }},
    {"theta_offset", [](Params& p) -> double& { return p.threshold.theta_offset; }},
    {"present_ms", [](Params& p) -> double& { return p.present_ms; }},
    {"rest_ms", [](Params& p) -> double& { return p.rest_ms; }},
    {"intensity", [](Params& p) -> double& { return p.intensity; }},
    {"intensity_max", [](Params& p) -> double& { return p.intensity_max; }},
}};
// Not in the array because they are read the same way but listed separately in the docs.
constexpr std::array<NumberKey, 3> protocol_keys{{
    {"min_exc_spikes", [](Params& p) -> double& { return p.min_exc_spikes; }},
    {"teacher_rate", [](Params& p) -> double& { return p.teacher_rate; }},
    {"test_inhibition_scale", [](Params& p) -> double& { return p.test_inhibition_scale; }},
}};

std::size_t count_at_most(const io::TableReader& table, const std::string& key, std::size_t fallback, std::int64_t lo,
                          std::int64_t most) {
    const std::int64_t value = table.integer(key, static_cast<std::int64_t>(fallback));
    if (value < lo || value > most)
        throw table.error(key, key + " = " + std::to_string(value) + " must be within [" + std::to_string(lo) + ", " +
                                   std::to_string(most) + "]");
    return static_cast<std::size_t>(value);
}

}  // namespace

std::vector<std::string> image_data_keys() {
    return {"dataset", "directory", "train_samples", "test_samples", "validation_samples", "classes", "mean_pixel"};
}

std::vector<std::string> sym_stdp_keys() {
    std::vector<std::string> keys{"n_exc", "vote_memory", "report_every", "hidden_epochs", "class_start_epoch",
                                  "eta_input_decay", "relearn_readouts", "eta_class_decay",
                                  "frozen_vote_memory"};
    for (const NumberKey& k : number_keys) keys.emplace_back(k.key);
    for (const NumberKey& k : protocol_keys) keys.emplace_back(k.key);
    return keys;
}

void read_image_data(const io::TableReader& table, ImageDataSpec& data) {
    data.dataset = table.string("dataset", data.dataset);
    const auto names = io::dataset_names();
    if (std::find(names.begin(), names.end(), data.dataset) == names.end())
        throw table.error("dataset", "dataset = \"" + data.dataset + "\" is not a known dataset" +
                                         sim::did_you_mean(data.dataset, names) + "; known: " + sim::join(names));
    data.directory = table.string("directory", data.directory);
    data.train_samples = count_at_most(table, "train_samples", data.train_samples, 0, 1 << 24);
    data.test_samples = count_at_most(table, "test_samples", data.test_samples, 0, 1 << 24);
    data.validation_samples = count_at_most(table, "validation_samples", data.validation_samples, 0, 1 << 24);
    data.mean_pixel = table.number("mean_pixel", data.mean_pixel);
    if (!(data.mean_pixel >= 0.0 && data.mean_pixel <= 255.0))
        throw table.error("mean_pixel", "mean_pixel = " + sim::format_number(data.mean_pixel) + " must be within [0, 255]");
    if (const toml::node* node = table.find("classes")) {
        const toml::array* list = node->as_array();
        if (!list || list->empty())
            throw table.error("classes", "classes must be a non-empty array of class labels 0..9");
        data.classes.clear();
        for (const toml::node& item : *list) {
            const auto value = item.value<std::int64_t>();
            if (!value || *value < 0 || *value > 9)
                throw table.error("classes", "classes must hold integer labels within [0, 9]");
            if (std::find(data.classes.begin(), data.classes.end(), static_cast<int>(*value)) != data.classes.end())
                throw table.error("classes", "classes lists " + std::to_string(*value) + " twice");
            data.classes.push_back(static_cast<int>(*value));
        }
    }
}

void read_sym_stdp(const io::TableReader& table, SymStdpSpec& spec) {
    Params& p = spec.network;
    p.n_exc = count_at_most(table, "n_exc", p.n_exc, 1, 1 << 20);
    for (const NumberKey& k : number_keys) k.field(p) = table.number(k.key, k.field(p));
    for (const NumberKey& k : protocol_keys) k.field(p) = table.number(k.key, k.field(p));
    // One trace time constant and increment for both projections, as in the reference.
    p.class_rule.tau_trace = p.input_rule.tau_trace;
    p.class_rule.trace_increment = p.input_rule.trace_increment;
    spec.vote_memory = table.number("vote_memory", spec.vote_memory);
    if (!(spec.vote_memory >= 1.0) || !std::isfinite(spec.vote_memory))
        throw table.error("vote_memory", "vote_memory = " + sim::format_number(spec.vote_memory) + " must be >= 1 (samples)");
    spec.report_every = count_at_most(table, "report_every", spec.report_every, 1, 1 << 24);
    learning::SymStdpSchedule& schedule = spec.schedule;
    schedule.hidden_epochs = count_at_most(table, "hidden_epochs", schedule.hidden_epochs, 0, 1000000);
    schedule.class_start_epoch = count_at_most(table, "class_start_epoch", schedule.class_start_epoch, 1, 1000000);
    schedule.eta_input_decay = table.number("eta_input_decay", schedule.eta_input_decay);
    schedule.relearn_readouts = table.boolean("relearn_readouts", schedule.relearn_readouts);
    schedule.eta_class_decay = table.number("eta_class_decay", schedule.eta_class_decay);
    schedule.frozen_vote_memory = table.number("frozen_vote_memory", schedule.frozen_vote_memory);
    try {
        learning::validate_sym_stdp_network(p);
        learning::validate_schedule(schedule);
    } catch (const ParamError& e) {
        // The key as the config spells it; a key left at its default points at the table.
        throw table.error(e.key(), e.what());
    }
}

}  // namespace myelin::cli
