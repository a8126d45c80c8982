// One draw from a ValueSpec's distribution (weights, delays, initial state values).
#pragma once

#include "sim/network_spec.hpp"
#include "sim/random.hpp"

#include <algorithm>

namespace myelin::sim {

// Constant, uniform or (clamped) normal; a per-item list is indexed by the caller instead.
inline double draw_value(const ValueSpec& value, RandomStream& stream) {
    switch (value.kind) {
        case ValueSpec::Kind::uniform: return stream.uniform(value.a, value.b);
        case ValueSpec::Kind::normal: {
            const double x = value.a + value.b * stream.normal();
            return value.clip ? std::clamp(x, value.clip->first, value.clip->second) : x;
        }
        case ValueSpec::Kind::constant:
        case ValueSpec::Kind::values: break;
    }
    return value.a;
}

}  // namespace myelin::sim
