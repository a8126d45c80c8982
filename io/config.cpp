// Reading experiment configs (config.hpp). The schema is documented in docs/config.md; each
// read_* function below owns one table of it.
#include "io/config.hpp"

#include "io/encoder_config.hpp"
#include "io/overrides.hpp"
#include "io/toml_reader.hpp"
#include "sim/network.hpp"
#include "sim/param_check.hpp"
#include "sim/suggest.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace myelin::io {
namespace {

namespace fs = std::filesystem;
using sim::ValueSpec;

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// `precision = "double" | "single"` (state and arithmetic of a population's neurons).
sim::Precision read_precision(const TableReader& reader, sim::Precision fallback) {
    if (!reader.has("precision")) return fallback;
    const std::string value = reader.required_string("precision");
    if (value == "double") return sim::Precision::double_precision;
    if (value == "single") return sim::Precision::single_precision;
    throw reader.error("precision", "precision = " + quoted(value) + " must be \"double\" or \"single\"");
}

class ConfigReader {
public:
    ConfigReader(const toml::table& root, const std::string& path, const sim::ModelRegistry& models,
                 const sim::PlasticityRegistry& rules)
        : root_(root), directory_(fs::path(path).parent_path()), models_(models), rules_(rules) {}

    RunSpec read();

private:
    // The tables of an array of tables ([[population]]); a single table is not accepted.
    std::vector<const toml::table*> items(const TableReader& top, const std::string& key) const;
    void read_simulation(const TableReader& top, RunSpec& run);
    sim::PopulationSpec read_population(const toml::table& table) const;
    sim::ProjectionSpec read_projection(const toml::table& table) const;
    sim::ConnectorSpec read_connector(const TableReader& projection) const;
    sim::PlasticitySpec read_plasticity(const TableReader& projection) const;
    sim::PoissonInputSpec read_poisson_input(const toml::table& table, std::size_t index) const;
    void read_record(const toml::table& table, std::size_t index, RunSpec& run) const;
    ValueSpec read_value(const toml::node& node, const std::string& what) const;
    sim::Receptor read_receptor(const TableReader& reader) const;
    std::vector<std::vector<double>> read_columns(const TableReader& reader, const std::string& key,
                                                  std::size_t min_columns, std::size_t max_columns) const;
    std::string resolve(const std::string& file) const { return (directory_ / file).string(); }
    void validate_records(const RunSpec& run) const;
    void apply_scale(sim::NetworkSpec& network) const;
    [[noreturn]] void locate(const SpecError& e) const;

