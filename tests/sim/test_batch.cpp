// Batch mode on the CPU (issue 8): copies share connectivity and differ in seeds; copy 0 is the
// unbatched run; sweeps give each copy its value; the recording keeps copies apart.
#include "io/batch_spec.hpp"
#include "io/hdf5_recording.hpp"
#include "io/recording_reader.hpp"
#include "support/scratch_dir.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

using myelin::test::catalogue;
using myelin::test::parse;
using myelin::test::simulate;

namespace {

// Recurrent, with every source of randomness a copy's seed reaches: random initial values,
// Poisson drive, a Poisson source through random delays.
const std::string recurrent = R"([simulation]
duration = 200.0
seed = 9
[[population]]
name = "exc"
size = 200
model = "IF_curr_exp"
params = { tau_m = 20.0, v_thresh = -50.0, tau_refrac = 2.0 }
init = { v = { uniform = [-65.0, -50.0] } }
[[population]]
name = "noise"
size = 50
model = "SpikeSourcePoisson"
params = { rate = 20.0 }
[[projection]]
pre = "exc"
post = "exc"
connect = { rule = "fixed_probability", p = 0.1 }
weight = { uniform = [0.0, 0.2] }
delay = 1.5
[[projection]]
pre = "noise"
post = "exc"
connect = { rule = "fixed_probability", p = 0.2 }
weight = 0.3
delay = { uniform = [0.5, 3.0] }
[[poisson_input]]
target = "exc"
rate = 3000.0
weight = 0.1
)";

// Neurons without input or randomness: each fires at the LIF interval of its i_offset.
const std::string regular = R"([simulation]
duration = 500.0
[[population]]
name = "exc"
size = 10
model = "IF_curr_exp"
params = { tau_m = 20.0, cm = 1.0, v_rest = -65.0, v_reset = -65.0, v_thresh = -50.0, tau_refrac = 2.0, i_offset = 1.0 }
)";

std::string write(const myelin::test::ScratchDir& dir, const std::string& text) {
    const std::string path = dir / "config.toml";
    std::ofstream(path) << text;
    return path;
}

std::vector<myelin::io::RunSpec> specs_of(const std::string& path, int batch, const std::string& sweep = "") {
    std::optional<myelin::io::Sweep> parsed;
    if (!sweep.empty()) parsed = myelin::io::parse_sweep(sweep);
    return myelin::io::batch_specs(path, {}, batch, parsed, catalogue().models, catalogue().rules);
}

}  // namespace

TEST_CASE("copy 0 of a batch is the unbatched run bit for bit while other copies differ but share the synapses", "[sim][batch][issue-8]") {
    const myelin::test::ScratchDir dir("batch_copy0");
    const auto specs = specs_of(write(dir, recurrent), 3);
    REQUIRE(specs.size() == 3);
    auto single = simulate(parse(recurrent), 2);
    auto copy0 = simulate(specs[0], 1);
    auto copy1 = simulate(specs[1], 2);
    REQUIRE(single.of("exc").size() > 100);
    CHECK(copy0.of("exc") == single.of("exc"));
    CHECK(copy0.of("noise") == single.of("noise"));
    CHECK(copy1.of("exc") != copy0.of("exc"));
    CHECK(copy1.of("noise") != copy0.of("noise"));
    for (std::size_t j = 0; j < copy0.network.projections.size(); ++j) {
        const auto a = copy0.network.projections[j]->connections(), b = copy1.network.projections[j]->connections();
        CHECK(a.pre == b.pre);
        CHECK(a.post == b.post);
        CHECK(a.weight == b.weight);
        CHECK(a.delay == b.delay);
    }
}

TEST_CASE("an i_offset sweep gives each copy its value: the single runs' spikes and the analytic LIF rate", "[sim][batch][issue-8]") {
    const myelin::test::ScratchDir dir("batch_sweep");
    const auto specs = specs_of(write(dir, regular), 0, "population.exc.params.i_offset=0.8:1.6:5");
    REQUIRE(specs.size() == 5);
    double previous = 0.0;
    for (std::size_t b = 0; b < specs.size(); ++b) {
        const double i_offset = 0.8 + 0.2 * static_cast<double>(b);
        CAPTURE(b, i_offset);
        auto copy = simulate(specs[b], 1);
        auto single = simulate(parse(regular, {"population.exc.params.i_offset=" + std::to_string(i_offset)}), 1);
        CHECK(copy.of("exc") == single.of("exc"));
        const double rate = myelin::test::mean_rate_hz(copy.of("exc"), 10, copy.seconds_simulated);
        // R*I = 20 mV * i_offset against a 15 mV gap: ISI = t_ref + tau_m ln(RI / (RI - 15)),
        // each spike falling on the 0.1 ms grid (at most one step late per interval).
        const double r_i = 20.0 * i_offset, isi = 2.0 + 20.0 * std::log(r_i / (r_i - 15.0));
        CHECK(rate <= 1000.0 / isi + 1.0);
        CHECK(rate >= 1000.0 / (isi + 0.1) - 3.0);  // the first interval and the run's end cost up to 2 spikes/neuron
        CHECK(rate > previous);
        previous = rate;
    }
}

