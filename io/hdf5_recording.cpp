// The HDF5 recording writer (hdf5_recording.hpp; layout in docs/recording.md).
#include "io/hdf5_recording.hpp"

#include "io/hdf5_util.hpp"
#include "sim/error.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>

#ifndef MYELIN_VERSION
#define MYELIN_VERSION "unknown"
#endif

namespace myelin::io {
namespace {

constexpr std::size_t spike_chunk = 1 << 16;      // spikes per write
constexpr std::size_t state_chunk_values = 1 << 16;  // sampled values per write and variable

std::string population_group(const std::string& name) { return "/populations/" + name; }

std::string now_iso8601() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return text;
}

}  // namespace

Hdf5Recording::Hdf5Recording(std::string path, const RunSpec& run, const sim::Network& network)
    : path_(std::move(path)), run_(run), batched_(run.batch > 1) {
    namespace fs = std::filesystem;
    const fs::path target(path_);
    std::error_code ignored;
    if (target.has_parent_path()) fs::create_directories(target.parent_path(), ignored);
    temporary_path_ = path_ + ".tmp-" + std::to_string(::getpid());
    H5::Exception::dontPrint();
    try {
        file_ = std::make_unique<H5::H5File>(temporary_path_, H5F_ACC_TRUNC);
        file_->createGroup("/meta");
        H5::Group populations = file_->createGroup("/populations");
        file_->createGroup("/projections");
        spike_buffer_of_.assign(network.populations.size(), -1);
        for (std::size_t p = 0; p < network.populations.size(); ++p) {
            const sim::Population& population = *network.populations[p];
            H5::Group group = populations.createGroup(population.name());
            h5::set_attribute(group, "size", static_cast<std::int64_t>(population.size()));
            h5::set_attribute(group, "model", std::string(population.model()));
        }
        for (const StateRecordSpec& record : run.records) {
            const std::size_t p = network.population_index(record.population);
            H5::Group group = file_->openGroup(population_group(record.population));
            if (record.spikes) {
                H5::Group spikes = group.createGroup("spikes");
                h5::create_growing<std::uint32_t>(spikes, "neuron", 0, spike_chunk);
                h5::create_growing<std::int64_t>(spikes, "step", 0, spike_chunk);
                if (batched_) h5::create_growing<std::uint32_t>(spikes, "copy", 0, spike_chunk);
                h5::set_attribute(spikes, "time_ms", std::string("(step + 1) * dt_ms: a spike of step k is stamped at the end of the step"));
                spike_buffer_of_[p] = static_cast<int>(spikes_.size());
                spikes_.push_back({p, {}, {}, {}});
            }
            if (record.variables.empty()) continue;
            StateProbe probe;
            probe.population = p;
            probe.variables = record.variables;
            if (record.all_neurons) {
                probe.neurons.resize(network.populations[p]->size());
                for (std::uint32_t i = 0; i < probe.neurons.size(); ++i) probe.neurons[i] = i;
            } else {
                probe.neurons = record.neurons;
            }
            probe.interval_steps = std::max<std::int64_t>(1, std::llround(record.interval / network.dt));
            probe.rows.resize(probe.variables.size());
            H5::Group state = group.createGroup("state");
            h5::write_vector(state, "neurons", probe.neurons);
            h5::create_growing<double>(state, "times_ms", 0, 1024);
            const hsize_t columns = probe.neurons.size();
            for (const auto& variable : probe.variables) {
                H5::DataSet dataset = h5::create_growing<double>(state, variable, columns, state_chunk_values / std::max<hsize_t>(columns, 1));
                for (const auto& v : network.populations[p]->state())
                    if (v.name == variable) h5::set_attribute(dataset, "unit", std::string(v.unit));
            }
            probes_.push_back(std::move(probe));
        }
        for (const WeightRecordSpec& record : run.weight_records) {
            std::size_t j = 0;
            while (network.projections[j]->name() != record.projection) ++j;
            weight_probes_.push_back({j, record.interval > 0.0 ? std::max<std::int64_t>(1, std::llround(record.interval / network.dt)) : 0});
        }
        weight_rows_.assign(weight_probes_.size(), 0);
    } catch (const H5::Exception& e) {
        std::error_code ignored_remove;
        file_.reset();
        fs::remove(temporary_path_, ignored_remove);
        throw IoError(path_, "cannot create the recording (" + e.getDetailMsg() + ")");
    }
    writer_ = std::thread([this] { writer_loop(); });
}