    const toml::table& root_;
    fs::path directory_;
    const sim::ModelRegistry& models_;
    const sim::PlasticityRegistry& rules_;
    std::vector<const toml::table*> population_tables_, projection_tables_, input_tables_, record_tables_;
    const toml::table* simulation_table_ = nullptr;
    double scale_ = 1.0;  // [simulation] scale
    double dt_ = 0.1;  // ms, once [simulation] is read
    sim::Precision default_precision_ = sim::Precision::double_precision;  // [simulation] precision
};

std::vector<const toml::table*> ConfigReader::items(const TableReader& top, const std::string& key) const {
    std::vector<const toml::table*> out;
    const toml::node* node = top.find(key);
    if (!node) return out;
    if (!node->is_array_of_tables())
        throw top.error(key, key + " must be an array of tables, written [[" + key + "]]");
    for (const auto& item : *node->as_array()) out.push_back(item.as_table());
    return out;
}

RunSpec ConfigReader::read() {
    const TableReader top(root_, "config", {"simulation", "population", "projection", "poisson_input", "record", "output"});
    RunSpec run;
    read_simulation(top, run);
    population_tables_ = items(top, "population");
    projection_tables_ = items(top, "projection");
    input_tables_ = items(top, "poisson_input");
    record_tables_ = items(top, "record");
    if (population_tables_.empty()) throw error_at(root_.source(), "config: no [[population]] defined");
    for (const auto* t : population_tables_) run.network.populations.push_back(read_population(*t));
    for (const auto* t : projection_tables_) run.network.projections.push_back(read_projection(*t));
    for (std::size_t i = 0; i < input_tables_.size(); ++i)
        run.network.poisson_inputs.push_back(read_poisson_input(*input_tables_[i], i));
    if (scale_ != 1.0) apply_scale(run.network);
    for (std::size_t i = 0; i < record_tables_.size(); ++i) read_record(*record_tables_[i], i, run);
    if (const toml::table* output = top.subtable("output")) {
        const TableReader reader(*output, "[output]", {"file"});
        run.output_file = reader.string("file", "");
    }
    try {
        sim::validate(run.network, models_, rules_);
    } catch (const SpecError& e) {
        locate(e);
    }
    validate_records(run);
    return run;
}

// [simulation] scale: a smaller copy of the network with the same in-degrees (NEST's
// microcircuit N_scaling with K_scaling = 1): population sizes and fixed_total_number counts
// shrink by the factor; probabilities and fixed numbers per neuron stay as written. Networks
// whose items are listed per neuron (lists, spike times, per-neuron initial values) are refused.
void ConfigReader::apply_scale(sim::NetworkSpec& network) const {
    const auto scaled = [&](std::uint64_t n) {
        return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(static_cast<double>(n) * scale_)));
    };
    const auto refuse = [&](const std::string& what) {
        const toml::node* node = simulation_table_->get("scale");
        return error_at(*node, "[simulation]: scale = " + sim::format_number(scale_) + " cannot shrink " + what);
    };
    for (auto& p : network.populations) {
        if (!p.spike_times.empty()) throw refuse("population \"" + p.name + "\": its spike_times are listed per neuron");
        for (const auto& [variable, value] : p.init)
            if (value.kind == ValueSpec::Kind::values)
                throw refuse("population \"" + p.name + "\": init." + variable + " is listed per neuron");
        p.size = scaled(p.size);
    }
    for (auto& proj : network.projections) {
        using Rule = sim::ConnectorSpec::Rule;
        if (proj.connect.rule == Rule::from_list) throw refuse("projection \"" + proj.name + "\": from_list");
        if (proj.connect.rule == Rule::fixed_total_number && proj.connect.n > 0) proj.connect.n = scaled(proj.connect.n);
    }
}

void ConfigReader::read_simulation(const TableReader& top, RunSpec& run) {
    const toml::table* table = top.subtable("simulation");
    if (!table) return;
    simulation_table_ = table;
    const TableReader reader(*table, "[simulation]", {"dt", "duration", "seed", "threads", "precision", "scale", "batch"});
    run.network.dt = reader.number("dt", 0.1);
    run.duration = reader.number("duration", 1000.0);
    const std::int64_t seed = reader.integer("seed", 42);
    const std::int64_t threads = reader.integer("threads", 0);
    if (!(run.duration > 0.0) || !std::isfinite(run.duration))
        throw reader.error("duration", "duration = " + sim::format_number(run.duration) + " must be > 0 (ms)");
    if (seed < 0) throw reader.error("seed", "seed = " + std::to_string(seed) + " must be >= 0");
    if (threads < 0 || threads > 1024)
        throw reader.error("threads", "threads = " + std::to_string(threads) + " must be within [0, 1024] (0: all cores)");
    scale_ = reader.number("scale", 1.0);
    if (!(scale_ > 0.0 && scale_ <= 1.0))
        throw reader.error("scale", "scale = " + sim::format_number(scale_) + " must be within (0, 1]");
    const std::int64_t batch = reader.integer("batch", 1);
    if (batch < 1 || batch > 65536)
        throw reader.error("batch", "batch = " + std::to_string(batch) + " must be within [1, 65536]");
    run.batch = static_cast<int>(batch);
    run.network.seed = static_cast<std::uint64_t>(seed);
    dt_ = run.network.dt;
    default_precision_ = read_precision(reader, sim::Precision::double_precision);
    run.threads = static_cast<int>(threads);
}

