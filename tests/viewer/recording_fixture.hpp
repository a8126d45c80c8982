// Small recordings for the viewer tests, written by the engine and the HDF5 writer from a
// config, so the viewer reads exactly what `myelin run` writes.
#pragma once

#include "io/hdf5_recording.hpp"
#include "sim/simulation.hpp"
#include "support/simulate.hpp"

#include <cmath>
#include <filesystem>
#include <string>

namespace myelin::test {

// Runs `toml` for its duration and records to a file in the temp folder named `name`.
inline std::string write_recording(const std::string& toml, const std::string& name) {
    const io::RunSpec run = parse(toml);
    sim::Network network = sim::build(run.network, catalogue().models, catalogue().rules, 1);
    const std::string path = (std::filesystem::temp_directory_path() / ("myelin_viewer_" + name + ".h5")).string();
    io::Hdf5Recording recording(path, run, network);
    sim::Simulation simulation(network);
    const auto result = simulation.run(static_cast<std::int64_t>(std::llround(run.duration / run.network.dt)), &recording);
    recording.finish(network, {result.steps, 0.0, result.wall_seconds, 1, false});
    return path;
}

}  // namespace myelin::test