TEST_CASE("a sweep is parsed whole and its errors name the option and the rule", "[io][batch][issue-8]") {
    using Catch::Contains;
    const auto sweep = myelin::io::parse_sweep("population.exc.params.i_offset=0.1:0.5:5");
    CHECK(sweep.key == "population.exc.params.i_offset");
    REQUIRE(sweep.values.size() == 5);
    CHECK(sweep.values.front() == 0.1);
    CHECK(sweep.values[2] == Approx(0.3));
    CHECK(sweep.values.back() == 0.5);
    SECTION("missing '='") {
        REQUIRE_THROWS_WITH(myelin::io::parse_sweep("population.exc.params.i_offset"), Contains("--sweep") && Contains("KEY=FROM:TO:COUNT"));
    }
    SECTION("not a number") {
        REQUIRE_THROWS_WITH(myelin::io::parse_sweep("population.exc.params.i_offset=a:0.5:5"), Contains("\"a\" is not a number"));
    }
    SECTION("count of zero") {
        REQUIRE_THROWS_WITH(myelin::io::parse_sweep("population.exc.params.i_offset=0.1:0.5:0"), Contains("COUNT = 0"));
    }
    SECTION("not a neuron parameter") {
        REQUIRE_THROWS_WITH(myelin::io::parse_sweep("projection.ee.weight=0.1:0.5:4"), Contains("only neuron parameters"));
    }
    SECTION("an unknown parameter is the config reader's error, with a suggestion") {
        const myelin::test::ScratchDir dir("batch_bad_key");
        REQUIRE_THROWS_WITH(specs_of(write(dir, regular), 0, "population.exc.params.i_ofset=0.1:0.5:2"), Contains("i_ofset") && Contains("i_offset"));
    }
    SECTION("a batch size that disagrees with the sweep") {
        const myelin::test::ScratchDir dir("batch_mismatch");
        REQUIRE_THROWS_WITH(specs_of(write(dir, regular), 3, "population.exc.params.i_offset=0.1:0.5:4"),
                            Contains("--sweep gives 4 copies but the batch size is 3"));
    }
}

TEST_CASE("a batched recording keeps each copy's spikes apart and an unbatched one is unchanged", "[io][batch][issue-8]") {
    const myelin::test::ScratchDir dir("batch_recording");
    const auto specs = specs_of(write(dir, recurrent + "[[record]]\npopulation = \"exc\"\n"), 2);
    const std::string path = dir / "batch.h5";
    std::vector<myelin::test::Outcome> expected;
    {
        std::vector<myelin::sim::Network> networks;
        for (const auto& spec : specs) networks.push_back(myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1));
        myelin::io::Hdf5Recording recording(path, specs[0], networks[0]);
        const auto steps = static_cast<std::int64_t>(std::llround(specs[0].duration / specs[0].network.dt));
        for (std::size_t b = 0; b < specs.size(); ++b) {
            recording.set_copy(static_cast<std::uint32_t>(b));
            myelin::sim::Simulation simulation(networks[b]);
            simulation.run(steps, &recording);
            expected.push_back(simulate(specs[b], 1));
        }
        recording.finish(networks[0], {steps, 0.0, 0.0, 1, false});
    }
    const myelin::io::RecordingReader reader(path);
    CHECK(reader.batch() == 2);
    for (std::uint32_t b = 0; b < 2; ++b) {
        const auto spikes = reader.spikes("exc", b);
        const auto& want = expected[b].of("exc");
        REQUIRE(spikes.neuron.size() == want.size());
        for (std::size_t k = 0; k < want.size(); ++k) {
            CHECK(spikes.neuron[k] == want[k].neuron);
            CHECK(spikes.step[k] == want[k].step);
        }
    }
    CHECK_THROWS_WITH(reader.spikes("exc", 2), Catch::Contains("no copy 2"));

    const std::string single_path = dir / "single.h5";
    {
        const auto spec = parse(recurrent + "[[record]]\npopulation = \"exc\"\n");
        auto network = myelin::sim::build(spec.network, catalogue().models, catalogue().rules, 1);
        myelin::io::Hdf5Recording recording(single_path, spec, network);
        myelin::sim::Simulation simulation(network);
        simulation.run(100, &recording);
        recording.finish(network, {100, 0.0, 0.0, 1, false});
    }
    H5::H5File file(single_path, H5F_ACC_RDONLY);
    CHECK_FALSE(file.nameExists("/populations/exc/spikes/copy"));
    CHECK_FALSE(file.openGroup("/meta").attrExists("batch"));
    CHECK(myelin::io::RecordingReader(single_path).batch() == 1);
}
