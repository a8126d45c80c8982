// Reading recordings (recording_reader.hpp).
#include "io/recording_reader.hpp"

#include "io/hdf5_recording.hpp"
#include "io/hdf5_util.hpp"
#include "sim/error.hpp"

namespace myelin::io {

RecordingReader::RecordingReader(const std::string& path) : path_(path) {
    H5::Exception::dontPrint();
    try {
        file_ = std::make_unique<H5::H5File>(path, H5F_ACC_RDONLY);
    } catch (const H5::Exception&) {
        throw IoError(path, "cannot open as an HDF5 file");
    }
    // A checkpoint is the other kind of Myelin file: say what to do with it.
    const H5::Group root = file_->openGroup("/");
    if (root.attrExists("format") && h5::string_attribute(root, "format") == "myelin-checkpoint")
        throw IoError(path, "not a Myelin recording but a checkpoint: `myelin run " + path +
                                " -o run.h5` simulates it (`myelin info` describes it); then view or plot run.h5");
    try {
        const H5::Group meta = file_->openGroup("/meta");
        if (h5::string_attribute(meta, "format") != "myelin-recording") throw IoError(path, "not a Myelin recording");
        const auto version = h5::numeric_attribute<std::int64_t>(meta, "format_version");
        if (version != recording_format_version)
            throw IoError(path, "recording format version " + std::to_string(version) + " is not the supported version " +
                                    std::to_string(recording_format_version));
    } catch (const H5::Exception&) {
        throw IoError(path, "not a Myelin recording (no /meta with a format attribute)");
    }
}

double RecordingReader::dt() const { return h5::numeric_attribute<double>(file_->openGroup("/meta"), "dt_ms"); }
std::int64_t RecordingReader::steps() const { return h5::numeric_attribute<std::int64_t>(file_->openGroup("/meta"), "steps"); }
std::int64_t RecordingReader::seed() const { return h5::numeric_attribute<std::int64_t>(file_->openGroup("/meta"), "seed"); }
bool RecordingReader::interrupted() const {
    return h5::numeric_attribute<std::int64_t>(file_->openGroup("/meta"), "interrupted") != 0;
}
std::string RecordingReader::meta_string(const std::string& name) const {
    return h5::string_attribute(file_->openGroup("/meta"), name);
}

std::vector<std::string> RecordingReader::populations() const {
    const H5::Group group = file_->openGroup("/populations");
    std::vector<std::string> names;
    for (hsize_t i = 0; i < group.getNumObjs(); ++i) names.push_back(group.getObjnameByIdx(i));
    return names;
}

std::int64_t RecordingReader::population_size(const std::string& population) const {
    return h5::numeric_attribute<std::int64_t>(file_->openGroup("/populations/" + population), "size");
}

std::vector<std::string> RecordingReader::state_variables(const std::string& population) const {
    std::vector<std::string> names;
    const std::string path = "/populations/" + population + "/state";
    if (!file_->nameExists("/populations/" + population) || !file_->nameExists(path)) return names;
    const H5::Group group = file_->openGroup(path);
    for (hsize_t i = 0; i < group.getNumObjs(); ++i) {
        const std::string name = group.getObjnameByIdx(i);
        if (name != "neurons" && name != "times_ms") names.push_back(name);
    }
    return names;
}

std::string RecordingReader::state_unit(const std::string& population, const std::string& variable) const {
    try {
        const H5::DataSet dataset = file_->openDataSet("/populations/" + population + "/state/" + variable);
        return dataset.attrExists("unit") ? h5::string_attribute(dataset, "unit") : std::string();
    } catch (const H5::Exception&) {
        return {};
    }
}

std::vector<std::string> RecordingReader::projections() const {
    std::vector<std::string> names;
    if (!file_->nameExists("/projections")) return names;
    const H5::Group group = file_->openGroup("/projections");
    for (hsize_t i = 0; i < group.getNumObjs(); ++i) names.push_back(group.getObjnameByIdx(i));
    return names;
}

double RecordingReader::numeric_meta(const std::string& name) const {
    return h5::numeric_attribute<double>(file_->openGroup("/meta"), name);
}

std::int64_t RecordingReader::batch() const {
    const H5::Group meta = file_->openGroup("/meta");
    return meta.attrExists("batch") ? h5::numeric_attribute<std::int64_t>(meta, "batch") : 1;
}

RecordedSpikes RecordingReader::spikes(const std::string& population, std::uint32_t copy) const {
    if (copy >= batch())
        throw IoError(path_, "no copy " + std::to_string(copy) + ": the recording holds " + std::to_string(batch()) +
                                 " cop" + (batch() == 1 ? "y" : "ies") + " (0 to " + std::to_string(batch() - 1) + ")");
    RecordedSpikes all;
    std::vector<std::uint32_t> copies;
    try {
        const std::string group = "/populations/" + population + "/spikes/";
        all = {h5::read_vector<std::uint32_t>(file_->openDataSet(group + "neuron")),
               h5::read_vector<std::int64_t>(file_->openDataSet(group + "step"))};
        if (batch() > 1) copies = h5::read_vector<std::uint32_t>(file_->openDataSet(group + "copy"));
    } catch (const H5::Exception&) {
        throw IoError(path_, "no spikes recorded for population \"" + population + "\"");
    }
    if (copies.empty()) return all;
    RecordedSpikes mine;
    for (std::size_t k = 0; k < copies.size(); ++k)
        if (copies[k] == copy) {
            mine.neuron.push_back(all.neuron[k]);
            mine.step.push_back(all.step[k]);
        }
    return mine;
}

RecordedState RecordingReader::state(const std::string& population, const std::string& variable) const {
    try {
        const std::string group = "/populations/" + population + "/state/";
        return {h5::read_vector<std::uint32_t>(file_->openDataSet(group + "neurons")),
                h5::read_vector<double>(file_->openDataSet(group + "times_ms")),
                h5::read_vector<double>(file_->openDataSet(group + variable))};
    } catch (const H5::Exception&) {
        throw IoError(path_, "no state \"" + variable + "\" recorded for population \"" + population + "\"");
    }
}

RecordedWeights RecordingReader::weights(const std::string& projection) const {
    try {
        const std::string group = "/projections/" + projection + "/";
        return {h5::read_vector<std::uint32_t>(file_->openDataSet(group + "pre")),
                h5::read_vector<std::uint32_t>(file_->openDataSet(group + "post")),
                h5::read_vector<std::uint16_t>(file_->openDataSet(group + "delay_steps")),
                h5::read_vector<double>(file_->openDataSet(group + "times_ms")),
                h5::read_vector<float>(file_->openDataSet(group + "weights"))};
    } catch (const H5::Exception&) {
        throw IoError(path_, "no weights recorded for projection \"" + projection + "\"");
    }
}

}  // namespace myelin::io
