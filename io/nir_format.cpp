// Reading and writing the NIR HDF5 layout (nir_format.hpp; docs/export.md "NIR file layout").
#include "io/nir_format.hpp"

#include "sim/error.hpp"

#include <H5Cpp.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <numeric>
#include <cstring>

namespace myelin::io {
namespace {

// The reference writer uses h5py's gzip filter at its default level (4).
constexpr int gzip_level = 4;
constexpr hsize_t chunk_bytes = 1 << 20;

H5::StrType utf8_string() {
    H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    type.setCset(H5T_CSET_UTF8);
    return type;
}

const H5::PredType& file_type(NirArray::Type type) {
    switch (type) {
        case NirArray::Type::f32: return H5::PredType::IEEE_F32LE;
        case NirArray::Type::i64: return H5::PredType::STD_I64LE;
        case NirArray::Type::f64: break;
    }
    return H5::PredType::IEEE_F64LE;
}

void write_text(H5::Group& group, const std::string& name, const std::string& text) {
    const H5::StrType type = utf8_string();
    group.createDataSet(name, type, H5::DataSpace(H5S_SCALAR)).write(text, type);
}

void write_array(H5::Group& group, const std::string& name, const NirArray& array) {
    std::size_t expected = 1;
    for (const std::size_t d : array.shape) expected *= d;
    MYELIN_ASSERT(expected == array.values.size());
    const int rank = static_cast<int>(array.shape.size());
    std::vector<hsize_t> dims(array.shape.begin(), array.shape.end());
    const H5::DataSpace space = rank == 0 ? H5::DataSpace(H5S_SCALAR) : H5::DataSpace(rank, dims.data());
    H5::DSetCreatPropList properties;
    // Scalars and empty arrays cannot be chunked; everything else is compressed in chunks of
    // whole rows of about 1 MiB, so a large weight matrix never needs one huge buffer.
    if (rank > 0 && expected > 0) {
        std::vector<hsize_t> chunk = dims;
        const hsize_t row = std::accumulate(dims.begin() + 1, dims.end(), hsize_t{1}, std::multiplies<>());
        chunk[0] = std::clamp<hsize_t>(chunk_bytes / 8 / std::max<hsize_t>(row, 1), 1, dims[0]);
        properties.setChunk(rank, chunk.data());
        properties.setDeflate(gzip_level);
    }
    H5::DataSet dataset = group.createDataSet(name, file_type(array.type), space, properties);
    if (expected > 0) dataset.write(array.values.data(), H5::PredType::NATIVE_DOUBLE);
}

void write_value(H5::Group& group, const std::string& name, const NirValue& value) {
    if (value.is_text) write_text(group, name, value.text);
    else write_array(group, name, value.array);
}

void write_metadata(H5::Group& parent, const std::map<std::string, NirValue>& metadata) {
    if (metadata.empty()) return;  // the reference writer skips an empty metadata dict
    H5::Group group = parent.createGroup("metadata");
    for (const auto& [key, value] : metadata) write_value(group, key, value);
}

// ---- reading ----

std::vector<std::string> read_strings(const H5::DataSet& dataset) {
    const H5::DataSpace space = dataset.getSpace();
    const auto n = static_cast<std::size_t>(space.getSimpleExtentNpoints());
    const H5::StrType type = dataset.getStrType();
    std::vector<std::string> out;
    if (type.isVariableStr()) {
        std::vector<char*> buffer(n, nullptr);
        const H5::StrType memory = utf8_string();
        if (n > 0) dataset.read(buffer.data(), memory);
        for (char* s : buffer) out.emplace_back(s ? s : "");
        if (n > 0) H5Dvlen_reclaim(memory.getId(), space.getId(), H5P_DEFAULT, buffer.data());
    } else {
        const std::size_t width = type.getSize();
        std::vector<char> buffer(n * width);
        if (n > 0) dataset.read(buffer.data(), type);
        for (std::size_t i = 0; i < n; ++i) {
            const char* s = buffer.data() + i * width;
            out.emplace_back(s, ::strnlen(s, width));
        }
    }
    return out;
}

NirValue read_value(const H5::DataSet& dataset, const std::string& where) {
    const H5T_class_t type_class = dataset.getTypeClass();
    if (type_class == H5T_STRING) {
        const auto strings = read_strings(dataset);
        if (strings.size() != 1) throw Error(where + " is an array of strings; expected one string");
        return NirValue(strings.front());
    }
    NirArray array;
    if (type_class == H5T_INTEGER) array.type = NirArray::Type::i64;
    else if (type_class == H5T_FLOAT) array.type = dataset.getFloatType().getSize() == 4 ? NirArray::Type::f32 : NirArray::Type::f64;
    else throw Error(where + " has an HDF5 type Myelin does not read (neither number nor string)");
    const H5::DataSpace space = dataset.getSpace();
    const int rank = space.getSimpleExtentNdims();
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0) space.getSimpleExtentDims(dims.data());
    array.shape.assign(dims.begin(), dims.end());
    array.values.resize(static_cast<std::size_t>(space.getSimpleExtentNpoints()));
    if (!array.values.empty()) dataset.read(array.values.data(), H5::PredType::NATIVE_DOUBLE);
    return NirValue(std::move(array));
}

std::vector<std::string> member_names(const H5::Group& group) {
    std::vector<std::string> names;
    for (hsize_t i = 0; i < group.getNumObjs(); ++i) names.push_back(group.getObjnameByIdx(i));
    return names;
}

std::map<std::string, NirValue> read_metadata(const H5::Group& node, const std::string& where) {
    std::map<std::string, NirValue> out;
    if (!node.nameExists("metadata")) return out;
    const H5::Group group = node.openGroup("metadata");
    for (const auto& key : member_names(group)) {
        if (group.childObjType(key) != H5O_TYPE_DATASET) continue;  // nested metadata: not ours, not needed
        out[key] = read_value(group.openDataSet(key), where + "/metadata/" + key);
    }
    return out;
}

NirNode read_node(const H5::Group& group, const std::string& name, const std::string& where, bool is_graph = false) {
    NirNode node;
    node.name = name;
    if (!group.nameExists("type") || group.childObjType("type") != H5O_TYPE_DATASET)
        throw Error(where + " has no \"type\" dataset");
    const NirValue type = read_value(group.openDataSet("type"), where + "/type");
    if (!type.is_text) throw Error(where + "/type is not a string");
    node.type = type.text;
    for (const auto& key : member_names(group)) {
        if (key == "type" || key == "metadata" || (is_graph && key == "edges")) continue;
        if (group.childObjType(key) == H5O_TYPE_DATASET) node.fields[key] = read_value(group.openDataSet(key), where + "/" + key);
        // Sub-groups (a nested graph's "nodes") are left to the importer, which refuses them by type.
    }
    node.metadata = read_metadata(group, where);
    return node;
}

}  // namespace

