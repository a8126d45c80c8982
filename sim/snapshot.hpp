// The engine's mutable state as named arrays: what a checkpoint holds besides the network's
// description and connectivity. Every array is in an order that does not depend on the thread
// count, so a snapshot taken on one thread count restores on any other. The engine fills and
// reads it; io/checkpoint writes it to HDF5 (each name a dataset path, e.g.
// "populations/exc/state/v") and reads it back.
#pragma once

#include "sim/error.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace myelin::sim {

class Snapshot {
public:
    using Array = std::variant<std::vector<double>, std::vector<float>, std::vector<std::int64_t>,
                               std::vector<std::int32_t>, std::vector<std::uint32_t>>;

    template <class T>
    void put(const std::string& name, std::vector<T> values) {
        arrays_[name] = std::move(values);
    }
    template <class T>
    void put(const std::string& name, std::span<const T> values) {
        put(name, std::vector<T>(values.begin(), values.end()));
    }

    // The array called `name`; throws Error if it is missing, of another type, or (when
    // `expected_size` is given) of another length: a snapshot never restores partially
    // matching state.
    template <class T>
    const std::vector<T>& get(const std::string& name, std::optional<std::size_t> expected_size = {}) const {
        const auto it = arrays_.find(name);
        if (it == arrays_.end()) throw Error("checkpoint has no \"" + name + "\"");
        const auto* values = std::get_if<std::vector<T>>(&it->second);
        if (!values) throw Error("checkpoint entry \"" + name + "\" has the wrong element type");
        if (expected_size && values->size() != *expected_size)
            throw Error("checkpoint entry \"" + name + "\" has " + std::to_string(values->size()) +
                        " values where this network has " + std::to_string(*expected_size));
        return *values;
    }
    // Copies the array called `name` into `out`, which must have its length.
    template <class T>
    void copy_to(const std::string& name, std::span<T> out) const {
        const auto& values = get<T>(name, out.size());
        std::copy(values.begin(), values.end(), out.begin());
    }

    bool contains(const std::string& name) const { return arrays_.count(name) != 0; }
    const std::map<std::string, Array>& arrays() const { return arrays_; }
    std::map<std::string, Array>& arrays() { return arrays_; }

private:
    std::map<std::string, Array> arrays_;
};

// A ring of spike lists (by arrival step) as two arrays: name/offsets has one entry per slot
// plus one, name/spikes the spikes of the slots in slot order.
inline void save_lists(Snapshot& snapshot, const std::string& name,
                       const std::vector<std::vector<std::uint32_t>>& lists) {
    std::vector<std::uint32_t> spikes;
    std::vector<std::int64_t> offsets{0};
    for (const auto& list : lists) {
        spikes.insert(spikes.end(), list.begin(), list.end());
        offsets.push_back(static_cast<std::int64_t>(spikes.size()));
    }
    snapshot.put(name + "/spikes", std::move(spikes));
    snapshot.put(name + "/offsets", std::move(offsets));
}

// `bound`: every spike must be a neuron index below it.
inline void restore_lists(const Snapshot& snapshot, const std::string& name,
                          std::vector<std::vector<std::uint32_t>>& lists, std::size_t bound) {
    const auto& offsets = snapshot.get<std::int64_t>(name + "/offsets", lists.size() + 1);
    const auto& values = snapshot.get<std::uint32_t>(name + "/spikes");
    for (std::size_t k = 0; k + 1 < offsets.size(); ++k)
        if (offsets[k] < 0 || offsets[k] > offsets[k + 1] || static_cast<std::size_t>(offsets[k + 1]) > values.size())
            throw Error("checkpoint entry \"" + name + "/offsets\" is not a valid list of offsets");
    for (const std::uint32_t neuron : values)
        if (neuron >= bound) throw Error("checkpoint entry \"" + name + "/spikes\" names neuron " +
                                         std::to_string(neuron) + " of a population of " + std::to_string(bound));
    for (std::size_t k = 0; k < lists.size(); ++k)
        lists[k].assign(values.begin() + offsets[k], values.begin() + offsets[k + 1]);
}

}  // namespace myelin::sim
