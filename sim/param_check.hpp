// Checks for parameter values that throw ParamError naming the key, the value and the rule.
#pragma once

#include "sim/error.hpp"

#include <cmath>
#include <sstream>
#include <string>
#include <string_view>

namespace myelin::sim {

inline std::string format_number(double value) {
    std::ostringstream out;
    out.precision(12);
    out << value;
    return out.str();
}

inline void require(bool ok, std::string_view key, double value, std::string_view rule,
                    std::string_view unit = "") {
    if (ok) return;
    std::string message = std::string(key) + " = " + format_number(value) + " " + std::string(rule);
    if (!unit.empty()) message += " (" + std::string(unit) + ")";
    throw ParamError(std::string(key), message);
}

inline void require_finite(std::string_view key, double value, std::string_view unit = "") {
    require(std::isfinite(value), key, value, "must be a finite number", unit);
}

inline void require_positive(std::string_view key, double value, std::string_view unit = "") {
    require(std::isfinite(value) && value > 0.0, key, value, "must be > 0", unit);
}

inline void require_non_negative(std::string_view key, double value, std::string_view unit = "") {
    require(std::isfinite(value) && value >= 0.0, key, value, "must be >= 0", unit);
}

}  // namespace myelin::sim
