// --set key.path=value: changes to a config's TOML before it is read. The first part of the
// path names a table ("simulation", "output") or an item of an array of tables by its name
// ("population.exc", "projection.ee"); the value is TOML ("8000", "0.5", "{ rule = ... }"),
// and a bare word is taken as a string.
#pragma once

#include <toml++/toml.h>

#include <string>

namespace myelin::io {

// Throws ConfigError naming the option when the path or value cannot be applied.
void apply_override(toml::table& config, const std::string& assignment);

}  // namespace myelin::io
