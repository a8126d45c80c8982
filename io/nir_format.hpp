// NIR graphs (neuromorphs/NIR, the Neuromorphic Intermediate Representation) in memory and in
// their HDF5 file layout. Layout facts, checked against files the reference writer produced
// (its serialization.py and paper/*.nir), are in docs/export.md "NIR file layout".
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace myelin::io {

// A numeric dataset: row-major values with their shape (empty shape: a scalar). The file type
// is kept so a writer can choose it (weights as float32, as Myelin stores them) and a reader
// can tell an integer shape from a float parameter.
struct NirArray {
    enum class Type { f64, f32, i64 };
    Type type = Type::f64;
    std::vector<std::size_t> shape;
    std::vector<double> values;

    static NirArray vector(std::vector<double> values, Type type = Type::f64) {
        const std::size_t n = values.size();
        return {type, {n}, std::move(values)};
    }
    static NirArray scalar(double value, Type type = Type::f64) { return {type, {}, {value}}; }
    std::size_t size() const { return values.size(); }
};

// One dataset of a node: a number array or a string.
struct NirValue {
    bool is_text = false;
    std::string text;
    NirArray array;

    NirValue() = default;
    NirValue(NirArray a) : array(std::move(a)) {}
    NirValue(std::string s) : is_text(true), text(std::move(s)) {}
};

struct NirNode {
    std::string name;
    std::string type;                        // "CubaLIF", "Linear", ... (the reference class names)
    std::map<std::string, NirValue> fields;  // parameters, spelled as the reference spells them
    std::map<std::string, NirValue> metadata;

    bool has(const std::string& key) const { return fields.count(key) != 0; }
    // The numeric field `key`; throws Error naming the node when it is missing or a string.
    const NirArray& array(const std::string& key) const;
};

struct NirGraph {
    std::string version;
    std::vector<NirNode> nodes;  // written in this order; read back in the file's (name) order
    std::vector<std::pair<std::string, std::string>> edges;
    std::map<std::string, NirValue> metadata;  // the graph's metadata group

    const NirNode* find(const std::string& name) const;
};

// Writes `graph` to `path` atomically (a temporary file, then rename): arrays gzip-compressed,
// strings as variable-length UTF-8, as the reference writer does. Throws IoError.
void write_nir(const NirGraph& graph, const std::string& path);

// Reads a NIR file. A file that is not HDF5, is truncated, or lacks the NIR layout (no
// /version, no /node group of type NIRGraph, malformed edges) throws IoError saying which.
NirGraph read_nir(const std::string& path);

}  // namespace myelin::io
