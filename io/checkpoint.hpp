// Checkpoints: the whole network in one HDF5 file (layout: docs/checkpoint.md), so a run can
// stop and resume bit-identically, on any thread count, and trained networks can be simulated,
// shown and exported elsewhere. A file holds the config it came from, every projection's
// connections and weights, every population's state, spikes in flight and the step; the
// random numbers are counter-based (keyed by seed and step), so the step is their position.
#pragma once

#include "io/config.hpp"
#include "sim/simulation.hpp"
#include "sim/snapshot.hpp"

#include <map>
#include <string>
#include <vector>

namespace myelin::io {

inline constexpr std::int64_t checkpoint_format_version = 1;

struct Checkpoint {
    std::string config_text, config_path;  // the config as read, and where it was
    std::vector<std::string> overrides;    // --set key=value applied to it, in order
    std::int64_t step = 0;                 // the next step to run
    double dt = 0.0;                       // ms
    std::map<std::string, sim::ConnectionTable> connections;  // by projection name
    sim::Snapshot state;
};

// Writes the checkpoint whole or not at all (a temporary file renamed into place); throws
// IoError naming the file.
void write_checkpoint(const std::string& path, const RunSpec& run, const sim::Network& network,
                      const sim::Simulation& simulation);

// Whether `path` starts with the HDF5 signature (a checkpoint, or a damaged one, or another
// HDF5 file: read_checkpoint tells which).
bool is_hdf5_file(const std::string& path);

// Reads and checks the whole file before anything is built; throws IoError naming the file
// for anything unreadable, corrupted (checksums), or of another layout version.
Checkpoint read_checkpoint(const std::string& path);

// The run a checkpoint continues: its config with `extra` overrides on top (e.g. a new
// duration or output), each projection's connections taken from the checkpoint. Throws
// ConfigError/IoError if the config no longer describes the checkpoint's network.
RunSpec resume_spec(const Checkpoint& checkpoint, const std::string& checkpoint_path, const ConfigOverrides& extra,
                    const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules);

}  // namespace myelin::io
