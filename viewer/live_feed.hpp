// `myelin run --view`: what the engine thread hands the live window. LiveFeed is a Recorder
// placed in front of the run's own recorder (the HDF5 file): it passes every step on first,
// untouched, then copies the step's spikes (and the state samples and weight snapshots the
// recording takes) into a frame, and about every 15 ms of wall time offers the frame to a
// BoundedQueue. A full queue drops the frame: the window loses it, the file never does.
#pragma once

#include "io/run_spec.hpp"
#include "sim/network.hpp"
#include "sim/recorder.hpp"
#include "viewer/bounded_queue.hpp"
#include "viewer/run_data.hpp"
#include "viewer/view_window.hpp"

#include <atomic>

#include <chrono>
#include <cstdint>
#include <vector>

namespace myelin::viewer {

// One batch of steps as the window will show them (times in ms, as in RunData).
struct LiveFrame {
    std::uint64_t sequence = 0;              // 0, 1, 2, ...: a gap means frames were dropped
    double end_ms = 0.0;                     // simulated time reached at the end of the batch
    bool last = false;                       // the run has ended
    std::vector<std::vector<float>> t;                 // per population of RunData
    std::vector<std::vector<std::uint32_t>> neuron;
    struct Samples {
        std::size_t trace = 0;               // index in RunData::traces
        std::vector<double> times_ms, values;  // values: samples x neurons
    };
    std::vector<Samples> samples;
    struct Weights {
        std::size_t projection = 0;          // index in RunData::weights
        double time_ms = 0.0;
        std::vector<float> weights;
    };
    std::vector<Weights> snapshots;
};

// Adds a frame's contents to `data` (spike times stay ascending: frames come in order).
void append_frame(RunData& data, LiveFrame&& frame);

class LiveFeed final : public sim::Recorder {
public:
    // `inner` (may be null: --no-output) gets every call first. Shows the populations whose
    // spikes the run records, or every population if it records none; samples the state and
    // weights the run records, at the same times.
    // The run starts at `start_step` (not 0 when it resumes a checkpoint). A frame is offered
    // about every `offer_every` of wall time (checked every 16 steps), or at 2^20 spikes.
    LiveFeed(const io::RunSpec& run, const sim::Network& network, sim::Recorder* inner, std::int64_t start_step,
             std::size_t capacity = 64, std::chrono::milliseconds offer_every = std::chrono::milliseconds(15));

    // The recording's layout with no data yet: what the window starts from.
    const RunData& skeleton() const { return skeleton_; }
    BoundedQueue<LiveFrame>& queue() { return queue_; }

    void begin(const sim::Network& network, std::int64_t start_step) override;
    void after_step(const sim::Network& network, std::int64_t step, std::span<const sim::SpikeLists> spikes) override;
    // Offers what is pending as the last frame (after the run, on the engine thread); a last
    // frame that finds the queue full is retried for at most `patience`, so the window learns
    // the run is over without the run ever waiting long for it.
    void finish(const sim::Network& network, std::chrono::milliseconds patience = std::chrono::milliseconds(500));

private:
    struct Probe {
        std::size_t population = 0, trace = 0;
        std::vector<std::string> variables;      // one trace each, from `trace` on
        std::vector<std::uint32_t> neurons;
        std::int64_t interval_steps = 1;
    };
    struct WeightProbe {
        std::size_t projection = 0;              // in the network
        std::size_t index = 0;                   // in RunData::weights
        std::int64_t interval_steps = 0;         // 0: start and end only
        bool taken = false;
    };

    void sample(const sim::Network& network, std::int64_t step_done);
    void snapshot(const sim::Network& network, std::int64_t step_done, bool final);
    void offer(bool last);
    void clear_pending();

    sim::Recorder* inner_;
    double dt_;
    RunData skeleton_;
    std::vector<bool> spikes_shown_;             // per population
    std::vector<Probe> probes_;
    std::vector<WeightProbe> weight_probes_;
    BoundedQueue<LiveFrame> queue_;
    LiveFrame pending_;
    std::size_t pending_spikes_ = 0;
    std::uint64_t sequence_ = 0;
    std::int64_t last_step_done_ = 0, steps_since_check_ = 0;
    bool begun_ = false, window_gone_ = false;
    std::chrono::steady_clock::duration offer_every_;
    std::chrono::steady_clock::time_point last_offer_;
};

// The window side: drains the queue into the window's RunData once per frame.
class LiveReceiver final : public LiveSource {
public:
    // `run_over` is set by the engine thread when the run has ended (and its file is written);
    // `close` and `failed` (may be null) ask the window to close (Ctrl-C; the run failed, so
    // its error is printed now rather than when the user closes the window).
    LiveReceiver(BoundedQueue<LiveFrame>& queue, const std::atomic<bool>& run_over, const std::atomic<bool>* close,
                 const std::atomic<bool>* failed = nullptr)
        : queue_(queue), run_over_(run_over), close_(close), failed_(failed) {}
    bool poll(RunData& data) override;
    bool finished() const override { return last_seen_ || (run_over_.load() && queue_.size() == 0); }
    bool close_requested() const override { return (close_ && close_->load()) || (failed_ && failed_->load()); }
    std::uint64_t frames_dropped() const override { return dropped_; }

private:
    BoundedQueue<LiveFrame>& queue_;
    const std::atomic<bool>& run_over_;
    const std::atomic<bool>* close_;
    const std::atomic<bool>* failed_;
    std::uint64_t next_sequence_ = 0, dropped_ = 0;
    bool last_seen_ = false;
};

}  // namespace myelin::viewer