Hdf5Recording::~Hdf5Recording() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) writer_.join();
    if (!finished_) {
        try {
            file_.reset();
        } catch (...) {  // the file is being discarded anyway
        }
        std::error_code ignored;
        std::filesystem::remove(temporary_path_, ignored);
    }
}

void Hdf5Recording::submit(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push(std::move(job));
    }
    wake_.notify_one();
}

void Hdf5Recording::writer_loop() {
    while (true) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return closing_ || !jobs_.empty(); });
            if (jobs_.empty()) return;
            job = std::move(jobs_.front());
            jobs_.pop();
            busy_ = true;
        }
        try {
            if (!writer_error_) job();
        } catch (const H5::Exception& e) {
            writer_error_ = std::make_exception_ptr(IoError(path_, "write failed (" + e.getDetailMsg() + ")"));
        } catch (...) {
            writer_error_ = std::current_exception();
        }
        {
            std::lock_guard lock(mutex_);
            busy_ = false;
        }
        idle_.notify_all();
    }
}

void Hdf5Recording::wait_idle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return jobs_.empty() && !busy_; });
    if (writer_error_) std::rethrow_exception(writer_error_);
}

void Hdf5Recording::begin(const sim::Network& network, std::int64_t start_step) {
    // A run in pieces (e.g. stopped for a checkpoint) begins once: no second sample at the seam.
    if (first_step_ >= 0) return;
    first_step_ = start_step;
    last_step_done_ = start_step;
    sample_state(network, start_step);
    snapshot_weights(network, start_step, false);
}

void Hdf5Recording::after_step(const sim::Network& network, std::int64_t step, std::span<const sim::SpikeLists> spikes) {
    for (auto& buffer : spikes_) {
        for (const auto& list : spikes[buffer.population]) {
            buffer.neuron.insert(buffer.neuron.end(), list.begin(), list.end());
            buffer.step.insert(buffer.step.end(), list.size(), step);
            if (batched_) buffer.copy.insert(buffer.copy.end(), list.size(), copy_);
        }
        if (buffer.neuron.size() >= spike_chunk) flush_spikes(buffer);
    }
    if (copy_ != 0) return;
    last_step_done_ = step + 1;
    sample_state(network, step + 1);
    snapshot_weights(network, step + 1, false);
}

// Samples at t = step_done*dt whenever step_done is a multiple of the probe's interval.
void Hdf5Recording::sample_state(const sim::Network& network, std::int64_t step_done) {
    for (auto& probe : probes_) {
        if (step_done % probe.interval_steps != 0) continue;
        auto variables = network.populations[probe.population]->state();
        for (std::size_t v = 0; v < probe.variables.size(); ++v) {
            const auto it = std::find_if(variables.begin(), variables.end(),
                                         [&](const auto& s) { return s.name == probe.variables[v]; });
            for (const std::uint32_t i : probe.neurons) probe.rows[v].push_back(it->values[i]);
        }
        probe.times.push_back(static_cast<double>(step_done) * network.dt);
        if (probe.rows.front().size() >= state_chunk_values) flush_state(probe);
    }
}

// Snapshots at the start, every interval, and (final = true) at the end unless one was just taken.
void Hdf5Recording::snapshot_weights(const sim::Network& network, std::int64_t step_done, bool final) {
    for (std::size_t w = 0; w < weight_probes_.size(); ++w) {
        const WeightProbe& probe = weight_probes_[w];
        const bool first = weight_rows_[w] == 0;
        const bool on_interval = probe.interval_steps > 0 && step_done % probe.interval_steps == 0;
        if (!first && (final ? on_interval : !on_interval)) continue;
        ++weight_rows_[w];
        auto table = std::make_shared<sim::ConnectionTable>(network.projections[probe.projection]->connections());
        if (weight_source_) table->weight = weight_source_(probe.projection);
        const std::string name = network.projections[probe.projection]->name();
        const double time = static_cast<double>(step_done) * network.dt;
        submit([this, table, name, first, time] {
            H5::Group group = first ? file_->createGroup("/projections/" + name) : file_->openGroup("/projections/" + name);
            if (first) {
                h5::write_vector(group, "pre", table->pre);
                h5::write_vector(group, "post", table->post);
                h5::write_vector(group, "delay_steps", table->delay);
                h5::create_growing<float>(group, "weights", table->weight.size(),
                                          std::max<hsize_t>(1, (1 << 20) / std::max<std::size_t>(table->weight.size(), 1)));
                h5::create_growing<double>(group, "times_ms", 0, 256);
            }
            h5::append(group.openDataSet("weights"), table->weight);
            h5::append(group.openDataSet("times_ms"), std::vector<double>{time});
        });
    }
}

