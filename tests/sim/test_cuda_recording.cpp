// The GPU backend's recording, host side (sim/cuda/recording_plan.hpp, chunk_feed.hpp; issue 8):
// which neurons and variables are sampled, where each sample lies in a chunk's buffer, where
// chunks end, and how chunks reach the HDF5 recorder. Runs without a GPU: a CPU run is cut into
// the chunks the GPU would hand over, and the recording they make must equal the CPU's own.
#include "experiments/gpu_recording_plan.hpp"
#include "io/hdf5_recording.hpp"
#include "sim/cuda/chunk_feed.hpp"
#include "sim/cuda/make_plan.hpp"
#include "sim/cuda/recording_plan.hpp"
#include "sim/error.hpp"
#include "support/same_recording.hpp"
#include "support/scratch_dir.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using myelin::test::catalogue;
using myelin::test::parse;
namespace cuda = myelin::sim::cuda;

TEST_CASE("GPU state samples: each sampled step has one slot, numbered from 0 in its chunk", "[gpu][recording][issue-8]") {
    // Brute force over chunk starts, lengths and intervals: the steps with sampled_after are
    // exactly those whose (step + 1) is a multiple of the interval, their slots run 0, 1, ...
    // in step order, and their count is samples_in_chunk, at most sample_capacity.
    for (std::int64_t interval = 1; interval <= 7; ++interval)
        for (std::int64_t first = 0; first < 30; ++first)
            for (std::int64_t steps = 1; steps <= 20; ++steps) {
                CAPTURE(interval, first, steps);
                std::int64_t expected_slot = 0;
                for (std::int64_t step = first; step < first + steps; ++step) {
                    REQUIRE(cuda::sampled_after(step, interval) == ((step + 1) % interval == 0));
                    if (!cuda::sampled_after(step, interval)) continue;
                    REQUIRE(cuda::sample_slot(step, first, interval) == expected_slot);
                    ++expected_slot;
                }
                REQUIRE(cuda::samples_in_chunk(first, steps, interval) == expected_slot);
                REQUIRE(expected_slot <= cuda::sample_capacity(steps, interval));
                REQUIRE(cuda::sample_capacity(steps, interval) <= steps / interval + 1);
            }
}

TEST_CASE("GPU state buffer: every (sample, copy, variable, column) has its own place, densely", "[gpu][recording][issue-8]") {
    const std::uint32_t batch = 3, columns = 5;
    const int variables = 2;
    const std::int64_t samples = 4;
    std::set<std::size_t> seen;
    for (std::int64_t slot = 0; slot < samples; ++slot)
        for (std::uint32_t copy = 0; copy < batch; ++copy)
            for (int v = 0; v < variables; ++v)
                for (std::uint32_t c = 0; c < columns; ++c) seen.insert(cuda::sample_offset(slot, copy, v, c, batch, variables, columns));
    CHECK(seen.size() == samples * batch * variables * columns);
    CHECK(*seen.rbegin() == samples * batch * variables * columns - 1);
    // Copy-major within a sample: a sample of one copy is contiguous (variables, then columns).
    CHECK(cuda::sample_offset(1, 2, 1, 4, batch, variables, columns) == ((1 * 3 + 2) * 2 + 1) * 5 + 4);
    cuda::StateProbePlan probe;
    probe.variables = {0, 2};
    probe.neurons = {1, 2, 3, 4, 5};
    probe.interval_steps = 10;
    CHECK(cuda::probe_buffer_values(probe, 100, batch) == 11 * 3 * 2 * 5);  // 100 steps from anywhere: at most 11 samples
}

namespace {

const std::string two_models = R"([simulation]
duration = 10.0
seed = 2
[[population]]
name = "src"
size = 10
model = "SpikeSourcePoisson"
params = { rate = 50.0 }
[[population]]
name = "cuba"
size = 8
model = "IF_curr_exp"
[[population]]
name = "delta"
size = 6
model = "IF_curr_delta"
[[projection]]
pre = "src"
post = "cuba"
connect = { rule = "all_to_all" }
weight = 0.5
)";

cuda::NetworkPlan plan_of(const myelin::io::RunSpec& spec, myelin::sim::Network& network, std::uint32_t copies = 1) {
    const auto steps = static_cast<std::int64_t>(std::llround(spec.duration / spec.network.dt));
    std::vector<myelin::sim::NetworkSpec> specs(copies, spec.network);
    return cuda::make_plan(specs, network, steps, catalogue().models, catalogue().rules);
}

