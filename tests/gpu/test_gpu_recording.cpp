// State and weight recording on the GPU backend against the CPU (issue 8): the same HDF5
// recording, sample for sample. Part of myelin_gpu_tests (main in test_gpu_backend.cpp: exit 77
// without a GPU).
#include "experiments/gpu_recording_plan.hpp"
#include "gpu_networks.hpp"
#include "io/batch_spec.hpp"
#include "io/hdf5_recording.hpp"
#include "sim/cuda/chunk_feed.hpp"
#include "sim/cuda/cuda_backend.hpp"
#include "sim/cuda/make_plan.hpp"
#include "support/same_recording.hpp"
#include "support/scratch_dir.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using myelin::test::catalogue;
namespace cuda = myelin::sim::cuda;

namespace {

std::vector<myelin::io::RunSpec> copies_of(const myelin::test::ScratchDir& dir, const std::string& toml, int copies) {
    const std::string path = dir / "config.toml";
    std::ofstream(path) << toml;
    return myelin::io::batch_specs(path, {}, copies, std::nullopt, catalogue().models, catalogue().rules);
}

std::int64_t steps_of(const myelin::io::RunSpec& spec) { return std::llround(spec.duration / spec.network.dt); }

// The copies on the GPU, recorded to `path` as the command records them.
cuda::RunStats record_on_gpu(const std::vector<myelin::io::RunSpec>& specs, const std::string& path, int chunk,
                             cuda::Kernel kernel = cuda::Kernel::automatic) {
    const auto network = myelin::sim::build(specs[0].network, catalogue().models, catalogue().rules, 1);
    std::vector<myelin::sim::NetworkSpec> copies;
    for (const auto& spec : specs) copies.push_back(spec.network);
    const cuda::NetworkPlan plan = cuda::make_plan(copies, network, steps_of(specs[0]), catalogue().models, catalogue().rules);
    auto shell = myelin::sim::build(specs[0].network, catalogue().models, catalogue().rules, 1);
    const cuda::RecordingPlan recording = myelin::cli::gpu_recording_plan(plan, specs[0], shell);
    myelin::io::Hdf5Recording file(path, specs[0], shell);
    cuda::ChunkFeed feed(plan, recording, shell, file, [&](std::uint32_t copy) { file.set_copy(copy); });
    file.set_weight_source([&](std::size_t j) { return feed.weights(j); });
    file.begin(shell, 0);
    const cuda::RunStats stats = cuda::run(plan, chunk, recording, [&](const cuda::Chunk& c) { feed(c); }, kernel);
    file.finish(shell, {plan.steps, 0.0, stats.wall_seconds, 1, false});
    return stats;
}

// The copies on the CPU one after the other into one recording (as `myelin run --batch`).
void record_on_cpu(const std::vector<myelin::io::RunSpec>& specs, const std::string& path) {
    std::vector<myelin::sim::Network> networks;
    for (const auto& spec : specs) networks.push_back(myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1));
    myelin::io::Hdf5Recording file(path, specs[0], networks[0]);
    for (std::size_t b = 0; b < specs.size(); ++b) {
        file.set_copy(static_cast<std::uint32_t>(b));
        myelin::sim::Simulation(networks[b]).run(steps_of(specs[b]), &file);
    }
    file.finish(networks[0], {steps_of(specs[0]), 0.0, 0.0, 1, false});
}

// The feed-forward network's populations recorded: every state variable of each model, some
// every step, some at intervals that chunk boundaries fall inside.
const std::string recorded_feed_forward = myelin::test::feed_forward() +
    "[[record]]\npopulation = \"cuba\"\nspikes = true\nstate = [\"v\", \"i_exc\", \"i_inh\"]\n"
    "[[record]]\npopulation = \"coba\"\nspikes = true\nstate = [\"g_inh\", \"v\", \"g_exc\"]\nneurons = [59, 0, 7, 31]\ninterval = 0.7\n"
    "[[record]]\npopulation = \"delta\"\nspikes = true\nstate = [\"v\"]\ninterval = 0.3\n"
    "[[record]]\npopulation = \"input\"\nspikes = true\n";

// How far GPU and CPU state may differ. Both run the same step functions without fused
// multiply-adds, and every input sum of these networks is exact, but the CPU adds the inputs of
// a one-delay projection to the state after the update one by one (direct delivery: (x + w1) +
// w2 in double), the GPU adds their exact fixed-point sum once (x + (w1 + w2)): each addition
// rounds by at most half an ulp (|state| < 100: 7e-15), with at most ~100 inputs in a step and
// the synaptic decay (tau_syn / dt <= 40 steps) bounding how much accumulates: < 3e-11. 1e-9
// leaves a margin, and is 10^7 times smaller than one input (the smallest weight is 2^-6).
// check_same_recording prints how many values differ at all.
constexpr double state_tolerance = 1e-9;

}  // namespace

