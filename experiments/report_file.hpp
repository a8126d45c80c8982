// The trainers' HDF5 reports are written whole or not at all: into a temporary file beside the
// target, renamed into place when complete; on any failure the temporary is removed.
#pragma once

#include "experiments/train_config.hpp"
#include "io/hdf5_util.hpp"
#include "sim/error.hpp"

#include <H5Cpp.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

namespace myelin::cli {

// Calls fill(file) on a fresh temporary HDF5 file, then renames it to `path`. Throws IoError
// naming `path` if it cannot be written or moved into place.
template <class Fill>
void write_report_whole(const std::string& path, Fill fill) {
    namespace fs = std::filesystem;
    std::error_code ignored;
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path(), ignored);
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    H5::Exception::dontPrint();
    try {
        H5::H5File file(temporary, H5F_ACC_TRUNC);
        fill(file);
        file.close();
    } catch (const H5::Exception& e) {
        fs::remove(temporary, ignored);
        throw IoError(path, "cannot write the training report (" + e.getDetailMsg() + ")");
    } catch (...) {
        fs::remove(temporary, ignored);
        throw;
    }
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) {
        fs::remove(temporary, ignored);
        throw IoError(path, "cannot move the finished report into place (" + error.message() + ")");
    }
}

// The /meta group every training report starts with: version, algorithm, config text, seed.
inline H5::Group train_meta(H5::H5File& file, const TrainSpec& spec) {
    H5::Group meta = file.createGroup("/meta");
    io::h5::set_attribute(meta, "version", std::string(MYELIN_VERSION));
    io::h5::set_attribute(meta, "algorithm", spec.algorithm);
    io::h5::set_attribute(meta, "config", spec.text);
    io::h5::set_attribute(meta, "seed", static_cast<std::int64_t>(spec.seed));
    return meta;
}

}  // namespace myelin::cli