std::vector<std::string> names_of(myelin::sim::Network& network, std::size_t p) {
    std::vector<std::string> names;
    for (const auto& v : network.populations[p]->state()) names.emplace_back(v.name);
    return names;
}

}  // namespace

TEST_CASE("GPU state probes: the config's variables and neurons, refused clearly where the GPU cannot", "[gpu][recording][issue-8]") {
    const auto spec = parse(two_models);
    auto network = myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1);
    const cuda::NetworkPlan plan = plan_of(spec, network);
    const auto names = names_of(network, 1);
    REQUIRE(names == std::vector<std::string>{"v", "i_exc", "i_inh"});
    const std::vector<std::string> wanted{"i_inh", "v"};
    const std::vector<std::uint32_t> neurons{5, 0, 3};
    const cuda::StateProbePlan probe = cuda::make_state_probe(plan, 1, names, wanted, neurons, false, 4);
    CHECK(probe.population == 1);
    CHECK(probe.variables == std::vector<int>{2, 0});  // the config's order, as indices into the model's
    CHECK(probe.neurons == neurons);                   // the config's order: the recording's columns
    CHECK(probe.interval_steps == 4);
    CHECK(cuda::make_state_probe(plan, 2, names_of(network, 2), std::vector<std::string>{"v"}, {}, true, 0).neurons ==
          std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5});
    CHECK(cuda::make_state_probe(plan, 2, names_of(network, 2), std::vector<std::string>{"v"}, {}, true, 0).interval_steps == 1);

    using Catch::Contains;
    const std::vector<std::string> v{"v"};
    CHECK_THROWS_WITH(cuda::make_state_probe(plan, 0, names_of(network, 0), v, {}, true, 1), Contains("\"src\" is a spike source"));
    CHECK_THROWS_WITH(cuda::make_state_probe(plan, 2, names_of(network, 2), std::vector<std::string>{"i_exc"}, {}, true, 1),
                      Contains("state variable \"i_exc\""));
    const std::vector<std::uint32_t> outside{2, 8}, twice{1, 1};
    CHECK_THROWS_WITH(cuda::make_state_probe(plan, 1, names, v, outside, false, 1), Contains("neuron 8 is outside"));
    CHECK_THROWS_WITH(cuda::make_state_probe(plan, 1, names, v, twice, false, 1), Contains("listed twice"));
    cuda::RecordingPlan recording;
    cuda::add_state_probe(recording, probe, "cuba");
    CHECK_THROWS_WITH(cuda::add_state_probe(recording, probe, "cuba"), Contains("one [[record]] of state per population"));
}

TEST_CASE("GPU chunks: shortened to fit the state buffers, ending at every weight snapshot", "[gpu][recording][issue-8]") {
    cuda::RecordingPlan recording;
    cuda::StateProbePlan probe;
    probe.variables = {0, 1, 2};
    probe.neurons.resize(1000);
    probe.interval_steps = 1;
    recording.probes.push_back(probe);
    // 1000 steps x 3 x 1000 x 8 bytes x 4 copies = 96 MB: over a 10 MB limit, halved to 100 steps
    // (2.4 MB a 25-step... ) -- whatever fits, in whole 5-step intervals.
    const std::size_t limit = 10'000'000;
    const std::int64_t chunk = cuda::chunk_for_state(1000, 5, recording, 4, limit);
    CHECK(chunk % 5 == 0);
    CHECK(chunk >= 5);
    CHECK(cuda::probe_buffer_values(probe, chunk, 4) * sizeof(double) <= limit);
    CHECK(cuda::probe_buffer_values(probe, 2 * chunk, 4) * sizeof(double) > limit);  // halved no further than needed
    CHECK(cuda::chunk_for_state(1000, 5, recording, 4, std::size_t{1} << 40) == 1000);  // fits: unchanged
    CHECK(cuda::chunk_for_state(998, 5, recording, 4, std::size_t{1} << 40) == 1000);   // whole intervals
    CHECK_THROWS_WITH(cuda::chunk_for_state(1000, 5, recording, 4, 1000), Catch::Contains("record fewer neurons"));

    // Chunks cover the run once, never exceed the chunk length, and end at every multiple of
    // each weight interval (0: start and end only), where the weights are copied.
    cuda::RecordingPlan weights;
    weights.weight_intervals = {35, 0, 50};
    const std::int64_t total = 333;
    std::int64_t done = 0;
    std::vector<std::int64_t> ends;
    while (done < total) {
        const std::int64_t n = cuda::next_chunk_steps(done, total, 40, weights);
        REQUIRE(n >= 1);
        REQUIRE(n <= 40);
        done += n;
        ends.push_back(done);
    }
    CHECK(done == total);
    for (std::int64_t step = 1; step <= total; ++step) {
        const bool snapshot = step % 35 == 0 || step % 50 == 0 || step == total;
        CAPTURE(step);
        CHECK(cuda::weight_snapshot_after(step, total, weights) == snapshot);
        if (snapshot) CHECK(std::find(ends.begin(), ends.end(), step) != ends.end());
    }
    CHECK(!cuda::weight_snapshot_after(total, total, cuda::RecordingPlan{}));  // no weights recorded: never
    CHECK(cuda::next_chunk_steps(0, 100, 40, cuda::RecordingPlan{}) == 40);
    CHECK(cuda::next_chunk_steps(80, 100, 40, cuda::RecordingPlan{}) == 20);
}