TEST_CASE("GPU state recording: the CPU's HDF5 file", "[gpu][recording][issue-8]") {
    // The same datasets, shapes, sample times and spikes; state values equal within
    // state_tolerance (rounding of the same inputs added in another order).
    const myelin::test::ScratchDir dir("gpu_state");
    const auto specs = copies_of(dir, recorded_feed_forward, 3);
    record_on_cpu(specs, dir / "cpu.h5");
    for (const int chunk : {50, 37}) {
        CAPTURE(chunk);
        const std::string path = dir / ("gpu" + std::to_string(chunk) + ".h5");
        const cuda::RunStats stats = record_on_gpu(specs, path, chunk);
        CHECK(stats.kernel == "interval");
        myelin::test::check_same_recording(dir / "cpu.h5", path, state_tolerance);
        const myelin::io::RecordingReader reader(path);
        CHECK(reader.state("cuba", "v").values.size() == 2001 * 60);  // t = 0 .. 200 ms, every neuron
        CHECK(reader.state("coba", "g_exc").times_ms.size() == 286);  // 2000 / 7 samples + t = 0
    }
}

TEST_CASE("GPU state samples keep batch copies apart", "[gpu][recording][issue-8]") {
    // The recording holds copy 0's state (as on the CPU); the device samples every copy: each
    // copy's samples must be that copy's CPU run's (the copies differ in their initial state).
    const myelin::test::ScratchDir dir("gpu_state_copies");
    const auto specs = copies_of(dir, recorded_feed_forward, 3);
    const auto network = myelin::sim::build(specs[0].network, catalogue().models, catalogue().rules, 1);
    std::vector<myelin::sim::NetworkSpec> copies;
    for (const auto& spec : specs) copies.push_back(spec.network);
    const cuda::NetworkPlan plan = cuda::make_plan(copies, network, steps_of(specs[0]), catalogue().models, catalogue().rules);
    auto shell = myelin::sim::build(specs[0].network, catalogue().models, catalogue().rules, 1);
    const cuda::RecordingPlan recording = myelin::cli::gpu_recording_plan(plan, specs[0], shell);
    REQUIRE(recording.probes.size() == 3);
    const cuda::StateProbePlan& probe = recording.probes[0];  // cuba: v, i_exc, i_inh of all 60, every step
    const auto columns = static_cast<std::uint32_t>(probe.neurons.size());
    std::vector<double> gpu(static_cast<std::size_t>(plan.steps) * plan.batch * 3 * columns);  // [step][copy][variable][neuron]
    cuda::run(plan, 64, recording, [&](const cuda::Chunk& c) {
        REQUIRE(c.state[0].size() == static_cast<std::size_t>(c.steps) * plan.batch * 3 * columns);
        std::copy(c.state[0].begin(), c.state[0].end(), gpu.begin() + c.first_step * plan.batch * 3 * columns);
    });
    for (std::uint32_t b = 0; b < plan.batch; ++b) {
        auto cpu_network = myelin::sim::build(specs[b].network, catalogue().models, catalogue().rules, 1);
        struct Sampler final : myelin::sim::Recorder {
            std::vector<double> values;  // [step][variable][neuron]
            void after_step(const myelin::sim::Network& n, std::int64_t, std::span<const myelin::sim::SpikeLists>) override {
                auto state = const_cast<myelin::sim::Network&>(n).populations[1]->state();
                for (std::size_t v = 0; v < 3; ++v)
                    for (std::size_t i = 0; i < state[v].values.size(); ++i) values.push_back(state[v].values[i]);
            }
        } sampler;
        myelin::sim::Simulation(cpu_network).run(plan.steps, &sampler);
        double worst = 0.0;
        for (std::int64_t s = 0; s < plan.steps; ++s)
            for (std::size_t k = 0; k < 3 * columns; ++k)
                worst = std::max(worst, std::abs(gpu[(static_cast<std::size_t>(s) * plan.batch + b) * 3 * columns + k] -
                                                 sampler.values[static_cast<std::size_t>(s) * 3 * columns + k]));
        CAPTURE(b, worst);
        CHECK(worst <= state_tolerance);
    }
    // The copies differ (by far more than the tolerance), so agreement above is per copy.
    double apart = 0.0;
    for (std::size_t k = 0; k < columns; ++k) apart = std::max(apart, std::abs(gpu[k] - gpu[3 * columns + k]));  // v, step 0, copies 0 and 1
    CHECK(apart > 0.1);
}