sim::PopulationSpec ConfigReader::read_population(const toml::table& table) const {
    const std::string name = table.get("name") && table.get("name")->is_string() ? *table.get("name")->value<std::string>() : "";
    const TableReader reader(table, "population " + quoted(name),
                             {"name", "size", "model", "params", "init", "encoder", "homeostasis", "precision", "reset"});
    sim::PopulationSpec spec;
    spec.name = reader.required_string("name");
    const std::int64_t size = reader.required_integer("size");
    if (size < 1) throw reader.error("size", "size = " + std::to_string(size) + " must be >= 1");
    spec.size = static_cast<std::uint64_t>(size);
    spec.model = reader.required_string("model");
    // [simulation] precision applies to the models that have a single-precision form; a
    // population that asks for it itself must have one.
    const sim::ModelInfo* info = models_.find(spec.model);
    const bool has_single = info && info->single_precision && !reader.has("homeostasis");
    spec.precision = read_precision(reader, has_single ? default_precision_ : sim::Precision::double_precision);
    if (spec.precision == sim::Precision::single_precision && !has_single)
        throw reader.error("precision", reader.has("homeostasis")
                                            ? std::string("a population with homeostasis runs in double precision")
                                            : "model \"" + spec.model + "\"" +
                                                  " has no single-precision form (IF_curr_exp and IF_curr_delta have one)");
    if (const toml::table* params = reader.subtable("params")) {
        for (const auto& [key, node] : *params) {
            const std::string k(key.str());
            if (k == "spike_times") {
                // One list for every source, or one list per source.
                const toml::array* lists = node.as_array();
                if (!lists) throw error_at(node, reader.context() + ": spike_times must be an array");
                const bool nested = !lists->empty() && (*lists)[0].is_array();
                const auto numbers = [&](const toml::array& a) {
                    std::vector<double> out;
                    for (const auto& x : a) out.push_back(number_of(x, reader.context() + ": spike_times entries"));
                    return out;
                };
                if (nested) {
                    for (const auto& list : *lists) {
                        if (!list.is_array()) throw error_at(list, reader.context() + ": spike_times mixes lists and numbers");
                        spec.spike_times.push_back(numbers(*list.as_array()));
                    }
                } else {
                    spec.spike_times.push_back(numbers(*lists));
                }
            } else if (k == "spike_times_file") {
                const TableReader file_reader(*params, reader.context() + " params", {"spike_times_file"});
                spec.spike_times.assign(spec.size, {});
                for (const auto& row : read_columns(file_reader, "spike_times_file", 2, 2)) {
                    if (row[0] < 0 || row[0] >= static_cast<double>(spec.size) || row[0] != std::floor(row[0]))
                        throw file_reader.error("spike_times_file", "spike_times_file has neuron index " +
                                                                        sim::format_number(row[0]) + " outside [0, " +
                                                                        std::to_string(spec.size) + ")");
                    spec.spike_times[static_cast<std::size_t>(row[0])].push_back(row[1]);
                }
            } else {
                spec.params[k] = number_of(node, reader.context() + ": params." + k);
            }
        }
    }
    if (const toml::table* homeostasis = reader.subtable("homeostasis")) {
        spec.homeostasis.emplace();
        for (const auto& [key, node] : *homeostasis)
            spec.homeostasis->params[std::string(key.str())] =
                number_of(node, reader.context() + ": homeostasis." + std::string(key.str()));
    }
    if (const toml::table* init = reader.subtable("init"))
        for (const auto& [key, node] : *init) spec.init[std::string(key.str())] = read_value(node, reader.context() + ": init." + std::string(key.str()));
    if (reader.has("encoder")) read_encoder(reader, models_, directory_, spec);
    if (const toml::table* reset = reader.subtable("reset")) {
        // reset = { every = T, start = t0, values = { v = 0.0, ... } } (ms): trials.
        const TableReader reset_reader(*reset, reader.context() + " reset", {"every", "start", "values"});
        sim::PeriodicResetSpec r;
        r.every = reset_reader.required_number("every");
        r.start = reset_reader.number("start", 0.0);
        const toml::table* values = reset_reader.subtable("values");
        if (!values) throw reset_reader.missing("values");
        for (const auto& [key, node] : *values)
            r.values[std::string(key.str())] = number_of(node, reader.context() + ": reset.values." + std::string(key.str()));
        spec.reset = std::move(r);
    }
    return spec;
}

