// Edit distance and suggestions for error messages (suggest.hpp).
#include "sim/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace myelin::sim {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                              std::tolower(static_cast<unsigned char>(b[j - 1]));
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string did_you_mean(std::string_view given, const std::vector<std::string>& candidates) {
    const std::string* best = nullptr;
    std::size_t best_distance = 0;
    for (const auto& candidate : candidates) {
        const std::size_t d = edit_distance(given, candidate);
        if (!best || d < best_distance) {
            best = &candidate;
            best_distance = d;
        }
    }
    // A third of the name (at least 1, at most 3 edits) still reads as a typo.
    const std::size_t allowed = std::clamp<std::size_t>(given.size() / 3, 1, 3);
    if (!best || best_distance > allowed) return "";
    return " (did you mean \"" + *best + "\"?)";
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += separator;
        out += items[i];
    }
    return out;
}

}  // namespace myelin::sim
