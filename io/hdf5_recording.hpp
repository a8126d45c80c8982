// The HDF5 recording of a run (layout: docs/recording.md). Spikes and samples are buffered in
// the step loop and written as whole chunks by a background thread, so the loop never waits on
// disk. The file is written under a temporary name and renamed only by finish(): a recording
// is complete or absent, never half-written (an interrupted run finishes it too, marked so).
#pragma once

#include "io/run_spec.hpp"
#include "sim/network.hpp"
#include "sim/recorder.hpp"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>

namespace H5 {
class H5File;
}

namespace myelin::io {

// What /meta says about how the run went, known only at the end.
struct RunOutcome {
    std::int64_t steps = 0;         // steps simulated
    double build_seconds = 0.0;
    double wall_seconds = 0.0;      // simulation loop
    int threads = 1;
    bool interrupted = false;
};

inline constexpr int recording_format_version = 1;

class Hdf5Recording final : public sim::Recorder {
public:
    // Creates the temporary file next to `path`; throws IoError if it cannot.
    Hdf5Recording(std::string path, const RunSpec& run, const sim::Network& network);
    ~Hdf5Recording() override;  // without finish(): the temporary file is removed

    void begin(const sim::Network& network, std::int64_t start_step) override;
    void after_step(const sim::Network& network, std::int64_t step, std::span<const sim::SpikeLists> spikes) override;
    bool reads_network() const override { return !probes_.empty() || !weight_probes_.empty(); }

    // Batched runs (run.batch > 1): the spikes that follow belong to copy `copy`. Spikes of
    // every copy go to one file with a copy column; state and weights are sampled for copy 0.
    void set_copy(std::uint32_t copy) { copy_ = copy; }

    // Backends that keep the weights elsewhere (the GPU): snapshots take the weights of
    // `network.projections[j]` from source(j) (in its connections() order) instead of the
    // network, which then supplies only pre, post and delays.
    using WeightSource = std::function<std::vector<float>(std::size_t projection)>;
    void set_weight_source(WeightSource source) { weight_source_ = std::move(source); }

    // Writes what is buffered and /meta, closes and renames into place.
    void finish(const sim::Network& network, const RunOutcome& outcome);

    const std::string& path() const { return path_; }

private:
    struct SpikeBuffer {
        std::size_t population = 0;
        std::vector<std::uint32_t> neuron;
        std::vector<std::int64_t> step;
        std::vector<std::uint32_t> copy;  // batched runs only
    };
    struct StateProbe {
        std::size_t population = 0;
        std::vector<std::string> variables;
        std::vector<std::uint32_t> neurons;
        std::int64_t interval_steps = 1;
        std::vector<std::vector<double>> rows;  // per variable: samples x neurons, flattened
        std::vector<double> times;
    };
    struct WeightProbe {
        std::size_t projection = 0;
        std::int64_t interval_steps = 0;  // 0: start and end only
    };

    void sample_state(const sim::Network& network, std::int64_t step_done);
    void snapshot_weights(const sim::Network& network, std::int64_t step_done, bool final);
    void flush_spikes(SpikeBuffer& buffer);
    void flush_state(StateProbe& probe);
    void submit(std::function<void()> job);  // runs on the writer thread, in order
    void writer_loop();
    void wait_idle();

    std::string path_, temporary_path_;
    const RunSpec& run_;
    std::unique_ptr<H5::H5File> file_;
    std::vector<SpikeBuffer> spikes_;            // populations whose spikes are recorded
    std::vector<int> spike_buffer_of_;           // population -> index in spikes_, or -1
    std::vector<StateProbe> probes_;
    std::vector<WeightProbe> weight_probes_;
    std::vector<std::size_t> weight_rows_;       // snapshots written per weight probe
    std::int64_t last_step_done_ = 0;
    std::int64_t first_step_ = -1;  // step the recording starts at (-1: not begun)
    bool finished_ = false;
    bool batched_ = false;
    std::uint32_t copy_ = 0;
    WeightSource weight_source_;

    std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::queue<std::function<void()>> jobs_;
    bool busy_ = false, closing_ = false;
    std::exception_ptr writer_error_;
    std::thread writer_;
};

}  // namespace myelin::io
