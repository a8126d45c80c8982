// NIR export: each Myelin population and projection maps to the NIR nodes and parameters that
// docs/export.md derives, and what NIR cannot express is refused by name.
#include "io/nir_export.hpp"
#include "io/nir_test_support.hpp"
#include "sim/error.hpp"

#include <catch2/catch.hpp>

using myelin::io::NirArray;
using myelin::io::NirExportOptions;
using myelin::io::NirTimeUnit;
using myelin::test::catalogue;
using myelin::test::parse;

namespace {

myelin::io::NirExport export_of(const myelin::io::RunSpec& run, NirExportOptions options = {}) {
    const auto network = myelin::sim::build(run.network, catalogue().models, catalogue().rules, 1);
    return myelin::io::to_nir(run, network, catalogue().models, options);
}

double only(const NirArray& array) {
    REQUIRE(!array.values.empty());
    for (const double v : array.values) REQUIRE(v == array.values.front());
    return array.values.front();
}

}  // namespace

TEST_CASE("IF_curr_exp exports as a CubaLIF with r = tau_m/cm, w_in = tau_syn, i_offset folded into v_leak", "[io][nir]") {
    const auto exported = export_of(parse(myelin::test::nir_network_toml));
    const auto* a = exported.graph.find("a");
    REQUIRE(a);
    CHECK(a->type == "CubaLIF");
    CHECK(a->array("tau_mem").size() == 30);
    CHECK(only(a->array("tau_mem")) == 15.0);
    CHECK(only(a->array("tau_syn")) == 4.0);
    CHECK(only(a->array("w_in")) == 4.0);                          // jump w_in W / tau_syn = W nA
    CHECK(only(a->array("r")) == Approx(15.0 / 0.25));              // 60 MOhm
    CHECK(only(a->array("v_leak")) == Approx(-60.0 + 60.0 * 0.4));  // steady state with i_offset: -36 mV
    CHECK(only(a->array("v_threshold")) == -52.0);
    CHECK(only(a->array("v_reset")) == -65.0);
    CHECK(a->metadata.at("tau_refrac").array.values.front() == 2.0);
    CHECK(exported.graph.metadata.at("time_unit").text == "ms");
    CHECK(exported.graph.metadata.at("dt").array.values.front() == 0.1);
}

TEST_CASE("two synaptic time constants export as two LI currents feeding a LIF, inhibition into the second", "[io][nir]") {
    const auto exported = export_of(parse(myelin::test::nir_network_toml));
    const auto& graph = exported.graph;
    REQUIRE(graph.find("b")->type == "LIF");
    CHECK(only(graph.find("b.syn_E")->array("tau")) == 3.0);
    CHECK(only(graph.find("b.syn_I")->array("tau")) == 8.0);
    CHECK(only(graph.find("b.syn_I")->array("r")) == 8.0);  // r = tau: the current jumps by W
    using Edge = std::pair<std::string, std::string>;
    const auto has = [&](const Edge& e) { return std::find(graph.edges.begin(), graph.edges.end(), e) != graph.edges.end(); };
    CHECK(has(Edge{"b.syn_E", "b"}));
    CHECK(has(Edge{"b.syn_I", "b"}));
    CHECK(has(Edge{"a_b.delay", "b.syn_E"}));
    CHECK(has(Edge{"d_b.delay", "b.syn_I"}));
    // A delta-synapse LIF: r = tau makes the voltage jump r W / tau = W mV.
    CHECK(graph.find("d")->type == "LIF");
    CHECK(only(graph.find("d")->array("r")) == only(graph.find("d")->array("tau")));
}

TEST_CASE("a projection exports as its built connection table in a dense Linear matrix and a Delay", "[io][nir]") {
    const auto run = parse(myelin::test::nir_network_toml);
    const auto network = myelin::sim::build(run.network, catalogue().models, catalogue().rules, 1);
    const auto exported = myelin::io::to_nir(run, network, catalogue().models, {});
    const auto table = network.projections[1]->connections();  // in_a: 4 -> 30, delay 1 ms
    const auto& weight = exported.graph.find("in_a")->array("weight");
    REQUIRE(weight.shape == std::vector<std::size_t>{30, 4});
    std::vector<double> expected(120, 0.0);
    for (std::size_t s = 0; s < table.pre.size(); ++s) expected[table.post[s] * 4 + table.pre[s]] += table.weight[s];
    CHECK(weight.values == expected);
    CHECK(only(exported.graph.find("in_a.delay")->array("delay")) == Approx(1.0));
    // a_a has delays spread over [0.5, 2] ms: one Linear+Delay pair per delay, together all synapses.
    std::size_t synapses = 0;
    for (const auto& node : exported.graph.nodes)
        if (node.type == "Linear" && node.name.rfind("a_a.d", 0) == 0)
            for (const double w : node.array("weight").values) synapses += w != 0.0;
    CHECK(synapses == network.projections[2]->size());
}

TEST_CASE("times in seconds scale every time constant and delay but no weight", "[io][nir]") {
    NirExportOptions options;
    options.time_unit = NirTimeUnit::s;
    const auto exported = export_of(parse(myelin::test::nir_network_toml), options);
    CHECK(only(exported.graph.find("a")->array("tau_mem")) == Approx(0.015));
    CHECK(only(exported.graph.find("a")->array("w_in")) == Approx(0.004));
    CHECK(only(exported.graph.find("in_a.delay")->array("delay")) == Approx(0.001));
    CHECK(exported.graph.metadata.at("time_unit").text == "s");
    CHECK(exported.graph.metadata.at("dt").array.values.front() == Approx(1e-4));
}

TEST_CASE("NIR export refuses what NIR cannot express, naming it", "[io][nir]") {
    const std::string base = "[simulation]\nduration = 10.0\n[[population]]\nname = \"p\"\nsize = 4\n";
    SECTION("a conductance-based model") {
        REQUIRE_THROWS_WITH(export_of(parse(base + "model = \"IF_cond_exp\"\n")),
                            Catch::Contains("population \"p\": model IF_cond_exp has no NIR equivalent"));
    }
    SECTION("Poisson drive into every neuron") {
        REQUIRE_THROWS_WITH(export_of(parse(base + "model = \"IF_curr_exp\"\n[[poisson_input]]\ntarget = \"p\"\nrate = 10.0\nweight = 0.1\n")),
                            Catch::Contains("[[poisson_input]] into \"p\": NIR has no random drive"));
    }
    SECTION("unreliable synapses") {
        REQUIRE_THROWS_WITH(export_of(parse(base + "model = \"IF_curr_exp\"\n[[projection]]\nname = \"pp\"\npre = \"p\"\npost = \"p\"\n"
                                                   "connect = { rule = \"all_to_all\" }\nweight = 0.1\nrelease_probability = 0.5\n")),
                            Catch::Contains("projection \"pp\": NIR has no unreliable synapses"));
    }
    SECTION("a weight matrix above the dense limit") {
        NirExportOptions options;
        options.max_dense_entries = 15;
        REQUIRE_THROWS_WITH(export_of(parse(base + "model = \"IF_curr_exp\"\n[[projection]]\nname = \"pp\"\npre = \"p\"\npost = \"p\"\n"
                                                   "connect = { rule = \"all_to_all\" }\nweight = 0.1\n"),
                                      options),
                            Catch::Contains("projection \"pp\": its NIR weight matrix would have 4 x 4 = 16 entries, above the limit of 15"));
    }
}