const NirArray& NirNode::array(const std::string& key) const {
    const auto it = fields.find(key);
    if (it == fields.end()) throw Error("NIR node \"" + name + "\" (" + type + ") has no \"" + key + "\" parameter");
    if (it->second.is_text) throw Error("NIR node \"" + name + "\" (" + type + "): \"" + key + "\" is a string, not numbers");
    return it->second.array;
}

const NirNode* NirGraph::find(const std::string& name) const {
    for (const auto& node : nodes)
        if (node.name == name) return &node;
    return nullptr;
}

void write_nir(const NirGraph& graph, const std::string& path) {
    namespace fs = std::filesystem;
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    H5::Exception::dontPrint();
    try {
        {
            H5::H5File file(temporary, H5F_ACC_TRUNC);
            H5::Group root = file.openGroup("/");
            write_text(root, "version", graph.version);
            H5::Group top = file.createGroup("node");
            write_text(top, "type", "NIRGraph");
            H5::Group nodes = top.createGroup("nodes");
            for (const NirNode& node : graph.nodes) {
                if (node.name.empty() || node.name.find('/') != std::string::npos || node.name == "." )
                    throw InternalError("NIR node name \"" + node.name + "\" cannot be an HDF5 group name");
                H5::Group group = nodes.createGroup(node.name);
                write_text(group, "type", node.type);
                for (const auto& [key, value] : node.fields) write_value(group, key, value);
                write_metadata(group, node.metadata);
            }
            // Edges: an (E, 2) table of variable-length UTF-8 node names, uncompressed, as h5py
            // writes the reference's list of (source, target) tuples.
            std::vector<const char*> names;
            for (const auto& [source, target] : graph.edges) {
                names.push_back(source.c_str());
                names.push_back(target.c_str());
            }
            const hsize_t dims[2] = {graph.edges.size(), 2};
            const H5::StrType type = utf8_string();
            H5::DataSet edges = top.createDataSet("edges", type, H5::DataSpace(2, dims));
            if (!names.empty()) edges.write(names.data(), type);
            write_metadata(top, graph.metadata);
        }
        fs::rename(temporary, path);
    } catch (const H5::Exception& e) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw IoError(path, "cannot write the NIR file (" + e.getDetailMsg() + ")");
    } catch (const fs::filesystem_error& e) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw IoError(path, std::string("cannot write the NIR file (") + e.code().message() + ")");
    } catch (...) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw;
    }
}

