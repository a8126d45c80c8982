// Checkpoint files (checkpoint.hpp; layout in docs/checkpoint.md).
#include "io/checkpoint.hpp"

#include "io/hdf5_util.hpp"
#include "sim/error.hpp"
#include "sim/network.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#ifndef MYELIN_VERSION
#define MYELIN_VERSION "unknown"
#endif

namespace myelin::io {
namespace {

constexpr const char* format_name = "myelin-checkpoint";

bool exists(const H5::H5File& file, const std::string& path) {
    return H5Lexists(file.getId(), path.c_str(), H5P_DEFAULT) > 0;
}

// The group at `path` ("/a/b"), created with any missing parents.
H5::Group make_groups(H5::H5File& file, const std::string& path) {
    for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
        const std::string prefix = path.substr(0, slash);
        if (!exists(file, prefix)) file.createGroup(prefix);
        if (slash == std::string::npos) break;
    }
    return file.openGroup(path);
}

// Datasets are chunked with a Fletcher-32 checksum, so a flipped byte is an error on reading,
// never a silently different network; shuffle + deflate keep the file small.
template <class T>
void write_checked(H5::H5File& file, const std::string& path, const std::vector<T>& values) {
    const hsize_t dims[1] = {values.size()};
    H5::DSetCreatPropList properties;
    if (!values.empty()) {
        const hsize_t chunk[1] = {std::min<hsize_t>(values.size(), 1 << 16)};
        properties.setChunk(1, chunk);
        properties.setFletcher32();
        properties.setShuffle();
        properties.setDeflate(1);
    }
    const std::size_t slash = path.rfind('/');
    H5::Group group = make_groups(file, path.substr(0, slash));
    H5::DataSet dataset = group.createDataSet(path.substr(slash + 1), h5::type_of<T>(), H5::DataSpace(1, dims), properties);
    if (!values.empty()) dataset.write(values.data(), h5::type_of<T>());
}

// A snapshot array of whatever integer or floating type the dataset holds.
sim::Snapshot::Array read_array(const H5::DataSet& dataset, const std::string& path) {
    const H5T_class_t type_class = dataset.getTypeClass();
    const std::size_t size = dataset.getDataType().getSize();
    if (type_class == H5T_FLOAT && size == 8) return h5::read_vector<double>(dataset);
    if (type_class == H5T_FLOAT && size == 4) return h5::read_vector<float>(dataset);
    if (type_class == H5T_INTEGER) {
        const bool is_signed = dataset.getIntType().getSign() != H5T_SGN_NONE;
        if (is_signed && size == 8) return h5::read_vector<std::int64_t>(dataset);
        if (is_signed && size == 4) return h5::read_vector<std::int32_t>(dataset);
        if (!is_signed && size == 4) return h5::read_vector<std::uint32_t>(dataset);
    }
    throw Error("dataset " + path + " has an element type a checkpoint does not use");
}

// Every dataset below `group` into `snapshot`, named by its path without the leading slash;
// `skip` names subgroups left out (the connection tables).
void read_tree(const H5::Group& group, const std::string& path, const std::string& skip, sim::Snapshot& snapshot) {
    for (hsize_t k = 0; k < group.getNumObjs(); ++k) {
        const std::string name = group.getObjnameByIdx(k);
        const std::string child = path + "/" + name;
        switch (group.childObjType(name)) {
            case H5O_TYPE_GROUP:
                if (name != skip) read_tree(group.openGroup(name), child, skip, snapshot);
                break;
            case H5O_TYPE_DATASET:
                snapshot.arrays()[child.substr(1)] = read_array(group.openDataSet(name), child);
                break;
            default: break;
        }
    }
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

}  // namespace

void write_checkpoint(const std::string& path, const RunSpec& run, const sim::Network& network,
                      const sim::Simulation& simulation) {
    namespace fs = std::filesystem;
    sim::Snapshot state;
    simulation.save(state);
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    H5::Exception::dontPrint();
    try {
        const fs::path target(path);
        if (target.has_parent_path()) fs::create_directories(target.parent_path());
        H5::H5File file(temporary, H5F_ACC_TRUNC);
        H5::Group root = file.openGroup("/");
        h5::set_attribute(root, "format", std::string(format_name));
        h5::set_attribute(root, "format_version", checkpoint_format_version);
        h5::set_attribute(root, "myelin_version", std::string(MYELIN_VERSION));
        h5::set_attribute(root, "step", simulation.step());
        h5::set_attribute(root, "time_ms", simulation.time());
        h5::set_attribute(root, "dt_ms", network.dt);
        h5::set_attribute(root, "seed", static_cast<std::int64_t>(network.seed));
        H5::Group config = file.createGroup("/config");
        h5::set_attribute(config, "text", run.config_text);
        h5::set_attribute(config, "path", fs::absolute(run.config_path).string());
        std::string overrides;
        for (const auto& o : run.overrides) overrides += o + "\n";
        h5::set_attribute(config, "overrides", overrides);
        for (const auto& [name, array] : state.arrays())
            std::visit([&, &name = name](const auto& values) { write_checked(file, "/" + name, values); }, array);
        for (const auto& population : network.populations) {
            H5::Group group = make_groups(file, "/populations/" + population->name());
            h5::set_attribute(group, "model", std::string(population->model()));
            h5::set_attribute(group, "size", static_cast<std::int64_t>(population->size()));
        }
        for (const auto& projection : network.projections) {
            const sim::ConnectionTable table = projection->connections();
            const std::string group_path = "/projections/" + projection->name() + "/connections";
            write_checked(file, group_path + "/pre", table.pre);
            write_checked(file, group_path + "/post", table.post);
            write_checked(file, group_path + "/weight", table.weight);
            std::vector<std::uint32_t> delay(table.delay.begin(), table.delay.end());
            write_checked(file, group_path + "/delay_steps", delay);
            H5::Group group = file.openGroup(group_path);
            h5::set_attribute(group, "per_synapse_weight", static_cast<std::int64_t>(table.per_synapse_weight));
            h5::set_attribute(group, "per_synapse_delay", static_cast<std::int64_t>(table.per_synapse_delay));
            H5::Group projection_group = file.openGroup("/projections/" + projection->name());
            h5::set_attribute(projection_group, "pre", network.populations[projection->pre()]->name());
            h5::set_attribute(projection_group, "post", network.populations[projection->post()]->name());
            h5::set_attribute(projection_group, "plastic", static_cast<std::int64_t>(projection->plastic()));
        }
        file.close();
    } catch (const H5::Exception& e) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw IoError(path, "cannot write the checkpoint (" + e.getDetailMsg() + ")");
    } catch (const fs::filesystem_error& e) {
        throw IoError(path, std::string("cannot write the checkpoint (") + e.what() + ")");
    }
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) {
        fs::remove(temporary, error);
        throw IoError(path, "cannot move the checkpoint into place (" + error.message() + ")");
    }
}

