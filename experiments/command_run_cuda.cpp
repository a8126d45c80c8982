// myelin run --backend cuda (docs/gpu.md): the config (and --batch/--sweep copies) on the GPU,
// recording spikes, sampled state and weight snapshots in the CPU run's layout. Without a GPU it says why and exits 2.
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "experiments/gpu_recording_plan.hpp"
#include "io/batch_spec.hpp"
#include "io/hdf5_recording.hpp"
#include "sim/cuda/chunk_feed.hpp"
#include "sim/cuda/cuda_backend.hpp"
#include "sim/cuda/make_plan.hpp"

#include <nlohmann/json.hpp>
#include <tbb/info.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

namespace myelin::cli {

int run_cuda_command(const RunOptions& options) {
    const std::string why = sim::cuda::unavailable_reason();
    if (!why.empty()) throw UsageError("--backend cuda: " + why);
    if (!options.checkpoint.empty() || !options.checkpoint_at.empty())
        throw UsageError("--backend cuda: checkpoints are not supported on the GPU backend");
    const Catalogue catalogue;
    std::vector<io::RunSpec> specs = batch_run_specs(options, catalogue);
    const io::RunSpec& first = specs.front();
    const int threads = first.threads > 0 ? first.threads : tbb::info::default_concurrency();
    const auto steps = static_cast<std::int64_t>(std::llround(first.duration / first.network.dt));

    // Connectivity is built on the CPU (as for a CPU run), flattened, and the CPU copy dropped.
    const auto build_started = std::chrono::steady_clock::now();
    sim::cuda::NetworkPlan plan;
    {
        const sim::Network network = sim::build(first.network, catalogue.models, catalogue.rules, threads);
        std::vector<sim::NetworkSpec> copies;
        for (const auto& spec : specs) copies.push_back(spec.network);
        try {
            plan = sim::cuda::make_plan(copies, network, steps, catalogue.models, catalogue.rules);
        } catch (const Error& e) {
            throw UsageError(std::string("--backend cuda: ") + e.what());
        }
    }
    const double build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_started).count();

    std::string output;
    if (!options.no_output) {
        output = !options.output.empty() ? options.output : !first.output_file.empty() ? first.output_file
                                                          : std::filesystem::path(options.config).stem().string() + ".h5";
    }
    // The recording reads a shell of copy 0: its populations, whose sampled state the GPU's
    // samples overwrite step by step, and, when weights are recorded, its projections (for pre,
    // post and delays; the weights come from the device's snapshots). Every projection then,
    // since a projection's connectivity is keyed by its index.
    sim::NetworkSpec light = first.network;
    if (output.empty() || first.weight_records.empty()) light.projections.clear();
    light.poisson_inputs.clear();
    sim::Network shell = sim::build(light, catalogue.models, catalogue.rules, 1);
    sim::cuda::RecordingPlan recording_plan;
    if (!output.empty()) {
        try {
            recording_plan = gpu_recording_plan(plan, first, shell);
        } catch (const Error& e) {
            throw UsageError(std::string("--backend cuda: ") + e.what());
        }
    }
    if (!recording_plan.probes.empty() && options.gpu_kernel == "resident")
        throw UsageError("--gpu-kernel resident: the resident kernel does not record state variables (use --gpu-kernel auto or interval)");
    std::optional<io::Hdf5Recording> recording;
    if (!output.empty()) recording.emplace(output, first, shell);
    std::optional<sim::cuda::ChunkFeed> feed;
    if (recording) {
        feed.emplace(plan, recording_plan, shell, *recording, [&](std::uint32_t copy) { recording->set_copy(copy); });
        // Shell projection j is plan projection `index`, found by name.
        recording->set_weight_source([&](std::size_t j) {
            std::size_t index = 0;
            while (plan.projections[index].name != shell.projections[j]->name()) ++index;
            return feed->weights(index);
        });
        recording->begin(shell, 0);
    }
    const std::size_t populations = plan.populations.size();
    const sim::cuda::Kernel kernel = options.gpu_kernel == "interval"   ? sim::cuda::Kernel::interval
                                     : options.gpu_kernel == "resident" ? sim::cuda::Kernel::resident
                                                                        : sim::cuda::Kernel::automatic;
    if (kernel == sim::cuda::Kernel::resident)
        if (const std::string why = sim::cuda::resident_unsuitable(plan); !why.empty()) throw UsageError("--gpu-kernel resident: " + why);
    // The recording gets every step (without one, spikes are only counted on the device).
    const sim::cuda::RunStats stats = sim::cuda::run(
        plan, options.gpu_chunk, recording_plan, feed ? sim::cuda::ChunkSink([&](const sim::cuda::Chunk& chunk) { (*feed)(chunk); }) : nullptr,
        kernel);
    if (recording) {
        recording->finish(shell, {steps, build_seconds, stats.wall_seconds, threads, false});
    }

