// A population's state column as it is stored: double, or float where the population runs in
// single precision (`precision = "single"`). Recording, initial values and exporters read and
// write it in double through this view, so they do not care which it is; the step loop itself
// works on the typed spans.
#pragma once

#include <cstddef>
#include <span>
#include <variant>
#include <vector>

namespace myelin::sim {

class StateColumn {
public:
    StateColumn(std::span<double> values) : values_(values) {}  // NOLINT: implicit on purpose
    StateColumn(std::span<float> values) : values_(values) {}   // NOLINT

    std::size_t size() const {
        return std::visit([](auto span) { return span.size(); }, values_);
    }
    double operator[](std::size_t i) const {
        return std::visit([i](auto span) { return static_cast<double>(span[i]); }, values_);
    }
    // Rounds to the column's precision.
    void set(std::size_t i, double value) const {
        std::visit([&](auto span) { span[i] = static_cast<typename decltype(span)::value_type>(value); }, values_);
    }
    std::vector<double> to_vector() const {
        std::vector<double> out(size());
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = (*this)[i];
        return out;
    }
    // The double column itself (null span for a single-precision one): for code that needs
    // direct access to a double-only model's state.
    std::span<double> doubles() const {
        const auto* span = std::get_if<std::span<double>>(&values_);
        return span ? *span : std::span<double>{};
    }

private:
    std::variant<std::span<double>, std::span<float>> values_;
};

// The column that one-delay input joins directly after the update (see
// Population::input_column): double or float, or none.
struct InputColumn {
    double* wide = nullptr;
    float* narrow = nullptr;

    explicit operator bool() const { return wide != nullptr || narrow != nullptr; }
    // Calls f with the typed pointer; the column must exist.
    template <class F>
    decltype(auto) visit(F&& f) const {
        return wide ? f(wide) : f(narrow);
    }
};

}  // namespace myelin::sim
