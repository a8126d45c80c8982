// The engine side of the live window (live_feed.hpp).
#include "viewer/live_feed.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

namespace myelin::viewer {
namespace {

constexpr std::size_t max_pending_spikes = std::size_t{1} << 20;  // bounds a frame's memory
constexpr std::int64_t steps_per_clock_check = 16;             // a clock read costs ~20 ns

}  // namespace

void append_frame(RunData& data, LiveFrame&& frame) {
    for (std::size_t p = 0; p < frame.t.size() && p < data.populations.size(); ++p) {
        PopulationSpikes& population = data.populations[p];
        population.t.insert(population.t.end(), frame.t[p].begin(), frame.t[p].end());
        population.neuron.insert(population.neuron.end(), frame.neuron[p].begin(), frame.neuron[p].end());
    }
    for (LiveFrame::Samples& samples : frame.samples) {
        StateTrace& trace = data.traces[samples.trace];
        trace.times_ms.insert(trace.times_ms.end(), samples.times_ms.begin(), samples.times_ms.end());
        trace.values.insert(trace.values.end(), samples.values.begin(), samples.values.end());
    }
    for (LiveFrame::Weights& snapshot : frame.snapshots) {
        WeightSnapshots& weights = data.weights[snapshot.projection];
        if (snapshot.weights.size() != weights.pre.size()) continue;  // a broken frame is not drawn
        weights.times_ms.push_back(snapshot.time_ms);
        weights.weights.insert(weights.weights.end(), snapshot.weights.begin(), snapshot.weights.end());
    }
    data.end_ms = std::max(data.end_ms, frame.end_ms);
}

bool LiveReceiver::poll(RunData& data) {
    bool changed = false;
    // At most a bounded number per call, so a flood of frames cannot freeze the window.
    for (int n = 0; n < 256; ++n) {
        std::optional<LiveFrame> frame = queue_.try_pop();
        if (!frame) break;
        dropped_ += frame->sequence - next_sequence_;  // the gap: frames the queue refused
        next_sequence_ = frame->sequence + 1;
        last_seen_ = last_seen_ || frame->last;
        append_frame(data, std::move(*frame));
        changed = true;
    }
    return changed;
}

LiveFeed::LiveFeed(const io::RunSpec& run, const sim::Network& network, sim::Recorder* inner, std::int64_t start_step,
                   std::size_t capacity, std::chrono::milliseconds offer_every)
    : inner_(inner), dt_(network.dt), queue_(capacity), offer_every_(offer_every) {
    skeleton_.dt = network.dt;
    skeleton_.start_ms = skeleton_.end_ms = static_cast<double>(start_step) * dt_;
    for (const auto& population : network.populations)
        skeleton_.populations.push_back({population->name(), static_cast<std::uint32_t>(population->size()), {}, {}});
    spikes_shown_.assign(network.populations.size(), false);
    for (const io::StateRecordSpec& record : run.records) {
        const std::size_t p = network.population_index(record.population);
        if (record.spikes) spikes_shown_[p] = true;
        if (record.variables.empty()) continue;
        Probe probe{p, skeleton_.traces.size(), record.variables, record.neurons,
                    std::max<std::int64_t>(1, std::llround(record.interval / network.dt))};
        if (record.all_neurons) {
            probe.neurons.resize(network.populations[p]->size());
            for (std::uint32_t i = 0; i < probe.neurons.size(); ++i) probe.neurons[i] = i;
        }
        for (const std::string& variable : record.variables) {
            std::string unit;
            for (const auto& v : network.populations[p]->state())
                if (v.name == variable) unit = v.unit;
            skeleton_.traces.push_back({record.population, variable, unit, probe.neurons, {}, {}});
        }
        probes_.push_back(std::move(probe));
    }
    // A run that records no spikes is still worth watching: then every population is shown.
    if (std::none_of(spikes_shown_.begin(), spikes_shown_.end(), [](bool b) { return b; }))
        spikes_shown_.assign(spikes_shown_.size(), true);
    for (const io::WeightRecordSpec& record : run.weight_records) {
        std::size_t j = 0;
        while (j < network.projections.size() && network.projections[j]->name() != record.projection) ++j;
        if (j == network.projections.size()) continue;  // the config check already named it
        const sim::Projection& projection = *network.projections[j];
        sim::ConnectionTable table = projection.connections();
        weight_probes_.push_back({j, skeleton_.weights.size(),
                                  record.interval > 0.0 ? std::max<std::int64_t>(1, std::llround(record.interval / network.dt)) : 0});
        skeleton_.weights.push_back({projection.name(), static_cast<std::uint32_t>(network.populations[projection.pre()]->size()),
                                     static_cast<std::uint32_t>(network.populations[projection.post()]->size()),
                                     std::move(table.pre), std::move(table.post), {}, {}});
    }
    clear_pending();
}

void LiveFeed::clear_pending() {
    pending_ = LiveFrame{};
    pending_.t.resize(skeleton_.populations.size());
    pending_.neuron.resize(skeleton_.populations.size());
    pending_spikes_ = 0;
}

void LiveFeed::begin(const sim::Network& network, std::int64_t start_step) {
    if (inner_) inner_->begin(network, start_step);
    if (begun_) return;  // a run in pieces (a checkpoint on the way) begins once, as the file does
    begun_ = true;
    last_step_done_ = start_step;
    last_offer_ = std::chrono::steady_clock::now();
    sample(network, start_step);
    snapshot(network, start_step, false);
}

void LiveFeed::after_step(const sim::Network& network, std::int64_t step, std::span<const sim::SpikeLists> spikes) {
    if (inner_) inner_->after_step(network, step, spikes);  // the recording first, untouched
    if (window_gone_) return;
    // A spike of step s is stamped at the end of the step, as the recording reader does.
    const auto t = static_cast<float>(static_cast<double>(step + 1) * dt_);
    for (std::size_t p = 0; p < spikes.size() && p < spikes_shown_.size(); ++p) {
        if (!spikes_shown_[p]) continue;
        for (const auto& list : spikes[p]) {
            pending_.neuron[p].insert(pending_.neuron[p].end(), list.begin(), list.end());
            pending_.t[p].insert(pending_.t[p].end(), list.size(), t);
            pending_spikes_ += list.size();
        }
    }
    last_step_done_ = step + 1;
    sample(network, step + 1);
    snapshot(network, step + 1, false);
    if (pending_spikes_ >= max_pending_spikes) {
        offer(false);
    } else if (++steps_since_check_ >= steps_per_clock_check) {
        steps_since_check_ = 0;
        if (std::chrono::steady_clock::now() - last_offer_ >= offer_every_) offer(false);
    }
}

void LiveFeed::sample(const sim::Network& network, std::int64_t step_done) {
    for (const Probe& probe : probes_) {
        if (step_done % probe.interval_steps != 0) continue;
        const auto variables = network.populations[probe.population]->state();
        for (std::size_t v = 0; v < probe.variables.size(); ++v) {
            const auto it = std::find_if(variables.begin(), variables.end(),
                                         [&](const auto& s) { return s.name == probe.variables[v]; });
            if (it == variables.end()) continue;
            const std::size_t trace = probe.trace + v;
            auto found = std::find_if(pending_.samples.begin(), pending_.samples.end(),
                                      [&](const auto& s) { return s.trace == trace; });
            if (found == pending_.samples.end()) found = pending_.samples.insert(pending_.samples.end(), {trace, {}, {}});
            found->times_ms.push_back(static_cast<double>(step_done) * dt_);
            for (const std::uint32_t i : probe.neurons) found->values.push_back(it->values[i]);
        }
    }
}

// The recording's rule (hdf5_recording.cpp): at the start, every interval, and at the end
// unless one was just taken.
void LiveFeed::snapshot(const sim::Network& network, std::int64_t step_done, bool final) {
    for (WeightProbe& probe : weight_probes_) {
        const bool on_interval = probe.interval_steps > 0 && step_done % probe.interval_steps == 0;
        if (probe.taken && (final ? on_interval : !on_interval)) continue;
        probe.taken = true;
        pending_.snapshots.push_back({probe.index, static_cast<double>(step_done) * dt_,
                                      network.projections[probe.projection]->connections().weight});
    }
}

void LiveFeed::offer(bool last) {
    last_offer_ = std::chrono::steady_clock::now();
    pending_.sequence = sequence_++;
    pending_.end_ms = static_cast<double>(last_step_done_) * dt_;
    pending_.last = last;
    if (!queue_.try_push(std::move(pending_)) && queue_.closed()) window_gone_ = true;
    clear_pending();
}

void LiveFeed::finish(const sim::Network& network, std::chrono::milliseconds patience) {
    if (window_gone_ || !begun_) {
        queue_.close();
        return;
    }
    snapshot(network, last_step_done_, true);
    pending_.sequence = sequence_++;
    pending_.end_ms = static_cast<double>(last_step_done_) * dt_;
    pending_.last = true;
    const auto deadline = std::chrono::steady_clock::now() + patience;
    LiveFrame frame = std::move(pending_);
    // try_push moves only when it succeeds, so the frame can be offered again.
    while (!queue_.try_push(std::move(frame)) && !queue_.closed() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    clear_pending();
}

}  // namespace myelin::viewer