namespace {

// A CPU run seen as the GPU would hand it over: each step's spikes, the state after it of every
// variable of each probe's neurons (all copies equal: one copy simulated, `copies` claimed), and
// the plastic weights after every step.
class Capture final : public myelin::sim::Recorder {
public:
    Capture(const cuda::NetworkPlan& plan, const cuda::RecordingPlan& recording) : plan_(plan), recording_(recording) {}
    void after_step(const myelin::sim::Network& network, std::int64_t step, std::span<const myelin::sim::SpikeLists> spikes) override {
        for (std::size_t p = 0; p < spikes.size(); ++p)
            for (const auto& list : spikes[p])
                for (const std::uint32_t i : list) events.push_back({step, 0, static_cast<std::uint32_t>(p), i});
        auto& mutable_network = const_cast<myelin::sim::Network&>(network);
        std::vector<std::vector<double>> row;
        for (const auto& probe : recording_.probes) {
            auto& values = row.emplace_back();
            const auto variables = mutable_network.populations[probe.population]->state();
            for (const int v : probe.variables)
                for (const std::uint32_t i : probe.neurons) values.push_back(variables[static_cast<std::size_t>(v)].values[i]);
        }
        state.push_back(std::move(row));
        std::vector<std::vector<float>> w;
        for (std::size_t j = 0; j < plan_.projections.size(); ++j)
            if (plan_.projections[j].stdp) w.push_back(network.projections[j]->connections().weight);
        weights.push_back(std::move(w));
    }
    std::vector<cuda::SpikeEvent> events;
    std::vector<std::vector<std::vector<double>>> state;   // [step][probe][variable * neurons]
    std::vector<std::vector<std::vector<float>>> weights;  // [step][plastic projection]

private:
    const cuda::NetworkPlan& plan_;
    const cuda::RecordingPlan& recording_;
};

// The captured run cut into chunks of at most `chunk` steps (ending at weight snapshots), with
// the buffers laid out as the device lays them out for `copies` copies (copy b's values + b).
void replay(const Capture& capture, const cuda::NetworkPlan& plan, const cuda::RecordingPlan& recording, std::int64_t chunk,
            std::uint32_t copies, cuda::ChunkFeed& feed) {
    const std::int64_t total = plan.steps;
    std::size_t k = 0;
    for (std::int64_t done = 0; done < total;) {
        const std::int64_t n = cuda::next_chunk_steps(done, total, chunk, recording);
        cuda::Chunk c;
        c.first_step = done;
        c.steps = n;
        std::vector<cuda::SpikeEvent> events;
        for (; k < capture.events.size() && capture.events[k].step < done + n; ++k)
            for (std::uint32_t b = 0; b < copies; ++b) events.push_back({capture.events[k].step, b, capture.events[k].population, capture.events[k].neuron});
        std::sort(events.begin(), events.end());
        c.spikes = events;
        for (std::size_t q = 0; q < recording.probes.size(); ++q) {
            const cuda::StateProbePlan& probe = recording.probes[q];
            const auto variables = static_cast<int>(probe.variables.size());
            const auto columns = static_cast<std::uint32_t>(probe.neurons.size());
            auto& buffer = c.state.emplace_back(static_cast<std::size_t>(cuda::samples_in_chunk(done, n, probe.interval_steps)) * copies * variables * columns,
                                                std::nan(""));
            for (std::int64_t step = done; step < done + n; ++step) {
                if (!cuda::sampled_after(step, probe.interval_steps)) continue;
                const std::int64_t slot = cuda::sample_slot(step, done, probe.interval_steps);
                for (std::uint32_t b = 0; b < copies; ++b)
                    for (int v = 0; v < variables; ++v)
                        for (std::uint32_t col = 0; col < columns; ++col)
                            buffer.at(cuda::sample_offset(slot, b, v, col, copies, variables, columns)) =
                                capture.state[static_cast<std::size_t>(step)][q][static_cast<std::size_t>(v) * columns + col] + b;
            }
            REQUIRE(std::none_of(buffer.begin(), buffer.end(), [](double x) { return std::isnan(x); }));  // every place filled
        }
        if (cuda::weight_snapshot_after(done + n, total, recording)) {
            std::size_t plastic = 0;
            for (std::size_t j = 0; j < plan.projections.size(); ++j)
                if (plan.projections[j].stdp) {
                    cuda::LearnedWeights learned{j, {}};
                    for (std::uint32_t b = 0; b < copies; ++b) {
                        const auto& w = capture.weights[static_cast<std::size_t>(done + n - 1)][plastic];
                        learned.weights.insert(learned.weights.end(), w.begin(), w.end());
                    }
                    c.weights.push_back(std::move(learned));
                    ++plastic;
                }
        }
        feed(c);
        done += n;
    }
}

const std::string plastic_network = R"([simulation]
duration = 60.0
seed = 9
[[population]]
name = "src"
size = 30
model = "SpikeSourcePoisson"
params = { rate = 40.0 }
[[population]]
name = "exc"
size = 40
model = "IF_curr_exp"
params = { i_offset = 0.9, tau_refrac = 2.0 }
init = { v = { uniform = [-65.0, -50.0] } }
[[population]]
name = "coba"
size = 12
model = "IF_cond_exp"
[[projection]]
name = "plastic"
pre = "src"
post = "exc"
connect = { rule = "fixed_probability", p = 0.3 }
weight = 0.2
plasticity = { rule = "stdp", w_max = 0.5 }
[[projection]]
pre = "src"
post = "coba"
connect = { rule = "fixed_probability", p = 0.5 }
weight = 0.01
[[record]]
population = "exc"
spikes = true
state = ["i_exc", "v"]
neurons = [3, 7, 1]
interval = 0.3
[[record]]
population = "coba"
spikes = true
state = ["g_exc"]
[[record]]
population = "src"
spikes = true
[[record]]
projection = "plastic"
interval = 7.0
[[record]]
projection = "src->coba"
)";

}  // namespace

