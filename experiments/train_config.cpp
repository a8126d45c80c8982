// Reading `myelin train` configs (train_config.hpp).
#include "experiments/train_config.hpp"

#include "io/toml_reader.hpp"
#include "sim/param_check.hpp"
#include "sim/suggest.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

namespace myelin::cli {
namespace {

std::size_t positive_count(const io::TableReader& table, const std::string& key, std::size_t fallback,
                           std::int64_t most) {
    const std::int64_t value = table.integer(key, static_cast<std::int64_t>(fallback));
    if (value < 1 || value > most)
        throw table.error(key, key + " = " + std::to_string(value) + " must be within [1, " + std::to_string(most) + "]");
    return static_cast<std::size_t>(value);
}

void read_train(const io::TableReader& table, TrainSpec& spec) {
    if (!table.has("algorithm")) throw table.missing("algorithm");
    spec.algorithm = table.string("algorithm", "");
    const auto known = train_algorithms();
    if (std::find(known.begin(), known.end(), spec.algorithm) == known.end())
        throw table.error("algorithm", "algorithm = \"" + spec.algorithm + "\" is not a known trainer" +
                                           sim::did_you_mean(spec.algorithm, known) + "; known: " + sim::join(known));
    const std::int64_t seed = table.integer("seed", 1);
    if (seed < 0) throw table.error("seed", "seed = " + std::to_string(seed) + " must be >= 0");
    spec.seed = static_cast<std::uint64_t>(seed);
    spec.cycles = positive_count(table, "cycles", spec.cycles, 10'000'000);
    const std::int64_t threads = table.integer("threads", 0);
    if (threads < 0 || threads > 1024)
        throw table.error("threads", "threads = " + std::to_string(threads) + " must be within [0, 1024]");
    spec.threads = static_cast<int>(threads);
}

void read_task(const io::TableReader& table, LatencyTaskSpec& task) {
    const std::string kind = table.string("kind", "random_latency");
    if (kind != "random_latency")
        throw table.error("kind", "kind = \"" + kind + "\" is not a known task" +
                                      sim::did_you_mean(kind, {"random_latency"}) + "; known: random_latency");
    task.afferents = positive_count(table, "afferents", task.afferents, 1 << 24);
    task.patterns = positive_count(table, "patterns", task.patterns, 1 << 24);
    task.duration = table.number("duration", task.duration);
    if (!(task.duration > 0.0) || !std::isfinite(task.duration))
        throw table.error("duration", "duration = " + sim::format_number(task.duration) + " must be > 0 (ms)");
}

void read_tempotron(const io::TableReader& table, learning::TempotronParams& params) {
    for (const auto& field : learning::tempotron_param_fields)
        params.*field.member = table.number(std::string(field.key), params.*field.member);
    try {
        learning::validate_tempotron(params);
    } catch (const ParamError& e) {
        throw table.error(e.key(), e.what());
    }
}

std::vector<std::string> tempotron_keys() {
    std::vector<std::string> keys;
    for (const auto& field : learning::tempotron_param_fields) keys.emplace_back(field.key);
    return keys;
}

}  // namespace

std::vector<std::string> train_algorithms() { return {"tempotron", "bptt", "meta", "sym_stdp", "tess"}; }

TrainSpec parse_train_config(const std::string& text, const std::string& path) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw io::error_at(e.source(), std::string(e.description()));
    }
    TrainSpec spec;
    spec.path = path;
    spec.text = text;
    const io::TableReader top(root, "config", {"train", "task", "tempotron", "bptt", "meta", "data", "sym_stdp", "tess", "output"});
    const toml::table* train = top.subtable("train");
    if (!train) throw ConfigError(path, 0, 0, "config: missing table [train] (with algorithm = \"tempotron\")");
    read_train(io::TableReader(*train, "[train]", {"algorithm", "seed", "cycles", "threads"}), spec);
    if (spec.algorithm == "meta") read_meta_tables(top, spec.meta);
    else if (const toml::table* task = top.subtable("task"))
        read_task(io::TableReader(*task, "[task]", {"kind", "afferents", "patterns", "duration"}), spec.task);
    if (const toml::table* tempotron = top.subtable("tempotron"))
        read_tempotron(io::TableReader(*tempotron, "[tempotron]", tempotron_keys()), spec.tempotron);
    if (const toml::table* bptt = top.subtable("bptt")) read_bptt(io::TableReader(*bptt, "[bptt]", bptt_keys()), spec.bptt);
    if (const toml::table* tess = top.subtable("tess")) read_tess(io::TableReader(*tess, "[tess]", tess_keys()), spec.tess);
    if (spec.algorithm != "tess" && top.has("tess"))
        throw top.error("tess", "table [tess] does not apply to algorithm = \"" + spec.algorithm + "\"");
    // Each algorithm's tables belong to it alone: a stray one is a mistake worth naming.
    const bool sym_stdp = spec.algorithm == "sym_stdp";
    for (const char* table : {"task", "tempotron", "data", "sym_stdp"}) {
        const bool own = (std::string_view(table) == "data" || std::string_view(table) == "sym_stdp") == sym_stdp;
        if (!own && top.has(table))
            throw top.error(table, std::string("table [") + table + "] does not apply to algorithm = \"" + spec.algorithm + "\"");
    }
    if (const toml::table* data = top.subtable("data"))
        read_image_data(io::TableReader(*data, "[data]", image_data_keys()), spec.sym_stdp.data);
    if (const toml::table* table = top.subtable("sym_stdp"))
        read_sym_stdp(io::TableReader(*table, "[sym_stdp]", sym_stdp_keys()), spec.sym_stdp);
    if (const toml::table* output = top.subtable("output")) {
        const io::TableReader reader(*output, "[output]", {"file"});
        spec.output = reader.string("file", "");
        if (spec.output.empty()) throw reader.error("file", "file must not be empty");
    }
    return spec;
}

TrainSpec load_train_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path, 0, 0, std::string("cannot read config (") + std::strerror(errno) + ")");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_train_config(text.str(), path);
}

}  // namespace myelin::cli
