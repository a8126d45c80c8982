// The SpiNNaker export (io/pynn_plan, io/export_pynn): each mapping checked against the built
// network it came from, the split of mixed-sign projections, each refusal and error path.
#include "io/export_pynn.hpp"
#include "learning/register_rules.hpp"
#include "learning/stdp.hpp"
#include "models/lif_curr_exp.hpp"
#include "models/register_models.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace myelin;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

const std::string small = R"([simulation]
dt = 0.1
duration = 100.0
seed = 3
[[population]]
name = "exc"
size = 40
model = "IF_curr_exp"
params = { cm = 0.2, v_rest = -49.0, tau_syn_I = 10.0 }
init = { v = { uniform = [-60.0, -50.0] } }
[[population]]
name = "inh"
size = 10
model = "IF_cond_exp"
[[population]]
name = "in"
size = 5
model = "SpikeSourceArray"
params = { spike_times = [[1.0, 1.02, 5.0], [2.0], [], [3.0], [4.0]] }
[[projection]]
name = "ee"
pre = "exc"
post = "exc"
connect = { rule = "fixed_probability", p = 0.2 }
weight = 0.0162
delay = 1.5
[[projection]]
name = "ie"
pre = "inh"
post = "exc"
receptor = "inhibitory"
connect = { rule = "fixed_probability", p = 0.3 }
weight = { uniform = [-0.1, -0.05] }
[[projection]]
name = "ei"
pre = "exc"
post = "inh"
receptor = "inhibitory"
connect = { rule = "all_to_all" }
weight = 0.004
[[projection]]
name = "input"
pre = "in"
post = "exc"
connect = { rule = "all_to_all" }
weight = 0.1
delay = 0.3
plasticity = { rule = "stdp", weight_dependence = "additive", A_plus = 0.002, A_minus = 0.003, w_max = 0.2 }
[[record]]
population = "exc"
state = ["v"]
neurons = [0, 3]
)";

struct Exported {
    io::RunSpec run;
    sim::Network network;
    io::PynnPlan plan;
};

Exported export_of(io::RunSpec run, const io::PynnExportOptions& options = {},
                   const sim::ModelRegistry& models = test::catalogue().models,
                   const sim::PlasticityRegistry& rules = test::catalogue().rules) {
    sim::Network network = sim::build(run.network, models, rules, 2);
    io::PynnPlan plan = io::plan_pynn_export(run, network, models, rules, options);
    return {std::move(run), std::move(network), std::move(plan)};
}

const io::PynnProjection& projection(const io::PynnPlan& plan, const std::string& name) {
    for (const auto& p : plan.projections)
        if (p.name == name) return p;
    FAIL("no projection " << name);
    throw;
}

const io::PynnPopulation& population(const io::PynnPlan& plan, const std::string& name) {
    for (const auto& p : plan.populations)
        if (p.name == name) return p;
    FAIL("no population " << name);
    throw;
}

std::string report_text(const io::PynnPlan& plan) {
    std::string s;
    for (const auto& line : plan.report) s += line + "\n";
    return s;
}

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A model and a rule the exporter has never heard of (local classes cannot hold static members).
struct UltraLifForTest : models::LifCurrExp {
    static constexpr std::string_view name = "UltraLIF_test";
};
struct NearestForTest : learning::StdpAdditive {
    static constexpr std::string_view weight_dependence = "nearest_test";
};

// A fresh folder under the build tree for one test.
fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("myelin_export_test_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("populations map by name with the config's parameters and the built initial values", "[io][export]") {
    const auto e = export_of(test::parse(small));
    const auto& exc = population(e.plan, "exc");
    CHECK(exc.cell_type == "IF_curr_exp");
    CHECK(exc.size == 40);
    const auto param = [&](const char* key) {
        for (const auto& [k, v] : exc.params)
            if (k == key) return v;
        FAIL("no parameter " << key);
        return 0.0;
    };
    CHECK(param("cm") == 0.2);
    CHECK(param("v_rest") == -49.0);
    CHECK(param("tau_syn_I") == 10.0);
    CHECK(param("tau_m") == 20.0);  // the model's default, PyNN's too
    REQUIRE(exc.initial.size() == 1);  // synaptic currents start at zero: not exported
    CHECK(exc.initial[0].first == "v");
    const auto built = e.network.populations[0]->state();
    CHECK(exc.initial[0].second == built[0].values.to_vector());
    CHECK(exc.record_v == std::vector<std::uint32_t>{0, 3});
    CHECK(population(e.plan, "inh").cell_type == "IF_cond_exp");
}

