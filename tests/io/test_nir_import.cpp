// NIR import: Myelin's own export comes back spike for spike; files written as other tools write
// them (tests/fixtures/make_nir_fixtures.py) import with the conversions docs/export.md derives,
// checked against closed forms; and what cannot be mapped, or is ambiguous, is refused by name.
#include "io/nir_export.hpp"
#include "io/nir_test_support.hpp"
#include "sim/error.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using myelin::io::NirImportOptions;
using myelin::io::NirTimeUnit;
using myelin::test::catalogue;
using myelin::test::fixture;
using myelin::test::import_and_load;
using myelin::test::ScratchDir;

namespace {

NirImportOptions with(std::optional<NirTimeUnit> unit, std::optional<double> dt) {
    NirImportOptions options;
    options.time_unit = unit;
    options.dt = dt;
    return options;
}

const myelin::sim::PopulationSpec& population(const myelin::io::RunSpec& run, const std::string& name) {
    for (const auto& p : run.network.populations)
        if (p.name == name) return p;
    FAIL("no population " << name);
    throw;
}

}  // namespace

TEST_CASE("export, import and simulate gives the original spikes, on 1 and 2 threads", "[io][nir]") {
    const auto unit = GENERATE(NirTimeUnit::ms, NirTimeUnit::s);
    CAPTURE(myelin::io::to_string(unit));
    const ScratchDir dir("roundtrip");
    const auto original = myelin::test::parse(myelin::test::nir_network_toml);
    const auto network = myelin::sim::build(original.network, catalogue().models, catalogue().rules, 1);
    myelin::io::NirExportOptions options;
    options.time_unit = unit;
    myelin::io::write_nir(myelin::io::to_nir(original, network, catalogue().models, options).graph, dir / "net.nir");
    const auto imported = import_and_load(dir / "net.nir", dir, {});  // unit and dt from the file's metadata
    CHECK(imported.network.dt == Approx(0.1).epsilon(1e-12));
    CHECK(imported.duration == Approx(300.0).epsilon(1e-12));
    auto expected = myelin::test::simulate(original, 1);
    for (const int threads : {1, 2}) {
        auto got = myelin::test::simulate(imported, threads);
        for (const std::string name : {"a", "b", "d"}) {
            CAPTURE(threads, name);
            REQUIRE(expected.of(name).size() > 10);  // the network is active, so the comparison means something
            CHECK(got.of(name) == expected.of(name));
        }
    }
}

TEST_CASE("a LIF from a file in seconds fires when two inputs sum above threshold, at the analytic time", "[io][nir]") {
    // lif_seconds.nir: tau = 0.01 s, r = 1, W = 0.006: each input spike jumps v by r W / tau = 0.6.
    // Spikes at 5 and 6 ms arrive one step (0.1 ms) later; v(6.1 ms) = 0.6 exp(-1/10) + 0.6 = 1.14 > 1.
    const ScratchDir dir("seconds");
    auto run = import_and_load(fixture("lif_seconds.nir"), dir, with(NirTimeUnit::s, 0.1));
    const auto& lif = population(run, "lif");
    CHECK(lif.params.at("tau_m") == Approx(10.0));
    CHECK(run.network.projections.at(0).connect.list.at(0).weight == Approx(0.6).epsilon(1e-6));
    run.duration = 30.0;
    auto& input = run.network.populations.at(0);
    REQUIRE(input.name == "input");
    SECTION("one millisecond apart: one spike, stamped at 6.1 ms") {
        input.spike_times = {{5.0}, {6.0}};
        auto out = myelin::test::simulate(run, 1);
        REQUIRE(out.of("lif").size() == 1);
        CHECK(out.of("lif")[0].step == 60);  // stamped (step + 1) dt = 6.1 ms
    }
    SECTION("fifteen milliseconds apart: 0.6 exp(-1.5) + 0.6 = 0.73 stays below threshold") {
        input.spike_times = {{5.0}, {20.0}};
        CHECK(myelin::test::simulate(run, 1).of("lif").empty());
    }
    SECTION("the same file read as milliseconds is another network: tau = 0.01 ms forgets the first input") {
        auto as_ms = import_and_load(fixture("lif_seconds.nir"), dir, with(NirTimeUnit::ms, 0.1));
        as_ms.duration = 30.0;
        as_ms.network.populations.at(0).spike_times = {{5.0}, {6.0}};
        CHECK(myelin::test::simulate(as_ms, 1).of("lif").empty());
    }
}