bool is_hdf5_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char signature[8] = {};
    in.read(signature, sizeof signature);
    return in && std::string_view(signature, sizeof signature) == std::string_view("\x89HDF\r\n\x1a\n", 8);
}

Checkpoint read_checkpoint(const std::string& path) {
    if (!std::filesystem::exists(path)) throw IoError(path, "no such file");
    H5::Exception::dontPrint();
    Checkpoint checkpoint;
    try {
        if (!H5::H5File::isHdf5(path)) throw IoError(path, "not an HDF5 file, so not a Myelin checkpoint");
        const H5::H5File file(path, H5F_ACC_RDONLY);
        const H5::Group root = file.openGroup("/");
        if (!root.attrExists("format") || h5::string_attribute(root, "format") != format_name)
            throw IoError(path, "an HDF5 file but not a Myelin checkpoint (no format = \"myelin-checkpoint\")");
        const auto version = h5::numeric_attribute<std::int64_t>(root, "format_version");
        if (version != checkpoint_format_version)
            throw IoError(path, "checkpoint layout version " + std::to_string(version) + " (written by Myelin " +
                                    h5::string_attribute(root, "myelin_version") + "); this Myelin reads version " +
                                    std::to_string(checkpoint_format_version) + " only");
        checkpoint.step = h5::numeric_attribute<std::int64_t>(root, "step");
        checkpoint.dt = h5::numeric_attribute<double>(root, "dt_ms");
        const H5::Group config = file.openGroup("/config");
        checkpoint.config_text = h5::string_attribute(config, "text");
        checkpoint.config_path = h5::string_attribute(config, "path");
        checkpoint.overrides = split_lines(h5::string_attribute(config, "overrides"));
        for (const std::string top : {"/simulation", "/populations", "/projections"})
            if (exists(file, top)) read_tree(file.openGroup(top), top, "connections", checkpoint.state);
        const hsize_t projection_count = exists(file, "/projections") ? file.openGroup("/projections").getNumObjs() : 0;
        for (hsize_t k = 0; k < projection_count; ++k) {
            const H5::Group projections = file.openGroup("/projections");
            const std::string name = projections.getObjnameByIdx(k);
            const H5::Group group = projections.openGroup(name + "/connections");
            sim::ConnectionTable table;
            table.pre = h5::read_vector<std::uint32_t>(group.openDataSet("pre"));
            table.post = h5::read_vector<std::uint32_t>(group.openDataSet("post"));
            table.weight = h5::read_vector<float>(group.openDataSet("weight"));
            for (const std::uint32_t d : h5::read_vector<std::uint32_t>(group.openDataSet("delay_steps"))) {
                if (d == 0 || d > UINT16_MAX) throw IoError(path, "projection " + name + " has a delay of " + std::to_string(d) + " steps");
                table.delay.push_back(static_cast<std::uint16_t>(d));
            }
            table.per_synapse_weight = h5::numeric_attribute<std::int64_t>(group, "per_synapse_weight") != 0;
            table.per_synapse_delay = h5::numeric_attribute<std::int64_t>(group, "per_synapse_delay") != 0;
            checkpoint.connections.emplace(name, std::move(table));
        }
    } catch (const H5::Exception& e) {
        throw IoError(path, "cannot read the checkpoint: the file is damaged or incomplete (" + e.getFuncName() +
                                ": " + e.getDetailMsg() + ")");
    } catch (const IoError&) {
        throw;
    } catch (const Error& e) {
        throw IoError(path, e.what());
    }
    return checkpoint;
}

