// Position-aware TOML access (toml_reader.hpp).
#include "io/toml_reader.hpp"

#include "sim/suggest.hpp"

#include <algorithm>

namespace myelin::io {

ConfigError error_at(const toml::source_region& where, const std::string& message) {
    const std::string path = where.path ? *where.path : std::string("<config>");
    // Values given with --set are located by the option itself, not by a line.
    if (path.rfind("--set", 0) == 0) return ConfigError(path, 0, 0, message);
    return ConfigError(path, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), message);
}

std::string type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a float";
        case toml::node_type::boolean: return "a boolean";
        default: return "a date/time";
    }
}

double number_of(const toml::node& node, const std::string& what) {
    if (const auto v = node.value<double>(); v && (node.is_integer() || node.is_floating_point())) return *v;
    throw error_at(node, what + " must be a number, not " + type_name(node));
}

TableReader::TableReader(const toml::table& table, std::string context, const std::vector<std::string>& allowed)
    : table_(table), context_(std::move(context)) {
    for (const auto& [key, node] : table_) {
        const std::string name(key.str());
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            throw error_at(key.source(), context_ + ": unknown key \"" + name + "\"" +
                                             sim::did_you_mean(name, allowed) + "; valid keys: " + sim::join(allowed));
    }
}

ConfigError TableReader::error(const std::string& key, const std::string& message) const {
    const toml::node* node = find(key);
    return error_at(node ? node->source() : table_.source(), context_ + ": " + message);
}

ConfigError TableReader::missing(const std::string& key) const {
    return error_at(table_.source(), context_ + ": missing key \"" + key + "\"");
}

double TableReader::number(const std::string& key, double fallback) const {
    const toml::node* node = find(key);
    if (!node) return fallback;
    if (!node->is_integer() && !node->is_floating_point())
        throw error(key, key + " must be a number, not " + type_name(*node));
    return *node->value<double>();
}

double TableReader::required_number(const std::string& key) const {
    if (!has(key)) throw missing(key);
    return number(key, 0.0);
}

std::int64_t TableReader::integer(const std::string& key, std::int64_t fallback) const {
    const toml::node* node = find(key);
    if (!node) return fallback;
    if (!node->is_integer()) throw error(key, key + " must be an integer, not " + type_name(*node));
    return *node->value<std::int64_t>();
}

std::int64_t TableReader::required_integer(const std::string& key) const {
    if (!has(key)) throw missing(key);
    return integer(key, 0);
}

std::string TableReader::string(const std::string& key, const std::string& fallback) const {
    const toml::node* node = find(key);
    if (!node) return fallback;
    if (!node->is_string()) throw error(key, key + " must be a string, not " + type_name(*node));
    return *node->value<std::string>();
}

std::string TableReader::required_string(const std::string& key) const {
    if (!has(key)) throw missing(key);
    return string(key, "");
}

bool TableReader::boolean(const std::string& key, bool fallback) const {
    const toml::node* node = find(key);
    if (!node) return fallback;
    if (!node->is_boolean()) throw error(key, key + " must be true or false, not " + type_name(*node));
    return *node->value<bool>();
}

const toml::table* TableReader::subtable(const std::string& key) const {
    const toml::node* node = find(key);
    if (!node) return nullptr;
    if (!node->is_table()) throw error(key, key + " must be a table ({ ... }), not " + type_name(*node));
    return node->as_table();
}

}  // namespace myelin::io