TEST_CASE("connections are the built network's, with inhibitory currents as positive weights on the inhibitory receptor",
          "[io][export]") {
    const auto e = export_of(test::parse(small));
    const auto table = e.network.projections[1]->connections();  // "ie"
    const auto& ie = projection(e.plan, "ie");
    CHECK(ie.receptor == "inhibitory");
    CHECK(ie.negative_on_brian2);  // current-based: pyNN.brian2 needs the sign back
    REQUIRE(ie.connections.size() == table.pre.size());
    for (std::size_t s = 0; s < table.pre.size(); ++s) {
        CHECK(ie.connections[s].pre == table.pre[s]);
        CHECK(ie.connections[s].post == table.post[s]);
        CHECK(ie.connections[s].weight == -static_cast<double>(table.weight[s]));
        CHECK(ie.connections[s].delay == Approx(0.1).epsilon(1e-12));  // the default delay, dt
    }
    // Conductances keep the config's receptor and stay positive on both backends.
    const auto& ei = projection(e.plan, "ei");
    CHECK(ei.receptor == "inhibitory");
    CHECK_FALSE(ei.negative_on_brian2);
    CHECK(ei.connections.size() == 40 * 10);
    CHECK(projection(e.plan, "ee").connections.front().delay == Approx(1.5).epsilon(1e-12));
}

TEST_CASE("additive STDP amplitudes become PyNN's fractions of w_max, multiplicative ones stay", "[io][export]") {
    const auto e = export_of(test::parse(small));
    const auto& input = projection(e.plan, "input");
    REQUIRE(input.stdp);
    CHECK(input.stdp->weight_dependence == "Additive");
    CHECK(input.stdp->A_plus == Approx(0.002 / 0.2));
    CHECK(input.stdp->A_minus == Approx(0.003 / 0.2));
    CHECK(input.stdp->w_max == 0.2);
    CHECK(input.stdp->tau_plus == 20.0);  // Myelin's default
    CHECK(input.connections.front().delay == Approx(0.3).epsilon(1e-12));

    auto run = test::parse(small, {"projection.input.plasticity.weight_dependence=multiplicative"});
    const auto m = export_of(std::move(run));
    CHECK(projection(m.plan, "input").stdp->weight_dependence == "Multiplicative");
    CHECK(projection(m.plan, "input").stdp->A_plus == 0.002);
    CHECK(report_text(m.plan).find("applies the additive rule") != std::string::npos);  // pyNN.brian2's gap
}

TEST_CASE("spike arrays keep one spike per tick and the report counts the dropped ones", "[io][export]") {
    const auto e = export_of(test::parse(small));
    const auto& in = population(e.plan, "in");
    REQUIRE(in.spike_times.size() == 5);
    CHECK(in.spike_times[0] == std::vector<double>{1.0, 5.0});  // 1.02 ms falls into the 1.0 ms tick
    CHECK(in.spike_times[2].empty());
    CHECK_THAT(report_text(e.plan), Contains("1 spike(s) shared a 0.1 ms tick"));
}