RunSpec resume_spec(const Checkpoint& checkpoint, const std::string& checkpoint_path, const ConfigOverrides& extra,
                    const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules) {
    ConfigOverrides overrides{checkpoint.overrides};
    overrides.set.insert(overrides.set.end(), extra.set.begin(), extra.set.end());
    RunSpec run = parse_config(checkpoint.config_text, checkpoint.config_path, overrides, models, rules);
    if (run.network.dt != checkpoint.dt)
        throw IoError(checkpoint_path, "the checkpoint was taken with dt = " + std::to_string(checkpoint.dt) +
                                           " ms; a resumed run cannot change dt");
    std::set<std::string> unused;
    for (const auto& [name, table] : checkpoint.connections) unused.insert(name);
    for (sim::ProjectionSpec& projection : run.network.projections) {
        const auto found = checkpoint.connections.find(projection.name);
        if (found == checkpoint.connections.end())
            throw IoError(checkpoint_path, "the config has projection \"" + projection.name + "\", the checkpoint does not");
        unused.erase(projection.name);
        auto table = std::make_shared<const sim::ConnectionTable>(found->second);
        projection.connect = sim::ConnectorSpec{};
        projection.connect.rule = sim::ConnectorSpec::Rule::table;
        projection.connect.table = table;
        // Constant weights and delays stay constants, so the store (and the delivery path it
        // selects) is the one the checkpointed network had.
        if (!table->pre.empty()) {
            if (!table->per_synapse_weight) projection.weight = sim::ValueSpec::constant(table->weight.front());
            if (!table->per_synapse_delay)
                projection.delay = sim::ValueSpec::constant(static_cast<double>(table->delay.front()) * run.network.dt);
        }
    }
    if (!unused.empty())
        throw IoError(checkpoint_path, "the checkpoint has projection \"" + *unused.begin() + "\", the config does not");
    try {
        sim::validate(run.network, models, rules);
    } catch (const SpecError& e) {
        throw IoError(checkpoint_path, std::string("the checkpoint does not fit its config: ") + e.what());
    }
    return run;
}

}  // namespace myelin::io
