// Batch specs and sweeps (batch_spec.hpp).
#include "io/batch_spec.hpp"

#include "sim/error.hpp"

#include <cmath>
#include <cstdio>
#include <regex>

namespace myelin::io {
namespace {

ConfigError sweep_error(const std::string& text, const std::string& why) {
    return ConfigError("", 0, 0, "--sweep " + text + ": " + why);
}

double number(const std::string& field, const std::string& whole) {
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(field, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != field.size() || !std::isfinite(value))
        throw sweep_error(whole, "\"" + field + "\" is not a number");
    return value;
}

std::string assignment(const Sweep& sweep, std::size_t copy) {
    char value[40];
    std::snprintf(value, sizeof value, "%.17g", sweep.values[copy]);  // round-trips the double
    return sweep.key + "=" + value;
}

}  // namespace

Sweep parse_sweep(const std::string& text) {
    std::smatch m;
    if (!std::regex_match(text, m, std::regex("([^=]+)=([^:]*):([^:]*):([^:]*)")))
        throw sweep_error(text, "expected KEY=FROM:TO:COUNT, e.g. population.exc.params.i_offset=0.1:0.5:16");
    Sweep sweep;
    sweep.key = m[1];
    // Copies share connectivity, so only what a neuron computes with may differ between them.
    if (!std::regex_match(sweep.key, std::regex("population\\.[^.]+\\.params\\.[A-Za-z_][A-Za-z0-9_]*")))
        throw sweep_error(text, "only neuron parameters can be swept: population.NAME.params.KEY");
    const double from = number(m[2], text), to = number(m[3], text);
    const std::string count_text = m[4];
    if (!std::regex_match(count_text, std::regex("[0-9]{1,5}")) || std::stoi(count_text) < 1 || std::stoi(count_text) > 65536)
        throw sweep_error(text, "COUNT = " + count_text + " must be a whole number within [1, 65536]");
    const int count = std::stoi(count_text);
    for (int k = 0; k < count; ++k)
        sweep.values.push_back(k == count - 1 ? to : from + (to - from) * k / std::max(count - 1, 1));
    if (count == 1) sweep.values.front() = from;
    return sweep;
}

std::vector<RunSpec> batch_specs(const std::string& path, const ConfigOverrides& overrides, int batch,
                                 const std::optional<Sweep>& sweep, const sim::ModelRegistry& models,
                                 const sim::PlasticityRegistry& rules) {
    RunSpec first = load_config(path, overrides, models, rules);
    int copies = batch > 0 ? batch : first.batch;
    if (sweep) {
        const int n = static_cast<int>(sweep->values.size());
        if ((batch > 0 || first.batch > 1) && copies != n)
            throw ConfigError("", 0, 0, "--sweep gives " + std::to_string(n) + " copies but the batch size is " +
                                                   std::to_string(copies) + " (leave --batch out, or make them equal)");
        copies = n;
    }
    if (copies > 1 && !first.weight_records.empty())
        throw ConfigError(path, 0, 0, "weight snapshots ([[record]] projection = ...) are not recorded in batch mode");
    std::vector<RunSpec> specs;
    for (int b = 0; b < copies; ++b) {
        ConfigOverrides mine = overrides;
        if (sweep) mine.set.push_back(assignment(*sweep, static_cast<std::size_t>(b)));
        RunSpec spec = b == 0 && !sweep ? first : load_config(path, mine, models, rules);
        spec.network.copy = static_cast<std::uint32_t>(b);
        spec.batch = copies;
        if (sweep) {
            spec.sweep_key = sweep->key;
            spec.sweep_values = sweep->values;
        }
        specs.push_back(std::move(spec));
    }
    return specs;
}

}  // namespace myelin::io