ValueSpec ConfigReader::read_value(const toml::node& node, const std::string& what) const {
    if (node.is_integer() || node.is_floating_point()) return ValueSpec::constant(*node.value<double>());
    if (!node.is_table())
        throw error_at(node, what + " must be a number or a table such as { uniform = [low, high] }, not " + type_name(node));
    const TableReader reader(*node.as_table(), what, {"uniform", "normal", "clip", "values", "file"});
    const auto pair = [&](const std::string& key) {
        const toml::array* a = reader.find(key)->as_array();
        if (!a || a->size() != 2) throw reader.error(key, key + " must be [a, b]");
        return std::pair{number_of((*a)[0], what + "." + key), number_of((*a)[1], what + "." + key)};
    };
    ValueSpec v;
    const int forms = reader.has("uniform") + reader.has("normal") + reader.has("values") + reader.has("file");
    if (forms != 1) throw error_at(node, what + " needs exactly one of uniform, normal, values, file");
    if (reader.has("clip") && !reader.has("normal")) throw reader.error("clip", "clip applies to normal only");
    if (reader.has("uniform")) {
        v.kind = ValueSpec::Kind::uniform;
        std::tie(v.a, v.b) = pair("uniform");
    } else if (reader.has("normal")) {
        v.kind = ValueSpec::Kind::normal;
        std::tie(v.a, v.b) = pair("normal");
        if (reader.has("clip")) v.clip = pair("clip");
    } else if (reader.has("values")) {
        v.kind = ValueSpec::Kind::values;
        const toml::array* a = reader.find("values")->as_array();
        if (!a) throw reader.error("values", "values must be an array of numbers");
        for (const auto& x : *a) v.values.push_back(number_of(x, what + ".values"));
    } else {
        v.kind = ValueSpec::Kind::values;
        for (const auto& row : read_columns(reader, "file", 1, 1)) v.values.push_back(row[0]);
    }
    return v;
}

// Whitespace-separated numbers, one record per line; '#' starts a comment (so PyNN's
// "# columns = [...]" header is skipped).
std::vector<std::vector<double>> ConfigReader::read_columns(const TableReader& reader, const std::string& key,
                                                            std::size_t min_columns, std::size_t max_columns) const {
    const std::string file = reader.required_string(key);
    const std::string path = resolve(file);
    std::ifstream in(path);
    if (!in) throw reader.error(key, "cannot read " + key + " " + quoted(path) + " (" + std::strerror(errno) + ")");
    std::vector<std::vector<double>> rows;
    std::string line;
    std::size_t columns = 0;
    for (int number = 1; std::getline(in, line); ++number) {
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        std::istringstream fields(line);
        std::vector<double> row;
        std::string field;
        while (fields >> field) {
            char* end = nullptr;
            const double x = std::strtod(field.c_str(), &end);
            if (end == field.c_str() || *end != '\0')
                throw ConfigError(path, number, 1, "\"" + field + "\" is not a number (" + reader.context() + ", " + key + ")");
            row.push_back(x);
        }
        if (row.empty()) continue;
        if (columns == 0) columns = row.size();
        if (row.size() < min_columns || row.size() > max_columns || row.size() != columns)
            throw ConfigError(path, number, 1, "expected " + std::to_string(columns ? columns : min_columns) +
                                                   " columns, found " + std::to_string(row.size()));
        rows.push_back(std::move(row));
    }
    return rows;
}

sim::Receptor ConfigReader::read_receptor(const TableReader& reader) const {
    const std::string receptor = reader.string("receptor", "excitatory");
    if (receptor == "excitatory") return sim::Receptor::excitatory;
    if (receptor == "inhibitory") return sim::Receptor::inhibitory;
    throw reader.error("receptor", "receptor " + quoted(receptor) + " must be \"excitatory\" or \"inhibitory\"" +
                                       sim::did_you_mean(receptor, {"excitatory", "inhibitory"}));
}