NirGraph read_nir(const std::string& path) {
    H5::Exception::dontPrint();
    if (!std::filesystem::is_regular_file(path)) throw IoError(path, "no such file");
    if (H5::H5File::isHdf5(path) <= 0) throw IoError(path, "not an HDF5 file, so not a NIR file");
    try {
        const H5::H5File file(path, H5F_ACC_RDONLY);
        NirGraph graph;
        if (!file.nameExists("version") || file.childObjType("version") != H5O_TYPE_DATASET)
            throw IoError(path, "not a NIR file: it has no /version dataset");
        const NirValue version = read_value(file.openDataSet("version"), "/version");
        if (!version.is_text) throw IoError(path, "not a NIR file: /version is not a string");
        graph.version = version.text;
        if (!file.nameExists("node") || file.childObjType("node") != H5O_TYPE_GROUP)
            throw IoError(path, "not a NIR file: it has no /node group");
        const H5::Group top = file.openGroup("node");
        const NirNode root = read_node(top, "node", "/node", true);
        if (root.type != "NIRGraph") throw IoError(path, "/node has type \"" + root.type + "\"; a NIR file holds a NIRGraph there");
        if (!top.nameExists("nodes") || top.childObjType("nodes") != H5O_TYPE_GROUP)
            throw IoError(path, "not a NIR file: /node has no \"nodes\" group");
        const H5::Group nodes = top.openGroup("nodes");
        for (const auto& name : member_names(nodes)) {
            if (nodes.childObjType(name) != H5O_TYPE_GROUP) throw IoError(path, "/node/nodes/" + name + " is not a group");
            graph.nodes.push_back(read_node(nodes.openGroup(name), name, "/node/nodes/" + name));
        }
        if (!top.nameExists("edges")) throw IoError(path, "not a NIR file: /node has no \"edges\" table");
        const H5::DataSet edges = top.openDataSet("edges");
        const H5::DataSpace space = edges.getSpace();
        std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(space.getSimpleExtentNdims(), 0)));
        if (!dims.empty()) space.getSimpleExtentDims(dims.data());
        const bool empty = space.getSimpleExtentNpoints() == 0;
        if (edges.getTypeClass() != H5T_STRING || (!empty && (dims.size() != 2 || dims[1] != 2)))
            throw IoError(path, "/node/edges must be an (E, 2) table of node names");
        const auto names = read_strings(edges);
        for (std::size_t i = 0; i + 1 < names.size(); i += 2) graph.edges.emplace_back(names[i], names[i + 1]);
        graph.metadata = read_metadata(top, "/node");
        return graph;
    } catch (const H5::Exception& e) {
        throw IoError(path, "cannot read the NIR file, it may be truncated or corrupted (" + e.getDetailMsg() + ")");
    } catch (const IoError&) {
        throw;
    } catch (const Error& e) {
        throw IoError(path, e.what());
    }
}

}  // namespace myelin::io
