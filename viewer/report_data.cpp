// A `myelin train` report (sym-STDP, docs/learning.md) as viewer data: the learned receptive
// fields /weights/input_exc [n_exc][pixels] become one all-to-all weight snapshot of projection
// "input_exc" (pre: the pixels, post: the E neurons), drawn by the fields panel as images of the
// report's rows x columns. Nothing in a report is on a time axis, so the data is weights only.
#include "viewer/run_data.hpp"

#include "io/hdf5_util.hpp"
#include "sim/error.hpp"

#include <H5Cpp.h>

#include <filesystem>

namespace myelin::viewer {
namespace {

constexpr const char* report_format = "myelin-train-report";

}  // namespace

bool is_train_report(const std::string& path) {
    if (!std::filesystem::is_regular_file(path) || H5::H5File::isHdf5(path.c_str()) <= 0) return false;
    try {
        H5::Exception::dontPrint();
        const H5::H5File file(path, H5F_ACC_RDONLY);
        if (!file.nameExists("/meta")) return false;
        const H5::Group meta = file.openGroup("/meta");
        return meta.attrExists("format") && io::h5::string_attribute(meta, "format") == report_format;
    } catch (const H5::Exception&) {
        return false;
    }
}

RunData load_train_report(const std::string& path) {
    try {
        H5::Exception::dontPrint();
        const H5::H5File file(path, H5F_ACC_RDONLY);
        if (!file.nameExists("/weights") || !file.nameExists("/weights/input_exc"))
            throw IoError(path, "a training report without /weights/input_exc: it has no receptive fields to show");
        const H5::DataSet fields = file.openDataSet("/weights/input_exc");
        const H5::DataSpace space = fields.getSpace();
        hsize_t dims[2] = {0, 0};
        if (space.getSimpleExtentNdims() != 2) throw IoError(path, "/weights/input_exc is not a [neurons][pixels] matrix");
        space.getSimpleExtentDims(dims);
        const auto n_post = static_cast<std::uint32_t>(dims[0]), n_pre = static_cast<std::uint32_t>(dims[1]);
        const std::vector<float> values = io::h5::read_vector<float>(fields);
        RunData data;
        data.weights_only = true;
        if (fields.attrExists("rows") && fields.attrExists("columns")) {
            const auto rows = io::h5::numeric_attribute<std::int64_t>(fields, "rows");
            const auto columns = io::h5::numeric_attribute<std::int64_t>(fields, "columns");
            if (rows > 0 && columns > 0 && static_cast<std::uint64_t>(rows * columns) == n_pre) {
                data.field_width = static_cast<unsigned>(columns);
                data.field_height = static_cast<unsigned>(rows);
            }
        }
        // Synapses in the recording's order (by pre neuron, then post), as load_run gives them.
        WeightSnapshots w{"input_exc", n_pre, n_post, {}, {}, {0.0}, {}};
        const std::size_t synapses = static_cast<std::size_t>(n_pre) * n_post;
        w.pre.reserve(synapses);
        w.post.reserve(synapses);
        w.weights.reserve(synapses);
        for (std::uint32_t j = 0; j < n_pre; ++j)
            for (std::uint32_t i = 0; i < n_post; ++i) {
                w.pre.push_back(j);
                w.post.push_back(i);
                w.weights.push_back(values[static_cast<std::size_t>(i) * n_pre + j]);
            }
        data.weights.push_back(std::move(w));
        return data;
    } catch (const H5::Exception& e) {
        throw IoError(path, "cannot read the training report (" + e.getDetailMsg() + ")");
    }
}

}  // namespace myelin::viewer