sim::ProjectionSpec ConfigReader::read_projection(const toml::table& table) const {
    const auto text = [&](const char* key) {
        return table.get(key) && table.get(key)->is_string() ? *table.get(key)->value<std::string>() : std::string();
    };
    const std::string label = text("name").empty() ? text("pre") + "->" + text("post") : text("name");
    const TableReader reader(table, "projection " + quoted(label),
                             {"name", "pre", "post", "receptor", "connect", "weight", "delay", "plasticity",
                              "release_probability", "transmit"});
    sim::ProjectionSpec spec;
    spec.pre = reader.required_string("pre");
    spec.post = reader.required_string("post");
    spec.name = reader.string("name", spec.pre + "->" + spec.post);
    spec.receptor = read_receptor(reader);
    spec.connect = read_connector(reader);
    if (reader.has("weight")) spec.weight = read_value(*reader.find("weight"), reader.context() + ": weight");
    else if (!spec.connect.list_has_weight) throw reader.missing("weight");
    // A delay left out is one step: PyNN's default, the minimum delay.
    spec.delay = reader.has("delay") ? read_value(*reader.find("delay"), reader.context() + ": delay")
                                     : ValueSpec::constant(dt_);
    for (auto* value : {&spec.weight, &spec.delay})
        if (value->kind == ValueSpec::Kind::values)
            throw reader.error(value == &spec.weight ? "weight" : "delay",
                               "per-connection values come with connect.rule = \"from_list\" (weight and delay columns)");
    if (reader.has("plasticity")) spec.plasticity = read_plasticity(reader);
    spec.release_probability = reader.number("release_probability", 1.0);
    spec.transmit = reader.string("transmit", "");
    return spec;
}

sim::ConnectorSpec ConfigReader::read_connector(const TableReader& projection) const {
    const toml::table* table = projection.subtable("connect");
    if (!table) throw projection.missing("connect");
    const TableReader probe(*table, projection.context() + " connect",
                            {"rule", "p", "n", "allow_self", "allow_multiple", "list", "file"});
    const std::string rule = probe.required_string("rule");
    using Rule = sim::ConnectorSpec::Rule;
    const std::vector<std::pair<std::string, Rule>> rules{
        {"all_to_all", Rule::all_to_all}, {"one_to_one", Rule::one_to_one},
        {"fixed_probability", Rule::fixed_probability}, {"fixed_number_pre", Rule::fixed_number_pre},
        {"fixed_number_post", Rule::fixed_number_post}, {"fixed_total_number", Rule::fixed_total_number},
        {"from_list", Rule::from_list}};
    std::vector<std::string> names;
    for (const auto& r : rules) names.push_back(r.first);
    const auto found = std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r.first == rule; });
    if (found == rules.end())
        throw probe.error("rule", "unknown connect rule " + quoted(rule) + sim::did_you_mean(rule, names) + "; valid: " + sim::join(names));
    std::vector<std::string> allowed{"rule", "allow_self"};
    switch (found->second) {
        case Rule::fixed_probability: allowed.push_back("p"); break;
        case Rule::fixed_number_pre:
        case Rule::fixed_number_post:
        case Rule::fixed_total_number: allowed.insert(allowed.end(), {"n", "allow_multiple"}); break;
        case Rule::from_list: allowed.insert(allowed.end(), {"list", "file"}); break;
        default: break;
    }
    const TableReader reader(*table, projection.context() + " connect (rule " + rule + ")", allowed);
    sim::ConnectorSpec spec;
    spec.rule = found->second;
    spec.allow_self = reader.boolean("allow_self", true);  // PyNN's default
    // PyNN's defaults: FixedNumber* draw without replacement, FixedTotalNumber with.
    spec.allow_multiple = reader.boolean("allow_multiple", spec.rule == Rule::fixed_total_number);
    if (spec.rule == Rule::fixed_probability) spec.p = reader.required_number("p");
    if (spec.rule == Rule::fixed_number_pre || spec.rule == Rule::fixed_number_post ||
        spec.rule == Rule::fixed_total_number) {
        const std::int64_t n = reader.required_integer("n");
        if (n < 0) throw reader.error("n", "n = " + std::to_string(n) + " must be >= 0");
        spec.n = static_cast<std::uint64_t>(n);
    }
    if (spec.rule == Rule::from_list) {
        if (reader.has("list") == reader.has("file")) throw error_at(*table, reader.context() + ": give one of list or file");
        std::vector<std::vector<double>> rows;
        if (reader.has("file")) {
            rows = read_columns(reader, "file", 2, 4);
        } else {
            const toml::array* list = reader.find("list")->as_array();
            if (!list) throw reader.error("list", "list must be an array of [pre, post] or [pre, post, weight, delay]");
            for (const auto& entry : *list) {
                const toml::array* row = entry.as_array();
                if (!row || row->size() < 2 || row->size() > 4)
                    throw error_at(entry, reader.context() + ": each list entry is [pre, post], [pre, post, weight] or [pre, post, weight, delay]");
                std::vector<double> values;
                for (const auto& x : *row) values.push_back(number_of(x, reader.context() + ": list entries"));
                if (!rows.empty() && rows.front().size() != values.size())
                    throw error_at(entry, reader.context() + ": list entries have different lengths");
                rows.push_back(std::move(values));
            }
        }
        spec.list_has_weight = !rows.empty() && rows.front().size() >= 3;
        spec.list_has_delay = !rows.empty() && rows.front().size() >= 4;
        for (const auto& row : rows) {
            for (int c = 0; c < 2; ++c)
                if (row[c] < 0 || row[c] != std::floor(row[c]) || row[c] > 4294967295.0)
                    throw reader.error(reader.has("file") ? "file" : "list",
                                       "neuron index " + sim::format_number(row[c]) + " is not a non-negative integer");
            spec.list.push_back({static_cast<std::uint32_t>(row[0]), static_cast<std::uint32_t>(row[1]),
                                 row.size() >= 3 ? row[2] : 0.0, row.size() >= 4 ? row[3] : 0.0});
        }
    }
    return spec;
}