    const double simulated_s = static_cast<double>(steps) * plan.dt / 1000.0;
    const double rtf = simulated_s > 0 ? stats.wall_seconds / simulated_s : 0.0;
    nlohmann::json report;
    report["config"] = options.config;
    report["device"] = stats.device;
    report["kernel"] = stats.kernel;
    report["batch"] = plan.batch;
    report["steps"] = steps;
    report["build_seconds"] = build_seconds;
    report["upload_seconds"] = stats.upload_seconds;
    report["wall_seconds"] = stats.wall_seconds;
    report["real_time_factor"] = rtf;
    report["network_seconds_per_second"] = stats.wall_seconds > 0 ? plan.batch * simulated_s / stats.wall_seconds : 0.0;
    report["spikes"] = stats.spikes;
    report["synaptic_events"] = stats.events;
    report["events_per_second"] = stats.wall_seconds > 0 ? static_cast<double>(stats.events) / stats.wall_seconds : 0.0;
    report["profiled_steps"] = stats.profiled_steps;
    report["interval_steps"] = stats.interval_steps;
    report["chunk_steps"] = stats.chunk_steps;
    report["update_seconds_per_step"] = stats.profiled_steps ? stats.update_seconds / static_cast<double>(stats.profiled_steps) : 0.0;
    report["deliver_seconds_per_step"] = stats.profiled_steps ? stats.deliver_seconds / static_cast<double>(stats.profiled_steps) : 0.0;
    report["device_bytes"] = stats.device_bytes;
    report["copy_bandwidth_bytes_per_second"] = stats.copy_bandwidth;
    std::size_t synapses = 0;
    for (const auto& pj : plan.projections) synapses += pj.target.size();
    report["synapses"] = synapses;
    for (std::size_t p = 0; p < populations; ++p) {
        double total = 0;
        for (std::uint32_t b = 0; b < plan.batch; ++b) total += static_cast<double>(stats.spike_counts[p * plan.batch + b]);
        report["rates_hz"][plan.populations[p].name] = simulated_s > 0 ? total / plan.batch / plan.populations[p].size / simulated_s : 0.0;
    }
    for (const sim::cuda::LearnedWeights& learned : stats.learned) {
        const sim::cuda::ProjectionPlan& pj = plan.projections[learned.projection];
        double before = 0, after = 0;
        for (const float w : pj.weight) before += w;
        for (const float w : learned.weights) after += w;
        before /= static_cast<double>(std::max<std::size_t>(pj.weight.size(), 1));
        after /= static_cast<double>(std::max<std::size_t>(learned.weights.size(), 1));
        report["learned"][pj.name] = {{"mean_weight_before", before}, {"mean_weight_after", after}};
    }
    if (!options.quiet) {
        std::printf("%s on %s: %u cop%s, %zu synapses, %g ms; build %.3f s, upload %.3f s, simulate %.4f s (real-time factor %.3g, %.4g network-seconds/s)\n",
                    options.config.c_str(), stats.device.c_str(), plan.batch, plan.batch == 1 ? "y" : "ies", synapses,
                    static_cast<double>(steps) * plan.dt, build_seconds, stats.upload_seconds, stats.wall_seconds, rtf,
                    report["network_seconds_per_second"].get<double>());
        std::printf("  %.4g synaptic events (%.3g per second); %s kernel, %d-step intervals, %lld steps per launch\n",
                    static_cast<double>(stats.events), report["events_per_second"].get<double>(), stats.kernel.c_str(),
                    stats.interval_steps, static_cast<long long>(stats.chunk_steps));
        if (stats.profiled_steps == 0)  // the resident kernel: both phases in one launch
            std::printf("  per step: %.3g us (update and delivery in one launch)\n",
                        stats.wall_seconds / static_cast<double>(std::max<std::int64_t>(steps, 1)) * 1e6);
        else
            std::printf("  per step (profiled over %lld steps after the run): update %.3g us, delivery %.3g us\n",
                        static_cast<long long>(stats.profiled_steps), report["update_seconds_per_step"].get<double>() * 1e6,
                        report["deliver_seconds_per_step"].get<double>() * 1e6);
        for (std::size_t p = 0; p < populations; ++p)
            std::printf("  %-22s %10u neurons  %10.3f Hz (mean over copies)\n", plan.populations[p].name.c_str(), plan.populations[p].size,
                        report["rates_hz"][plan.populations[p].name].get<double>());
        if (report.contains("learned"))
            for (const auto& [name, learned] : report["learned"].items())
                std::printf("  %-22s mean weight %.6g -> %.6g (pair STDP, mean over copies)\n", name.c_str(),
                            learned["mean_weight_before"].get<double>(), learned["mean_weight_after"].get<double>());
        if (!output.empty()) std::printf("  recording %s\n", output.c_str());
    }
    if (!options.report_json.empty()) {
        std::ofstream out(options.report_json);
        out << report.dump(2) << "\n";
        if (!out) throw IoError(options.report_json, "cannot write the report");
    }
    return 0;
}

}  // namespace myelin::cli
