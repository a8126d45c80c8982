// Writing the `myelin train` report (train_report.hpp).
#include "experiments/train_report.hpp"

#include "experiments/report_file.hpp"
#include "io/hdf5_util.hpp"
#include "sim/error.hpp"

#include <unistd.h>

#include <cstdint>
#include <filesystem>

namespace myelin::cli {

void write_train_report(const std::string& path, const TrainSpec& spec, const TrainReport& report) {
    write_report_whole(path, [&](H5::H5File& file) {
        H5::Group meta = train_meta(file, spec);
        io::h5::set_attribute(meta, "afferents", static_cast<std::int64_t>(spec.task.afferents));
        io::h5::set_attribute(meta, "patterns", static_cast<std::int64_t>(spec.task.patterns));
        io::h5::set_attribute(meta, "duration_ms", spec.task.duration);
        io::h5::set_attribute(meta, "wall_seconds", report.seconds);
        std::vector<std::int64_t> cycle, errors;
        std::vector<double> accuracy;
        for (const auto& c : report.cycles) {
            cycle.push_back(static_cast<std::int64_t>(c.cycle));
            errors.push_back(static_cast<std::int64_t>(c.sweep_errors));
            accuracy.push_back(c.accuracy);
        }
        H5::Group cycles = file.createGroup("/cycles");
        io::h5::write_vector(cycles, "cycle", cycle);
        io::h5::write_vector(cycles, "accuracy", accuracy);
        io::h5::write_vector(cycles, "sweep_errors", errors);
        H5::Group root = file.openGroup("/");
        io::h5::write_vector(root, "weights", report.weights);
    });
}

}  // namespace myelin::cli