TEST_CASE("a projection with weights of both signs is split into an excitatory and an inhibitory part", "[io][export]") {
    // Myelin's configs keep one sign per projection, but a network built another way (a
    // checkpoint, a trained network) may not: build one past the config's validation.
    auto run = test::parse(small);
    run.network.projections[0].weight = sim::ValueSpec{sim::ValueSpec::Kind::uniform, -0.05, 0.05, {}, {}};
    const auto e = export_of(std::move(run));
    const auto table = e.network.projections[0]->connections();
    std::size_t positive = 0, negative = 0;
    for (const float w : table.weight) (w < 0 ? negative : positive) += 1;
    REQUIRE(positive > 0);
    REQUIRE(negative > 0);
    const auto& exc_part = projection(e.plan, "ee_exc");
    const auto& inh_part = projection(e.plan, "ee_inh");
    CHECK(exc_part.receptor == "excitatory");
    CHECK(inh_part.receptor == "inhibitory");
    CHECK(exc_part.connections.size() == positive);
    CHECK(inh_part.connections.size() == negative);
    CHECK(inh_part.negative_on_brian2);
    for (const auto& c : inh_part.connections) CHECK(c.weight > 0.0);
    const std::string report = report_text(e.plan);
    CHECK_THAT(report, Contains("split into \"ee_exc\""));
    // The negative half lands on the inhibitory receptor, whose tau_syn_I (10 ms) differs.
    CHECK_THAT(report, Contains("have the sign of the other receptor"));
}

TEST_CASE("the report gives the largest relative weight error of SpiNNaker's fixed point", "[io][export]") {
    const auto e = export_of(test::parse(small));
    // Onto "exc", excitatory: 0.0162 (ee) and input weights up to w_max = 0.2, so shift 0 at best.
    double expected = 0.0;
    for (const auto& p : e.plan.projections)
        for (const auto& c : p.connections) {
            // Independent of spinnaker_limits: the nearest multiple of 2^-15.
            const double q = std::nearbyint(c.weight * 32768.0) / 32768.0;
            expected = std::max(expected, std::abs(q - c.weight) / c.weight);
        }
    CHECK(e.plan.largest_weight_error == Approx(expected).epsilon(1e-9));
    CHECK(e.plan.largest_weight_error_worst >= e.plan.largest_weight_error);
    CHECK_THAT(report_text(e.plan), Contains("Largest relative weight error"));
}

TEST_CASE("a model with no SpiNNaker equivalent is refused, naming the population and the model", "[io][export]") {
    sim::ModelRegistry models;
    models::register_models(models);
    models.add<UltraLifForTest>("a model the exporter has never heard of");
    std::string text = small;
    text.replace(text.find("model = \"IF_cond_exp\""), 21, "model = \"UltraLIF_test\"");
    text.replace(text.find("weight = 0.004"), 14, "weight = -0.004");  // now current-based
    const auto run = io::parse_config(text, "test.toml", {}, models, test::catalogue().rules);
    const sim::Network network = sim::build(run.network, models, test::catalogue().rules, 1);
    for (const bool approximate : {false, true}) {
        CAPTURE(approximate);
        REQUIRE_THROWS_WITH(io::plan_pynn_export(run, network, models, test::catalogue().rules, {0.0, 0, approximate}),
                            Contains("population \"inh\"") && Contains("\"UltraLIF_test\"") &&
                                Contains("no SpiNNaker equivalent"));
    }
}

TEST_CASE("a plasticity rule SpiNNaker lacks is refused, or exported static with --approximate", "[io][export]") {
    sim::PlasticityRegistry rules;
    learning::register_rules(rules);
    rules.add<NearestForTest>();
    const auto run = io::parse_config(small, "test.toml", io::ConfigOverrides{{"projection.input.plasticity.weight_dependence=nearest_test"}},
                                      test::catalogue().models, rules);
    REQUIRE_THROWS_WITH(export_of(run, {}, test::catalogue().models, rules),
                        Contains("projection \"input\"") && Contains("stdp/nearest_test") && Contains("--approximate"));
    const auto e = export_of(run, {0.0, 0, true}, test::catalogue().models, rules);
    CHECK_FALSE(projection(e.plan, "input").stdp);
    CHECK_THAT(report_text(e.plan), Contains("exported static with its current weights"));
}

TEST_CASE("unreliable synapses are refused, or exported reliable with --approximate", "[io][export]") {
    const auto run = test::parse(small, {"projection.ee.release_probability=0.5"});
    REQUIRE_THROWS_WITH(export_of(run), Contains("projection \"ee\"") && Contains("release_probability") && Contains("--approximate"));
    const auto e = export_of(run, {0.0, 0, true});
    CHECK_THAT(report_text(e.plan), Contains("exported with every event transmitted"));
}

