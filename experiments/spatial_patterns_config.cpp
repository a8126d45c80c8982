// Reading a spatial-pattern study config (spatial_patterns_config.hpp).
#include "experiments/spatial_patterns_config.hpp"

#include "io/toml_reader.hpp"
#include "sim/param_check.hpp"
#include "sim/suggest.hpp"

#include <fstream>
#include <sstream>

namespace myelin::cli {
namespace {

using io::TableReader;
using io::error_at;

const toml::table& required_table(const toml::table& root, const std::string& key, const std::string& path) {
    const toml::table* t = root.get_as<toml::table>(key);
    if (!t) throw error_at(root.source(), "missing table [" + key + "] (" + path + ")");
    return *t;
}

std::uint32_t read_code(const toml::node& node, int bits, const std::string& what) {
    const auto value = node.value<std::int64_t>();
    if (!value || *value < 0 || *value >= (std::int64_t{1} << bits))
        throw error_at(node, what + " must be an integer pattern code in [0, 2^bits - 1 = " +
                                 std::to_string((1 << bits) - 1) + "]");
    return static_cast<std::uint32_t>(*value);
}

void read_study(const TableReader& r, SpatialPatternStudy& study) {
    study.setup.bits = static_cast<int>(r.integer("bits", 10));
    if (study.setup.bits < 1 || study.setup.bits > 16) throw r.error("bits", "bits must be within [1, 16]");
    const toml::array* trained = r.table().get_as<toml::array>("trained");
    if (!trained || trained->empty()) throw r.error("trained", "trained must be a non-empty array of pattern lists, e.g. [[992]]");
    for (const toml::node& set : *trained) {
        const toml::array* codes = set.as_array();
        if (!codes || codes->empty()) throw error_at(set, "spatial_patterns: each entry of trained must be a non-empty list of pattern codes");
        std::vector<std::uint32_t> list;
        for (const toml::node& c : *codes) list.push_back(read_code(c, study.setup.bits, "spatial_patterns: trained entry"));
        study.trained.push_back(std::move(list));
    }
    const std::string evaluation = r.string("evaluation", "simulate");
    if (evaluation != "simulate" && evaluation != "idealised")
        throw r.error("evaluation", "evaluation = \"" + evaluation + "\" must be \"simulate\" or \"idealised\"");
    study.simulate_evaluation = evaluation == "simulate";
}

void read_training(const TableReader& r, SpatialPatternSetup& s, const Catalogue& catalogue) {
    s.channel1_time = r.number("channel1_time", s.channel1_time);
    s.teacher_time = r.number("teacher_time", s.teacher_time);
    s.channel0_time = r.number("channel0_time", s.channel0_time);
    s.training_duration = r.number("duration", s.training_duration);
    s.relay_weight = r.number("relay_weight", s.relay_weight);
    s.teacher_weight = r.number("teacher_weight", s.teacher_weight);
    const double last = std::max({s.channel1_time, s.teacher_time, s.channel0_time});
    if (!(s.training_duration > last + 3.0))
        throw r.error("duration", "duration = " + sim::format_number(s.training_duration) +
                                      " must be > the last spike time + 3 ms (" + sim::format_number(last + 3.0) +
                                      "), so the output spike and the pairs after it are simulated");
    for (const char* key : {"channel1_time", "teacher_time", "channel0_time"})
        if (r.number(key, 1.0) < 1.0) throw r.error(key, std::string(key) + " must be >= 1 ms");
    if (const toml::table* plasticity = r.subtable("plasticity")) {
        sim::PlasticitySpec spec;
        for (const auto& [key, node] : *plasticity) {
            const std::string k(key.str());
            if (k == "rule" || k == "weight_dependence") {
                if (!node.is_string()) throw error_at(node, "training plasticity: " + k + " must be a string");
                (k == "rule" ? spec.rule : spec.weight_dependence) = *node.value<std::string>();
            } else {
                spec.params[k] = io::number_of(node, "training plasticity: " + k);
            }
        }
        if (spec.weight_dependence.empty()) spec.weight_dependence = "additive";
        const sim::PlasticityInfo* info = catalogue.rules.find(spec.rule, spec.weight_dependence);
        if (!info)
            throw error_at(*plasticity, "training plasticity: no rule \"" + spec.rule + "\" with weight_dependence \"" +
                                            spec.weight_dependence + "\"" + sim::did_you_mean(spec.rule, catalogue.rules.rule_names()) +
                                            "; rules: " + sim::join(catalogue.rules.rule_names()));
        try {
            info->validate(spec);
        } catch (const ParamError& e) {
            const toml::node* at = plasticity->get(e.key());
            throw error_at(at ? *at : static_cast<const toml::node&>(*plasticity), std::string("training plasticity: ") + e.what());
        }
        s.stdp = std::move(spec);
    }
}

void read_homeostasis(const TableReader& r, SpatialPatternSetup& s) {
    const std::string rule = r.string("rule", "global_factor");
    if (rule != "global_factor")
        throw r.error("rule", "rule = \"" + rule + "\" is unknown; valid: global_factor");
    const std::string search = r.string("search", "simulate");
    if (search != "simulate" && search != "closed_form")
        throw r.error("search", "search = \"" + search + "\" must be \"simulate\" or \"closed_form\"");
    s.closed_form_factor = search == "closed_form";
    auto& h = s.homeostasis;
    h.h_start = r.number("h_start", h.h_start);
    h.h_limit = r.number("h_limit", h.h_limit);
    h.h_low = r.number("h_low", h.h_low);
    h.bisection_width = r.number("bisection_width", h.bisection_width);
    h.resolution = r.number("resolution", h.resolution);
    try {
        learning::validate(h);
    } catch (const ParamError& e) {
        throw r.error(e.key(), e.what());
    }
}

}  // namespace

SpatialPatternStudy parse_spatial_patterns(const std::string& text, const std::string& path, const Catalogue& catalogue) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw error_at(e.source(), std::string(e.description()));
    }
    const TableReader top(root, path, {"spatial_patterns", "training", "homeostasis"});
    SpatialPatternStudy study;
    read_study(TableReader(required_table(root, "spatial_patterns", path), "spatial_patterns",
                           {"bits", "trained", "evaluation"}),
               study);
    if (const toml::table* t = top.subtable("training"))
        read_training(TableReader(*t, "training",
                                  {"channel1_time", "teacher_time", "channel0_time", "duration", "relay_weight",
                                   "teacher_weight", "plasticity"}),
                      study.setup, catalogue);
    if (const toml::table* t = top.subtable("homeostasis"))
        read_homeostasis(TableReader(*t, "homeostasis",
                                     {"rule", "search", "h_start", "h_limit", "h_low", "bisection_width", "resolution"}),
                         study.setup);
    return study;
}

SpatialPatternStudy load_spatial_patterns(const std::string& path, const Catalogue& catalogue) {
    std::ifstream in(path);
    if (!in) throw IoError(path, "cannot open the config");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_spatial_patterns(text.str(), path, catalogue);
}

}  // namespace myelin::cli