sim::PlasticitySpec ConfigReader::read_plasticity(const TableReader& projection) const {
    const toml::table* table = projection.subtable("plasticity");
    sim::PlasticitySpec spec;
    const std::string context = projection.context() + " plasticity";
    for (const auto& [key, node] : *table) {
        const std::string k(key.str());
        if (k == "rule" || k == "weight_dependence" || k == "pairing") {
            if (!node.is_string()) throw error_at(node, context + ": " + k + " must be a string, not " + type_name(node));
            (k == "rule" ? spec.rule : k == "pairing" ? spec.pairing : spec.weight_dependence) = *node.value<std::string>();
        } else {
            spec.params[k] = number_of(node, context + ": " + k);
        }
    }
    if (spec.rule.empty()) throw error_at(*table, context + ": missing key \"rule\"");
    if (spec.weight_dependence.empty()) spec.weight_dependence = "additive";
    return spec;
}

sim::PoissonInputSpec ConfigReader::read_poisson_input(const toml::table& table, std::size_t index) const {
    const TableReader reader(table, "poisson_input #" + std::to_string(index + 1),
                             {"target", "receptor", "rate", "weight", "start", "stop"});
    sim::PoissonInputSpec spec;
    spec.target = reader.required_string("target");
    spec.receptor = read_receptor(reader);
    spec.rate = reader.required_number("rate");
    spec.weight = reader.required_number("weight");
    spec.start = reader.number("start", 0.0);
    spec.stop = reader.number("stop", -1.0);
    return spec;
}

void ConfigReader::read_record(const toml::table& table, std::size_t index, RunSpec& run) const {
    const std::string context = "record #" + std::to_string(index + 1);
    if (table.get("projection")) {
        const TableReader reader(table, context, {"projection", "weights", "interval"});
        if (!reader.boolean("weights", true)) return;
        run.weight_records.push_back({reader.required_string("projection"), reader.number("interval", 0.0)});
        return;
    }
    const TableReader reader(table, context, {"population", "spikes", "state", "neurons", "interval"});
    StateRecordSpec spec;
    spec.population = reader.required_string("population");
    spec.spikes = reader.boolean("spikes", true);
    if (const toml::node* state = reader.find("state")) {
        const toml::array* names = state->as_array();
        if (!names) throw reader.error("state", "state must be an array of variable names, e.g. [\"v\"]");
        for (const auto& name : *names) {
            if (!name.is_string()) throw error_at(name, context + ": state entries must be strings");
            spec.variables.push_back(*name.value<std::string>());
        }
    }
    if (const toml::node* neurons = reader.find("neurons")) {
        if (neurons->is_string() && *neurons->value<std::string>() == "all") {
            spec.all_neurons = true;
        } else if (const toml::array* list = neurons->as_array()) {
            for (const auto& n : *list) {
                if (!n.is_integer() || *n.value<std::int64_t>() < 0)
                    throw error_at(n, context + ": neurons must be \"all\" or a list of non-negative integers");
                spec.neurons.push_back(static_cast<std::uint32_t>(*n.value<std::int64_t>()));
            }
        } else {
            throw reader.error("neurons", "neurons must be \"all\" or a list of neuron indices");
        }
    } else {
        spec.all_neurons = true;
    }
    spec.interval = reader.number("interval", 0.0);
    if (spec.interval < 0.0) throw reader.error("interval", "interval must be >= 0 (ms)");
    run.records.push_back(std::move(spec));
}