void Hdf5Recording::flush_spikes(SpikeBuffer& buffer) {
    if (buffer.neuron.empty()) return;
    const std::string group = population_group(run_.network.populations[buffer.population].name) + "/spikes";
    submit([this, group, neuron = std::move(buffer.neuron), step = std::move(buffer.step), copy = std::move(buffer.copy)] {
        h5::append(file_->openDataSet(group + "/neuron"), neuron);
        h5::append(file_->openDataSet(group + "/step"), step);
        if (!copy.empty()) h5::append(file_->openDataSet(group + "/copy"), copy);
    });
    buffer.neuron = {};
    buffer.step = {};
    buffer.copy = {};
}

void Hdf5Recording::flush_state(StateProbe& probe) {
    if (probe.times.empty()) return;
    const std::string group = population_group(run_.network.populations[probe.population].name) + "/state";
    submit([this, group, variables = probe.variables, rows = std::move(probe.rows), times = std::move(probe.times)] {
        for (std::size_t v = 0; v < variables.size(); ++v) h5::append(file_->openDataSet(group + "/" + variables[v]), rows[v]);
        h5::append(file_->openDataSet(group + "/times_ms"), times);
    });
    probe.rows.assign(probe.variables.size(), {});
    probe.times = {};
}

void Hdf5Recording::finish(const sim::Network& network, const RunOutcome& outcome) {
    for (auto& buffer : spikes_) flush_spikes(buffer);
    for (auto& probe : probes_) flush_state(probe);
    snapshot_weights(network, last_step_done_, true);
    submit([this, &network, outcome] {
        H5::Group meta = file_->openGroup("/meta");
        h5::set_attribute(meta, "format", std::string("myelin-recording"));
        h5::set_attribute(meta, "format_version", static_cast<std::int64_t>(recording_format_version));
        h5::set_attribute(meta, "myelin_version", std::string(MYELIN_VERSION));
        h5::set_attribute(meta, "config", run_.config_text);
        h5::set_attribute(meta, "config_path", run_.config_path);
        std::string overrides;
        for (const auto& o : run_.overrides) overrides += o + "\n";
        h5::set_attribute(meta, "overrides", overrides);
        h5::set_attribute(meta, "seed", static_cast<std::int64_t>(network.seed));
        h5::set_attribute(meta, "dt_ms", network.dt);
        h5::set_attribute(meta, "duration_ms", run_.duration);
        h5::set_attribute(meta, "steps", outcome.steps);
        h5::set_attribute(meta, "start_ms", static_cast<double>(std::max<std::int64_t>(first_step_, 0)) * network.dt);
        h5::set_attribute(meta, "simulated_ms", static_cast<double>(outcome.steps) * network.dt);
        h5::set_attribute(meta, "threads", static_cast<std::int64_t>(outcome.threads));
        h5::set_attribute(meta, "build_seconds", outcome.build_seconds);
        h5::set_attribute(meta, "wall_seconds", outcome.wall_seconds);
        h5::set_attribute(meta, "interrupted", static_cast<std::int64_t>(outcome.interrupted ? 1 : 0));
        h5::set_attribute(meta, "created", now_iso8601());
        if (batched_) h5::set_attribute(meta, "batch", static_cast<std::int64_t>(run_.batch));
        if (!run_.sweep_key.empty()) {
            h5::set_attribute(meta, "sweep_key", run_.sweep_key);
            h5::write_vector(meta, "sweep_values", run_.sweep_values);
        }
    });
    wait_idle();
    try {
        file_->close();
    } catch (const H5::Exception& e) {
        throw IoError(path_, "cannot close the recording (" + e.getDetailMsg() + ")");
    }
    std::error_code error;
    std::filesystem::rename(temporary_path_, path_, error);
    if (error) throw IoError(path_, "cannot move the finished recording into place (" + error.message() + ")");
    finished_ = true;
}

}  // namespace myelin::io
