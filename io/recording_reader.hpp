// Reading a Myelin HDF5 recording back (layout: docs/recording.md): used by tests, and by any
// tool that shows or analyses a run.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace myelin::io {

struct RecordedSpikes {
    std::vector<std::uint32_t> neuron;
    std::vector<std::int64_t> step;  // time stamp (step + 1) * dt
};

struct RecordedState {
    std::vector<std::uint32_t> neurons;
    std::vector<double> times_ms;
    std::vector<double> values;  // samples x neurons, row-major
};

struct RecordedWeights {
    std::vector<std::uint32_t> pre, post;
    std::vector<std::uint16_t> delay_steps;
    std::vector<double> times_ms;
    std::vector<float> weights;  // snapshots x synapses, row-major
};

class RecordingReader {
public:
    // Throws IoError if the file is missing or is not a Myelin recording of a known version.
    explicit RecordingReader(const std::string& path);

    double dt() const;
    std::int64_t steps() const;
    std::int64_t seed() const;
    bool interrupted() const;
    std::string meta_string(const std::string& name) const;
    std::vector<std::string> populations() const;
    std::int64_t population_size(const std::string& population) const;
    // What was recorded: state variables of a population (empty if none), and the projections
    // with weight snapshots.
    std::vector<std::string> state_variables(const std::string& population) const;
    std::string state_unit(const std::string& population, const std::string& variable) const;  // "" if none
    std::vector<std::string> projections() const;
    double numeric_meta(const std::string& name) const;  // a numeric /meta attribute

    // Batched recordings (docs/recording.md): the spikes of one copy; throws IoError for a copy
    // the file does not hold. State and weights are those of copy 0.
    RecordedSpikes spikes(const std::string& population, std::uint32_t copy = 0) const;
    std::int64_t batch() const;  // copies in the recording (1 when unbatched)
    RecordedState state(const std::string& population, const std::string& variable) const;
    RecordedWeights weights(const std::string& projection) const;

private:
    std::string path_;
    std::unique_ptr<H5::H5File> file_;
};

}  // namespace myelin::io