void ConfigReader::validate_records(const RunSpec& run) const {
    for (std::size_t i = 0; i < run.records.size(); ++i) {
        const StateRecordSpec& r = run.records[i];
        const TableReader reader(*record_tables_[i], "record #" + std::to_string(i + 1),
                                 {"population", "spikes", "state", "neurons", "interval"});
        const auto& pops = run.network.populations;
        const auto pop = std::find_if(pops.begin(), pops.end(), [&](const auto& p) { return p.name == r.population; });
        if (pop == pops.end()) {
            std::vector<std::string> names;
            for (const auto& p : pops) names.push_back(p.name);
            throw reader.error("population", "unknown population " + quoted(r.population) +
                                                 sim::did_you_mean(r.population, names) + "; populations: " + sim::join(names));
        }
        const sim::ModelInfo& model = models_.at(pop->model);
        std::vector<std::string> vars;
        for (const auto& s : sim::state_variables(model, *pop)) vars.push_back(s.name);
        for (const auto& v : r.variables)
            if (std::find(vars.begin(), vars.end(), v) == vars.end())
                throw reader.error("state", quoted(v) + " is not a state variable of " + model.name + sim::did_you_mean(v, vars) +
                                                (vars.empty() ? " (it has none)" : "; valid: " + sim::join(vars)));
        for (const auto n : r.neurons)
            if (n >= pop->size)
                throw reader.error("neurons", "neuron " + std::to_string(n) + " is outside population " +
                                                  quoted(r.population) + " of size " + std::to_string(pop->size));
    }
    for (const auto& w : run.weight_records) {
        const auto& projs = run.network.projections;
        if (std::none_of(projs.begin(), projs.end(), [&](const auto& p) { return p.name == w.projection; })) {
            std::vector<std::string> names;
            for (const auto& p : projs) names.push_back(p.name);
            for (const auto* t : record_tables_)
                if (t->get("projection") && t->get("projection")->value<std::string>() == w.projection)
                    throw error_at(*t->get("projection"), "record: unknown projection " + quoted(w.projection) +
                                                              sim::did_you_mean(w.projection, names) + "; projections: " + sim::join(names));
        }
    }
}

// Points a SpecError from validation at the config line that set the offending key (or, for a
// key left at its default, at the item's table).
void ConfigReader::locate(const SpecError& e) const {
    const toml::table* table = nullptr;
    switch (e.section()) {
        case SpecError::Section::simulation: table = simulation_table_ ? simulation_table_ : &root_; break;
        case SpecError::Section::population: table = population_tables_.at(e.index()); break;
        case SpecError::Section::projection: table = projection_tables_.at(e.index()); break;
        case SpecError::Section::poisson_input: table = input_tables_.at(e.index()); break;
        case SpecError::Section::record: table = record_tables_.at(e.index()); break;
    }
    const toml::node* node = table;
    std::size_t start = 0;
    const std::string& key = e.key();
    while (start <= key.size() && node && node->is_table()) {
        const std::size_t dot = key.find('.', start);
        const toml::node* child = node->as_table()->get(key.substr(start, dot - start));
        if (!child) break;
        node = child;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    throw error_at(*node, e.what());
}

}  // namespace

RunSpec parse_config(const std::string& text, const std::string& path, const ConfigOverrides& overrides,
                     const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw error_at(e.source(), std::string(e.description()));
    }
    for (const auto& assignment : overrides.set) apply_override(root, assignment);
    RunSpec run = ConfigReader(root, path, models, rules).read();
    run.config_path = path;
    run.config_text = text;
    run.overrides = overrides.set;
    return run;
}

RunSpec load_config(const std::string& path, const ConfigOverrides& overrides, const sim::ModelRegistry& models,
                    const sim::PlasticityRegistry& rules) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path, 0, 0, std::string("cannot read config (") + std::strerror(errno) + ")");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path, overrides, models, rules);
}

}  // namespace myelin::io