TEST_CASE("GPU chunks fed to the HDF5 recorder write the CPU's recording", "[gpu][recording][issue-8]") {
    // The CPU run is the reference twice over: its own recording, and the values the chunks
    // carry. Equal files mean the feed puts every sample, spike and snapshot where the CPU's
    // recorder puts it, across chunk boundaries that fall inside sampling intervals.
    const myelin::test::ScratchDir dir("gpu_feed");
    const auto spec = parse(plastic_network);
    auto network = myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1);
    auto plan_network = myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1);
    const cuda::NetworkPlan plan = plan_of(spec, plan_network);
    REQUIRE(plan.steps == 600);
    // What the command records for this config (experiments/gpu_recording_plan.hpp).
    const cuda::RecordingPlan recording = myelin::cli::gpu_recording_plan(plan, spec, network);
    REQUIRE(recording.probes.size() == 2);
    CHECK(recording.probes[0].interval_steps == 3);
    CHECK(recording.probes[0].variables == std::vector<int>{1, 0});  // i_exc, v
    CHECK(recording.probes[1].neurons.size() == 12);                // coba: every neuron
    CHECK(recording.weight_intervals == std::vector<std::int64_t>{70, 0});

    Capture capture(plan, recording);
    {
        myelin::io::Hdf5Recording cpu(dir / "cpu.h5", spec, network);
        struct Both final : myelin::sim::Recorder {
            myelin::sim::Recorder &a, &b;
            Both(myelin::sim::Recorder& x, myelin::sim::Recorder& y) : a(x), b(y) {}
            void begin(const myelin::sim::Network& n, std::int64_t s) override { a.begin(n, s); }
            void after_step(const myelin::sim::Network& n, std::int64_t s, std::span<const myelin::sim::SpikeLists> l) override {
                a.after_step(n, s, l);
                b.after_step(n, s, l);
            }
        } both(cpu, capture);
        const auto result = myelin::sim::Simulation(network).run(plan.steps, &both);
        cpu.finish(network, {result.steps, 0.0, 0.0, 1, false});
    }
    REQUIRE(capture.events.size() > 100);
    for (const std::int64_t chunk : {1, 16, 1000}) {
        CAPTURE(chunk);
        auto shell = myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1);
        const std::string path = dir / ("gpu" + std::to_string(chunk) + ".h5");
        {
            myelin::io::Hdf5Recording gpu(path, spec, shell);
            cuda::ChunkFeed feed(plan, recording, shell, gpu, [&](std::uint32_t copy) { gpu.set_copy(copy); });
            gpu.set_weight_source([&](std::size_t j) { return feed.weights(j); });
            gpu.begin(shell, 0);
            replay(capture, plan, recording, chunk, 1, feed);
            gpu.finish(shell, {plan.steps, 0.0, 0.0, 1, false});
        }
        myelin::test::check_same_recording(dir / "cpu.h5", path);
        // The plastic projection learned, so equal snapshots are not just the built weights.
        const myelin::io::RecordingReader reader(path);
        const auto w = reader.weights("plastic");
        REQUIRE(w.times_ms.size() == 10);  // 0, 7, ..., 56 ms and the end
        CHECK(w.times_ms.back() == Approx(60.0));
        const std::size_t synapses = w.pre.size();
        CHECK(!std::equal(w.weights.begin(), w.weights.begin() + static_cast<long>(synapses), w.weights.end() - static_cast<long>(synapses)));
    }
}

