// An HDF5 recording read back equals what was simulated: spikes, sampled state, weights, meta.
#include "io/hdf5_recording.hpp"
#include "io/hdf5_util.hpp"
#include "io/recording_reader.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

using myelin::test::parse;

namespace {

// Feeds both the HDF5 recording and an in-memory copy, and keeps the last sampled v.
class Tee final : public myelin::sim::Recorder {
public:
    Tee(myelin::sim::Recorder& a, myelin::sim::Recorder& b) : a_(a), b_(b) {}
    void begin(const myelin::sim::Network& n, std::int64_t s) override {
        a_.begin(n, s);
        b_.begin(n, s);
    }
    void after_step(const myelin::sim::Network& n, std::int64_t s, std::span<const myelin::sim::SpikeLists> x) override {
        a_.after_step(n, s, x);
        b_.after_step(n, s, x);
        if ((s + 1) % 10 == 0) {  // every 1 ms, as recorded
            const auto v = n.populations[0]->state()[0].values;
            sampled_v.push_back(v[3]);
        }
    }
    std::vector<double> sampled_v;

private:
    myelin::sim::Recorder &a_, &b_;
};

}  // namespace

TEST_CASE("a recording read back equals what was simulated", "[io][recording]") {
    const std::string toml = R"(
[simulation]
duration = 200.0
seed = 9
[[population]]
name = "exc"
size = 200
model = "IF_curr_exp"
params = { i_offset = 0.9, tau_refrac = 2.0 }
init = { v = { uniform = [-65.0, -50.0] } }
[[population]]
name = "src"
size = 30
model = "SpikeSourcePoisson"
params = { rate = 30.0 }
[[projection]]
name = "plastic"
pre = "src"
post = "exc"
connect = { rule = "fixed_probability", p = 0.3 }
weight = 0.2
plasticity = { rule = "stdp", w_max = 0.5 }
[[record]]
population = "exc"
spikes = true
state = ["v"]
neurons = [3, 7]
interval = 1.0
[[record]]
population = "src"
[[record]]
projection = "plastic"
interval = 50.0
)";
    const auto run = parse(toml);
    auto network = myelin::sim::build(run.network, myelin::test::catalogue().models, myelin::test::catalogue().rules, 2);
    const std::string path = (std::filesystem::temp_directory_path() / "myelin_test_recording.h5").string();
    myelin::test::MemoryRecorder memory;
    {
        myelin::io::Hdf5Recording recording(path, run, network);
        Tee tee(recording, memory);
        myelin::sim::Simulation simulation(network);
        const auto result = simulation.run(2000, &tee);
        recording.finish(network, {result.steps, 0.1, result.wall_seconds, 2, false});

        const myelin::io::RecordingReader reader(path);
        CHECK(reader.dt() == 0.1);
        CHECK(reader.steps() == 2000);
        CHECK(reader.seed() == 9);
        CHECK(!reader.interrupted());
        CHECK(reader.meta_string("config") == toml);
        CHECK(reader.populations() == std::vector<std::string>{"exc", "src"});
        CHECK(reader.population_size("exc") == 200);
        for (const std::string population : {"exc", "src"}) {
            const auto p = network.population_index(population);
            const auto spikes = reader.spikes(population);
            REQUIRE(spikes.neuron.size() == memory.spikes[p].size());
            REQUIRE(!spikes.neuron.empty());
            for (std::size_t k = 0; k < spikes.neuron.size(); ++k) {
                CHECK(spikes.neuron[k] == memory.spikes[p][k].neuron);
                CHECK(spikes.step[k] == memory.spikes[p][k].step);
            }
        }
        const auto v = reader.state("exc", "v");
        CHECK(v.neurons == std::vector<std::uint32_t>{3, 7});
        REQUIRE(v.times_ms.size() == 201);  // t = 0, 1, ..., 200 ms
        CHECK(v.times_ms.front() == 0.0);
        CHECK(v.times_ms.back() == Approx(200.0));
        for (std::size_t k = 1; k < v.times_ms.size(); ++k) CHECK(v.values[2 * k] == tee.sampled_v[k - 1]);
        const auto w = reader.weights("plastic");
        const auto table = network.projections[0]->connections();
        CHECK(w.times_ms == std::vector<double>{0.0, 50.0, 100.0, 150.0, 200.0});
        REQUIRE(w.weights.size() == 5 * table.weight.size());
        CHECK(w.pre == table.pre);
        CHECK(std::equal(table.weight.begin(), table.weight.end(), w.weights.end() - static_cast<long>(table.weight.size())));
        CHECK(std::all_of(w.weights.begin(), w.weights.begin() + static_cast<long>(table.weight.size()), [](float x) { return x == 0.2f; }));
    }
    std::filesystem::remove(path);
}

TEST_CASE("an unfinished recording leaves no file behind", "[io][recording]") {
    const auto run = parse("[[population]]\nname = \"a\"\nsize = 3\nmodel = \"IF_curr_exp\"\n[[record]]\npopulation = \"a\"\n");
    auto network = myelin::sim::build(run.network, myelin::test::catalogue().models, myelin::test::catalogue().rules, 1);
    const auto directory = std::filesystem::temp_directory_path() / "myelin_unfinished";
    std::filesystem::remove_all(directory);
    {
        myelin::io::Hdf5Recording recording((directory / "run.h5").string(), run, network);
        myelin::sim::Simulation(network).run(10, &recording);
    }  // destroyed without finish(), as when a run throws
    CHECK(std::filesystem::is_empty(directory));
    std::filesystem::remove_all(directory);
}

TEST_CASE("a file that is not a Myelin recording is refused clearly", "[io][recording]") {
    const auto path = std::filesystem::temp_directory_path() / "not_a_recording.h5";
    { std::ofstream(path) << "hello"; }
    REQUIRE_THROWS_WITH(myelin::io::RecordingReader(path.string()), Catch::Contains("cannot open as an HDF5 file"));
    std::filesystem::remove(path);
}

TEST_CASE("a checkpoint given where a recording is expected is refused with what to do", "[io][recording]") {
    const auto path = std::filesystem::temp_directory_path() / ("checkpoint_not_recording_" + std::to_string(::getpid()) + ".h5");
    {
        H5::H5File file(path.string(), H5F_ACC_TRUNC);
        H5::Group root = file.openGroup("/");
        myelin::io::h5::set_attribute(root, "format", std::string("myelin-checkpoint"));
    }
    REQUIRE_THROWS_WITH(myelin::io::RecordingReader(path.string()),
                        Catch::Contains("not a Myelin recording but a checkpoint") && Catch::Contains("myelin run"));
    std::filesystem::remove(path);
}