TEST_CASE("delays beyond 144 ticks are refused, or clamped with --approximate", "[io][export]") {
    const auto run = test::parse(small, {"projection.ee.delay=20.0"});
    REQUIRE_THROWS_WITH(export_of(run), Contains("outside 1..144 ticks") && Contains("--approximate"));
    const auto e = export_of(run, {0.0, 0, true});
    for (const auto& c : projection(e.plan, "ee").connections) CHECK(c.delay == Approx(14.4).epsilon(1e-12));
    // A 1 ms tick rounds 1.5 ms to 2 ticks and reports it; the 0.1 ms delays fall below one tick.
    REQUIRE_THROWS_WITH(export_of(test::parse(small), {1.0, 0, false}), Contains("(1..144 ms)"));
    const auto coarse = export_of(test::parse(small), {1.0, 0, true});
    CHECK(projection(coarse.plan, "ee").connections.front().delay == 2.0);
    CHECK_THAT(report_text(coarse.plan), Contains("APPROXIMATION: Myelin ran with dt = 0.1 ms"));
}

TEST_CASE("the export directory holds the script, FromFileConnector files that read back, and the report",
          "[io][export]") {
    const auto e = export_of(test::parse(small));
    const fs::path dir = scratch("files") / "out";
    io::write_pynn_export(e.plan, dir.string());
    for (const char* name : {"run.py", "report.md", "initial_values.json", "spikes_in.json", "conn_ee.txt"})
        CHECK(fs::exists(dir / name));
    std::ifstream conn(dir / "conn_ie.txt");
    std::string comment, header;
    std::getline(conn, comment);
    std::getline(conn, header);
    CHECK(header == "# columns = [\"i\", \"j\", \"weight\", \"delay\"]");
    const auto& ie = projection(e.plan, "ie");
    for (const auto& c : ie.connections) {
        std::uint32_t i, j;
        double w, d;
        REQUIRE(conn >> i >> j >> w >> d);
        CHECK(i == c.pre);
        CHECK(j == c.post);
        CHECK(static_cast<float>(w) == static_cast<float>(c.weight));  // the stored float, exactly
        CHECK(d == c.delay);
    }
    const std::string script = read(dir / "run.py");
    CHECK_THAT(script, Contains("import pyNN.spiNNaker as sim"));
    CHECK_THAT(script, Contains("import pyNN.brian2 as sim"));
    CHECK_THAT(script, Contains("receptor_type=\"inhibitory\""));
    CHECK_THAT(script, Contains("time_scale_factor=10"));
    CHECK_THAT(read(dir / "conn_ee.txt"), Contains(" 0.0162 1.5\n"));
    CHECK_THAT(read(dir / "report.md"), Contains("## Weights in 16-bit fixed point"));
    // Exporting again over a previous export replaces it.
    REQUIRE_NOTHROW(io::write_pynn_export(e.plan, dir.string()));
}

TEST_CASE("an output directory that cannot be written gives an error naming it and writes nothing", "[io][export]") {
    const auto e = export_of(test::parse(small));
    const fs::path base = scratch("unwritable");
    SECTION("under a regular file") {
        std::ofstream(base / "file") << "x";
        REQUIRE_THROWS_AS(io::write_pynn_export(e.plan, (base / "file" / "out").string()), IoError);
        REQUIRE_THROWS_WITH(io::write_pynn_export(e.plan, (base / "file" / "out").string()), Contains("file"));
    }
    SECTION("a directory that is not a previous export") {
        std::ofstream(base / "notes.txt") << "keep me";
        REQUIRE_THROWS_WITH(io::write_pynn_export(e.plan, base.string()), Contains("not a previous export"));
        CHECK(read(base / "notes.txt") == "keep me");
        CHECK_FALSE(fs::exists(base / "run.py"));
    }
    SECTION("a file system that refuses new folders") {
        REQUIRE_THROWS_AS(io::write_pynn_export(e.plan, "/proc/myelin_export_test"), IoError);
    }
    std::size_t leftovers = 0;
    for (const auto& entry : fs::directory_iterator(base)) leftovers += entry.path().filename().string().rfind(".", 0) == 0;
    CHECK(leftovers == 0);  // no staging folder left behind
}
