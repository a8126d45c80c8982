// --set overrides (overrides.hpp).
#include "io/overrides.hpp"

#include "io/toml_reader.hpp"
#include "sim/suggest.hpp"

namespace myelin::io {
namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        parts.push_back(path.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts;
}

// The item of an array of tables whose `name` is `name` (or whose index it is).
toml::table* find_item(toml::array& items, const std::string& name, std::vector<std::string>& names) {
    for (std::size_t i = 0; i < items.size(); ++i) {
        toml::table* item = items[i].as_table();
        if (!item) continue;
        const std::string item_name = item->get("name") && item->get("name")->is_string()
                                          ? *item->get("name")->value<std::string>()
                                          : "";
        names.push_back(item_name);
        if (item_name == name || std::to_string(i) == name) return item;
    }
    return nullptr;
}

}  // namespace

void apply_override(toml::table& config, const std::string& assignment) {
    const std::string where = "--set " + assignment;
    const auto fail = [&](const std::string& message) { return ConfigError(where, 0, 0, message); };
    const std::size_t equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) throw fail("expected key.path=value");
    const std::string path = assignment.substr(0, equals);
    const std::string text = assignment.substr(equals + 1);

    toml::table parsed;
    try {
        parsed = toml::parse("value = " + text, where);
    } catch (const toml::parse_error&) {
        // Not TOML: a bare word such as a file name is a string.
        std::string quoted = "\"";
        for (const char c : text) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        parsed = toml::parse("value = " + quoted + "\"", where);
    }
    const std::vector<std::string> parts = split_path(path);
    toml::table* table = &config;
    std::size_t next = 0;
    if (parts.size() >= 3 && config.get(parts[0]) && config.get(parts[0])->is_array_of_tables()) {
        std::vector<std::string> names;
        table = find_item(*config.get(parts[0])->as_array(), parts[1], names);
        if (!table)
            throw fail("no " + parts[0] + " named \"" + parts[1] + "\"" + sim::did_you_mean(parts[1], names) +
                       "; names: " + sim::join(names));
        next = 2;
    }
    for (; next + 1 < parts.size(); ++next) {
        toml::node* child = table->get(parts[next]);
        if (!child) {
            table->insert(parts[next], toml::table{});
            child = table->get(parts[next]);
        }
        if (!child->is_table()) throw fail("\"" + parts[next] + "\" is " + type_name(*child) + ", not a table");
        table = child->as_table();
    }
    toml::node* value = parsed.get("value");
    value->visit([&](auto&& node) { table->insert_or_assign(parts.back(), std::move(node)); });
}

}  // namespace myelin::io