TEST_CASE("an older CubaLIF file imports with weights w_in W / tau_syn, v_reset 0 and its Delay node's delay", "[io][nir]") {
    const ScratchDir dir("cuba");
    const auto run = import_and_load(fixture("cuba_v01.nir"), dir, with(NirTimeUnit::ms, 0.1));
    const auto& neurons = population(run, "neurons");
    CHECK(neurons.model == "IF_curr_exp");
    CHECK(neurons.params.at("cm") == Approx(20.0 / 40.0));  // tau_mem / r
    CHECK(neurons.params.at("tau_syn_E") == 5.0);
    CHECK(neurons.params.at("tau_syn_I") == 5.0);
    CHECK(neurons.params.at("v_reset") == 0.0);  // NIR 0.1 files have none; the reference reads 0
    CHECK(neurons.params.at("tau_refrac") == 0.0);
    REQUIRE(run.network.projections.size() == 2);
    const auto& exc = run.network.projections[0];
    const auto& inh = run.network.projections[1];
    CHECK(exc.receptor == myelin::sim::Receptor::excitatory);
    CHECK(inh.receptor == myelin::sim::Receptor::inhibitory);
    REQUIRE(exc.connect.list.size() == 2);
    CHECK(exc.connect.list[0].weight == Approx(0.5 * 2.0 / 5.0));
    CHECK(exc.connect.list[1].weight == Approx(1.0 * 2.0 / 5.0));
    REQUIRE(inh.connect.list.size() == 1);
    CHECK(inh.connect.list[0].pre == 2);
    CHECK(inh.connect.list[0].weight == Approx(-0.25 * 2.0 / 5.0));
    CHECK(inh.connect.list[0].delay == 2.0);
}

TEST_CASE("a recurrent graph with a Delay loop and an LI readout imports as populations and projections", "[io][nir]") {
    const ScratchDir dir("recurrent");
    const auto run = import_and_load(fixture("recurrent.nir"), dir, with(NirTimeUnit::ms, 0.1));
    CHECK(population(run, "lif").model == "IF_curr_delta");
    CHECK(population(run, "readout").params.at("v_thresh") >= 1e30);  // non-spiking
    std::size_t recurrent = 0;
    for (const auto& p : run.network.projections)
        if (p.pre == "lif" && p.post == "lif")
            for (const auto& c : p.connect.list) {
                CHECK(c.delay == 1.5);
                ++recurrent;
            }
    CHECK(recurrent == 4);
}

TEST_CASE("import refuses a file whose time unit or step it cannot know, never guessing", "[io][nir]") {
    const ScratchDir dir("units");
    SECTION("no time unit in the file and none given") {
        REQUIRE_THROWS_WITH(import_and_load(fixture("lif_seconds.nir"), dir, with(std::nullopt, 0.1)),
                            Catch::Contains("does not say its time unit") && Catch::Contains("--time-unit s or --time-unit ms"));
    }
    SECTION("no time step in the file and none given") {
        REQUIRE_THROWS_WITH(import_and_load(fixture("lif_seconds.nir"), dir, with(NirTimeUnit::s, std::nullopt)),
                            Catch::Contains("pass --dt"));
    }
    SECTION("--time-unit contradicting the file's metadata") {
        const auto original = myelin::test::parse(myelin::test::nir_network_toml);
        const auto network = myelin::sim::build(original.network, catalogue().models, catalogue().rules, 1);
        myelin::io::write_nir(myelin::io::to_nir(original, network, catalogue().models, {}).graph, dir / "net.nir");
        REQUIRE_THROWS_WITH(import_and_load(dir / "net.nir", dir, with(NirTimeUnit::s, std::nullopt)),
                            Catch::Contains("--time-unit s contradicts the file's metadata"));
    }
    CHECK(!std::filesystem::exists(dir / "cfg.toml"));
}

TEST_CASE("import refuses NIR nodes Myelin cannot map, naming node and reason", "[io][nir]") {
    const ScratchDir dir("refuse");
    const auto options = with(NirTimeUnit::ms, 0.1);
    SECTION("a convolution") {
        REQUIRE_THROWS_WITH(import_and_load(fixture("conv.nir"), dir, options), Catch::Contains("NIR node \"conv\" has type Conv2d"));
    }
    SECTION("a per-neuron time constant") {
        REQUIRE_THROWS_WITH(import_and_load(fixture("mixed_tau.nir"), dir, options),
                            Catch::Contains("NIR node \"lif\" (LIF): tau differs between neurons"));
    }
    SECTION("an Affine bias") {
        REQUIRE_THROWS_WITH(import_and_load(fixture("bias.nir"), dir, options),
                            Catch::Contains("NIR node \"fc\" (Affine) has a non-zero bias"));
    }
    CHECK(dir.file_count() == 0);
}

TEST_CASE("an import that cannot write all its files leaves none of them", "[io][nir]") {
    const ScratchDir dir("partial");
    SECTION("a missing directory") {
        REQUIRE_THROWS_AS(myelin::io::import_nir(fixture("cuba_v01.nir"), dir / "absent/cfg.toml", with(NirTimeUnit::ms, 0.1)), myelin::IoError);
        CHECK(dir.file_count() == 0);
    }
    SECTION("a side file blocked after the config was placed") {
        std::filesystem::create_directory(dir / "cfg.in.spikes.txt");  // a directory where a file must go
        REQUIRE_THROWS_AS(myelin::io::import_nir(fixture("cuba_v01.nir"), dir / "cfg.toml", with(NirTimeUnit::ms, 0.1)), myelin::IoError);
        CHECK(dir.file_count() == 1);  // only the blocking directory
    }
}