TEST_CASE("GPU weight snapshots of pair STDP: the CPU's at every snapshot", "[gpu][recording][issue-8]") {
    // Snapshots every 10 ms (100 steps) while the chunks are 40 steps: chunks end early at each
    // snapshot step. The state of the plastic populations is recorded too.
    const myelin::test::ScratchDir dir("gpu_weights");
    const std::string toml = myelin::test::plastic_feed_forward() +
                             "[[record]]\npopulation = \"add\"\nspikes = true\nstate = [\"v\", \"i_exc\"]\nneurons = [0, 3, 19]\n"
                             "[[record]]\npopulation = \"mult\"\nspikes = true\n"
                             "[[record]]\nprojection = \"input->add\"\ninterval = 10.0\n"
                             "[[record]]\nprojection = \"input->mult\"\ninterval = 25.0\n";
    const auto specs = copies_of(dir, toml, 1);
    record_on_cpu(specs, dir / "cpu.h5");
    record_on_gpu(specs, dir / "gpu.h5", 40);
    myelin::test::check_same_recording(dir / "cpu.h5", dir / "gpu.h5", state_tolerance);  // weights bit for bit
    const myelin::io::RecordingReader reader(dir / "gpu.h5");
    const auto w = reader.weights("input->add");
    CHECK(w.times_ms.size() == 27);  // 0, 10, ..., 260 ms
    const std::size_t synapses = w.pre.size();
    CHECK(!std::equal(w.weights.begin(), w.weights.begin() + static_cast<long>(synapses), w.weights.end() - static_cast<long>(synapses)));
}

TEST_CASE("state recording runs on the interval kernels; the resident kernel refuses it", "[gpu][recording][issue-8]") {
    const myelin::test::ScratchDir dir("gpu_state_resident");
    const std::string toml = "[simulation]\nduration = 20.0\nseed = 4\n"
                             "[[population]]\nname = \"exc\"\nsize = 100\nmodel = \"IF_curr_exp\"\nparams = { i_offset = 1.2 }\n"
                             "[[projection]]\npre = \"exc\"\npost = \"exc\"\nconnect = { rule = \"fixed_number_pre\", n = 10 }\nweight = 0.125\n"
                             "[[record]]\npopulation = \"exc\"\nspikes = true\nstate = [\"v\"]\nneurons = [1, 2]\n";
    const auto specs = copies_of(dir, toml, 2);
    CHECK(cuda::resident_unsuitable(cuda::make_plan({specs[0].network, specs[1].network},
                                                    myelin::sim::build(specs[0].network, catalogue().models, catalogue().rules, 1),
                                                    steps_of(specs[0]), catalogue().models, catalogue().rules))
              .empty());
    CHECK(record_on_gpu(specs, dir / "auto.h5", 100).kernel == "interval");  // resident would fit, but state is recorded
    const myelin::io::RecordingReader reader(dir / "auto.h5");
    CHECK(reader.state("exc", "v").values.size() == 201 * 2);
    CHECK(reader.spikes("exc", 1).neuron.size() > 50);
    CHECK_THROWS_WITH(record_on_gpu(specs, dir / "resident.h5", 100, cuda::Kernel::resident), Catch::Contains("does not record state"));
}

namespace {

// The `myelin` binary next to this test binary (gpu-pack/bin) or one folder up (the build tree).
std::string myelin_binary() {
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe").parent_path();
    for (const auto& candidate : {self / "myelin", self.parent_path() / "myelin"})
        if (std::filesystem::exists(candidate)) return candidate.string();
    return "";
}

}  // namespace

TEST_CASE("myelin run --backend cuda writes the CPU's recording of state and weights", "[gpu][recording][issue-8]") {
    // The command end to end (experiments/command_run_cuda.cpp): the recorded feed-forward network
    // in 3 copies, and the STDP network with weight snapshots, on both backends.
    const std::string myelin = myelin_binary();
    if (myelin.empty()) {
        WARN("no myelin binary next to the tests: the command is not checked");
        return;
    }
    const myelin::test::ScratchDir dir("gpu_command");
    std::ofstream(dir / "ff.toml") << recorded_feed_forward;
    std::ofstream(dir / "stdp.toml") << myelin::test::plastic_feed_forward() +
                                            "[[record]]\npopulation = \"add\"\nstate = [\"v\"]\nneurons = [2, 5]\ninterval = 0.5\n"
                                            "[[record]]\nprojection = \"input->add\"\ninterval = 13.0\n";
    for (const auto& [config, extra] : {std::pair{std::string("ff"), std::string(" --batch 3")}, std::pair{std::string("stdp"), std::string("")}}) {
        CAPTURE(config);
        const std::string base = myelin + " run " + (dir / (config + ".toml")) + extra + " --quiet --threads 2 -o ";
        REQUIRE(std::system((base + (dir / (config + "_gpu.h5")) + " --backend cuda --gpu-chunk 30").c_str()) == 0);
        REQUIRE(std::system((base + (dir / (config + "_cpu.h5"))).c_str()) == 0);
        myelin::test::check_same_recording(dir / (config + "_cpu.h5"), dir / (config + "_gpu.h5"), state_tolerance);
    }
}