TEST_CASE("GPU chunks of a batch: copy 0's state is recorded, every copy's spikes with its index", "[gpu][recording][issue-8]") {
    // Three copies whose samples differ (copy b's are the CPU's + b): the recording samples copy
    // 0 (as a batched CPU run does) and keeps each copy's spikes apart.
    const myelin::test::ScratchDir dir("gpu_feed_batch");
    const auto spec = parse(plastic_network);
    auto network = myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1);
    auto plan_network = myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1);
    const cuda::NetworkPlan plan = plan_of(spec, plan_network, 3);
    cuda::RecordingPlan recording;
    const std::vector<std::string> v{"v"};
    const std::vector<std::uint32_t> neurons{0, 39};
    cuda::add_state_probe(recording, cuda::make_state_probe(plan, 1, names_of(network, 1), v, neurons, false, 1), "exc");
    Capture capture(plan, recording);
    myelin::sim::Simulation(network).run(plan.steps, &capture);
    auto shell = myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1);
    myelin::test::MemoryRecorder memory;
    struct Sampler final : myelin::sim::Recorder {
        myelin::test::MemoryRecorder& memory;
        std::uint32_t copy = 0;
        std::vector<double> v39;
        std::vector<std::vector<std::uint32_t>> copies_per_step;
        explicit Sampler(myelin::test::MemoryRecorder& m) : memory(m) {}
        void after_step(const myelin::sim::Network& n, std::int64_t s, std::span<const myelin::sim::SpikeLists> l) override {
            if (copy == 0) {
                memory.after_step(n, s, l);
                v39.push_back(const_cast<myelin::sim::Network&>(n).populations[1]->state()[0].values[39]);
                copies_per_step.emplace_back();
            }
            copies_per_step.back().push_back(copy);
        }
    } sampler(memory);
    cuda::ChunkFeed feed(plan, recording, shell, sampler, [&](std::uint32_t copy) { sampler.copy = copy; });
    replay(capture, plan, recording, 64, 3, feed);
    REQUIRE(sampler.v39.size() == static_cast<std::size_t>(plan.steps));
    for (std::size_t s = 0; s < sampler.v39.size(); ++s) CHECK(sampler.v39[s] == capture.state[s][0][1]);  // copy 0's, not + b
    // Copy 0 every step; copies 1 and 2 exactly in the steps with spikes, in copy order.
    std::set<std::int64_t> spiking;
    for (const auto& e : capture.events) spiking.insert(e.step);
    for (std::size_t s = 0; s < sampler.copies_per_step.size(); ++s)
        CHECK(sampler.copies_per_step[s] ==
              (spiking.count(static_cast<std::int64_t>(s)) ? std::vector<std::uint32_t>{0, 1, 2} : std::vector<std::uint32_t>{0}));
    for (std::size_t p = 0; p < 3; ++p) {
        std::vector<myelin::test::Spike> expected;
        for (const auto& e : capture.events)
            if (e.population == p) expected.push_back({e.step, e.neuron});
        CHECK(memory.spikes[p] == expected);
    }
}
