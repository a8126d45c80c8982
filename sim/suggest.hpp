// "Did you mean" for misspelt names: the closest candidate by edit distance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace myelin::sim {

// Levenshtein distance, case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// " (did you mean \"x\"?)" when a candidate is close enough to be a likely typo, else "".
std::string did_you_mean(std::string_view given, const std::vector<std::string>& candidates);

// "a, b, c" for messages that list the valid choices.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace myelin::sim
