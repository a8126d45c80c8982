// The engine side of `myelin run --view` (viewer/live_feed.hpp), no display needed: the feed
// passes every step to the recording untouched, its frames rebuild exactly the spikes, samples
// and weight snapshots the recording gets, and a full queue costs the window frames, never the
// recording its spikes.
#include "support/simulate.hpp"
#include "viewer/live_feed.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace myelin;

namespace {

// Poisson input onto LIF neurons with STDP (weights change), state and weights recorded.
const char* network_toml = R"(
[simulation]
duration = 200.0
seed = 7
[[population]]
name = "input"
size = 30
model = "SpikeSourcePoisson"
params = { rate = 40.0 }
[[population]]
name = "exc"
size = 20
model = "IF_curr_exp"
params = { i_offset = 0.5 }
[[projection]]
name = "in_exc"
pre = "input"
post = "exc"
connect = { rule = "fixed_probability", p = 0.5 }
weight = 0.6
plasticity = { rule = "stdp", A_plus = 0.01, A_minus = 0.012, w_min = 0.0, w_max = 1.0 }
[[record]]
population = "exc"
spikes = false
state = ["v"]
neurons = [0, 3]
interval = 1.0
[[record]]
population = "input"
[[record]]
projection = "in_exc"
weights = true
interval = 50.0
)";

// Spikes of the recording, as the viewer stamps them: (step + 1) * dt.
std::vector<float> times_of(const std::vector<test::Spike>& spikes, double dt) {
    std::vector<float> t;
    for (const auto& s : spikes) t.push_back(static_cast<float>(static_cast<double>(s.step + 1) * dt));
    return t;
}

std::vector<std::uint32_t> neurons_of(const std::vector<test::Spike>& spikes) {
    std::vector<std::uint32_t> n;
    for (const auto& s : spikes) n.push_back(s.neuron);
    return n;
}

}  // namespace

TEST_CASE("the live feed's frames hold every spike, sample and snapshot the run records", "[viewer][live]") {
    const io::RunSpec run = test::parse(network_toml);
    sim::Network network = sim::build(run.network, test::catalogue().models, test::catalogue().rules, 2);
    test::MemoryRecorder recording;
    // Room for every frame (one offered every 16 steps: 2000 steps -> ~125 frames).
    viewer::LiveFeed feed(run, network, &recording, 0, 1000, std::chrono::milliseconds(0));
    sim::Simulation simulation(network);
    const std::int64_t steps = 2000;
    simulation.run(steps, &feed);
    feed.finish(network);

    viewer::RunData data = feed.skeleton();
    std::uint64_t frames = 0;
    bool last = false;
    while (auto frame = feed.queue().try_pop()) {
        CHECK(frame->sequence == frames++);
        last = frame->last;
        viewer::append_frame(data, std::move(*frame));
    }
    CHECK(frames > 10);
    CHECK(last);
    CHECK(feed.queue().dropped() == 0);
    CHECK(data.end_ms == Approx(200.0));

    // Spikes: those of the recorded population ("input") exactly; "exc" records no spikes.
    const std::size_t input = network.population_index("input"), exc = network.population_index("exc");
    REQUIRE(!recording.spikes[input].empty());
    CHECK(data.populations[input].t == times_of(recording.spikes[input], network.dt));
    CHECK(data.populations[input].neuron == neurons_of(recording.spikes[input]));
    CHECK(data.populations[exc].t.empty());

    // State: v of neurons 0 and 3 every 1 ms from t = 0 to 200 (201 samples), as the file.
    REQUIRE(data.traces.size() == 1);
    CHECK(data.traces[0].unit == "mV");
    CHECK(data.traces[0].neurons == std::vector<std::uint32_t>{0, 3});
    REQUIRE(data.traces[0].times_ms.size() == 201);
    CHECK(data.traces[0].times_ms.back() == Approx(200.0));
    CHECK(data.traces[0].values.size() == 2 * 201);

    // Weights: snapshots at 0, 50, 100, 150, 200 ms, the last equal to the network's weights now.
    REQUIRE(data.weights.size() == 1);
    const auto& w = data.weights[0];
    CHECK(w.times_ms == std::vector<double>{0.0, 50.0, 100.0, 150.0, 200.0});
    const sim::ConnectionTable now = network.projections[0]->connections();
    REQUIRE(w.weights.size() == 5 * now.weight.size());
    CHECK(std::vector<float>(w.weights.end() - static_cast<std::ptrdiff_t>(now.weight.size()), w.weights.end()) == now.weight);
    CHECK(std::vector<float>(w.weights.begin(), w.weights.begin() + static_cast<std::ptrdiff_t>(now.weight.size())) != now.weight);
}

TEST_CASE("a full live queue drops frames but the recording behind the feed gets every spike", "[viewer][live]") {
    const io::RunSpec run = test::parse(network_toml);
    test::Outcome plain = test::simulate(run, 1);  // the same run with no feed at all

    sim::Network network = sim::build(run.network, test::catalogue().models, test::catalogue().rules, 1);
    test::MemoryRecorder recording;
    // A queue of one frame that nobody drains: all frames but the first are refused.
    viewer::LiveFeed feed(run, network, &recording, 0, 1, std::chrono::milliseconds(0));
    sim::Simulation simulation(network);
    simulation.run(2000, &feed);
    feed.finish(network, std::chrono::milliseconds(0));
    CHECK(feed.queue().dropped() > 10);
    CHECK(feed.queue().size() == 1);
    for (std::size_t p = 0; p < network.populations.size(); ++p) CHECK(recording.spikes[p] == plain.spikes[p]);
}

TEST_CASE("once the window has gone the feed stops building frames and still passes every step on", "[viewer][live]") {
    const io::RunSpec run = test::parse(network_toml);
    test::Outcome plain = test::simulate(run, 1);
    sim::Network network = sim::build(run.network, test::catalogue().models, test::catalogue().rules, 1);
    test::MemoryRecorder recording;
    viewer::LiveFeed feed(run, network, &recording, 0, 4, std::chrono::milliseconds(0));
    sim::Simulation simulation(network);
    simulation.run(1000, &feed);
    feed.queue().close();  // the window closed mid-run
    simulation.run(1000, &feed);
    feed.finish(network);
    for (std::size_t p = 0; p < network.populations.size(); ++p) CHECK(recording.spikes[p] == plain.spikes[p]);
}
