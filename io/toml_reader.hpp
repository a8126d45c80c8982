// Typed, position-aware access to TOML tables for the config reader: every error names
// file:line:column, the item and the key; unknown keys get a "did you mean".
#pragma once

#include "sim/error.hpp"

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <vector>

namespace myelin::io {

// An error located at a node's source position.
ConfigError error_at(const toml::source_region& where, const std::string& message);
inline ConfigError error_at(const toml::node& node, const std::string& message) {
    return error_at(node.source(), message);
}

std::string type_name(const toml::node& node);

class TableReader {
public:
    // Rejects keys not in `allowed` at once. `context` prefixes messages ("population \"exc\"").
    TableReader(const toml::table& table, std::string context, const std::vector<std::string>& allowed);

    const toml::table& table() const { return table_; }
    const std::string& context() const { return context_; }
    const toml::node* find(const std::string& key) const { return table_.get(key); }
    bool has(const std::string& key) const { return find(key) != nullptr; }

    double number(const std::string& key, double fallback) const;
    double required_number(const std::string& key) const;
    std::int64_t integer(const std::string& key, std::int64_t fallback) const;
    std::int64_t required_integer(const std::string& key) const;
    std::string string(const std::string& key, const std::string& fallback) const;
    std::string required_string(const std::string& key) const;
    bool boolean(const std::string& key, bool fallback) const;
    const toml::table* subtable(const std::string& key) const;  // null if absent

    ConfigError error(const std::string& key, const std::string& message) const;  // at the key's value
    ConfigError missing(const std::string& key) const;

private:
    const toml::table& table_;
    std::string context_;
};

// A number (integer or float) from a node, or a ConfigError naming `what`.
double number_of(const toml::node& node, const std::string& what);

}  // namespace myelin::io
