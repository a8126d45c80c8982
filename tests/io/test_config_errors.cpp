// Every class of config error names file:line:column, the key and the value, with a
// suggestion for near misses; nothing is built from an invalid config.
#include "support/simulate.hpp"

#include "support/replace_once.hpp"

#include <catch2/catch.hpp>

using myelin::test::parse;
using Catch::Contains;

namespace {

// A valid two-population config; each test breaks one line of it.
const std::string valid = R"([simulation]
dt = 0.1
duration = 100.0
[[population]]
name = "exc"
size = 100
model = "IF_curr_exp"
params = { tau_m = 20.0 }
[[population]]
name = "inh"
size = 25
model = "IF_curr_exp"
[[projection]]
pre = "exc"
post = "inh"
connect = { rule = "fixed_probability", p = 0.1 }
weight = 0.01
delay = 0.5
)";

std::string with(const std::string& from, const std::string& to) { return myelin::test::replace_once(valid, from, to); }

}  // namespace

TEST_CASE("the valid config parses", "[io][config]") { REQUIRE_NOTHROW(parse(valid)); }

TEST_CASE("unknown and misspelt keys are rejected with a suggestion", "[io][config]") {
    SECTION("top-level item key") {
        REQUIRE_THROWS_WITH(parse(with("size = 100", "sze = 100")),
                            Contains("test.toml:6:1") && Contains("unknown key \"sze\"") && Contains("did you mean \"size\""));
    }
    SECTION("model parameter") {
        REQUIRE_THROWS_WITH(parse(with("tau_m = 20.0", "tau_mm = 20.0")),
                            Contains("test.toml:8:") && Contains("tau_mm") && Contains("did you mean \"tau_m\""));
    }
    SECTION("section name") {
        REQUIRE_THROWS_WITH(parse(with("[simulation]", "[simulaton]")), Contains("did you mean \"simulation\""));
    }
    SECTION("missing required key") {
        REQUIRE_THROWS_WITH(parse(with("model = \"IF_curr_exp\"\n[[projection]]", "[[projection]]")),
                            Contains("missing key \"model\""));
    }
}

TEST_CASE("wrong types are rejected, naming the key and the type found", "[io][config]") {
    REQUIRE_THROWS_WITH(parse(with("size = 100", "size = \"big\"")),
                        Contains("test.toml:6:8") && Contains("size must be an integer, not a string"));
    REQUIRE_THROWS_WITH(parse(with("p = 0.1", "p = true")), Contains("p must be a number"));
}

TEST_CASE("out-of-range values are rejected, naming key, value and rule", "[io][config]") {
    SECTION("negative time constant") {
        REQUIRE_THROWS_WITH(parse(with("tau_m = 20.0", "tau_m = -5.0")),
                            Contains("test.toml:8:") && Contains("population \"exc\"") && Contains("tau_m = -5 must be > 0 (ms)"));
    }
    SECTION("probability outside [0, 1]") {
        REQUIRE_THROWS_WITH(parse(with("p = 0.1", "p = 1.5")), Contains("test.toml:16:") && Contains("connect.p = 1.5 must be within [0, 1]"));
    }
    SECTION("delay below one step") {
        REQUIRE_THROWS_WITH(parse(with("delay = 0.5", "delay = 0.05")),
                            Contains("test.toml:18:9") && Contains("delay = 0.05 is below one time step"));
    }
    SECTION("size 0") {
        REQUIRE_THROWS_WITH(parse(with("size = 100", "size = 0")), Contains("test.toml:6:8") && Contains("size = 0 must be >= 1"));
    }
    SECTION("scale outside (0, 1]") {
        REQUIRE_THROWS_WITH(parse(with("dt = 0.1", "dt = 0.1\nscale = 2.0")),
                            Contains("test.toml:3:") && Contains("scale = 2 must be within (0, 1]"));
    }
    SECTION("batch below 1") {
        REQUIRE_THROWS_WITH(parse(with("dt = 0.1", "dt = 0.1\nbatch = 0")),
                            Contains("test.toml:3:") && Contains("batch = 0 must be within [1, 65536]"));
    }
    SECTION("fixed_total_number without replacement") {
        REQUIRE_THROWS_WITH(parse(with("{ rule = \"fixed_probability\", p = 0.1 }",
                                       "{ rule = \"fixed_total_number\", n = 10, allow_multiple = false }")),
                            Contains("test.toml:16:") && Contains("allow_multiple = false is not supported"));
    }
    SECTION("a weight of the wrong sign for its receptor") {
        REQUIRE_THROWS_WITH(parse(with("weight = 0.01", "weight = -0.01")), Contains("must be >= 0 on the excitatory receptor"));
    }
}

TEST_CASE("unknown names are rejected with a suggestion", "[io][config]") {
    REQUIRE_THROWS_WITH(parse(with("pre = \"exc\"", "pre = \"exx\"")),
                        Contains("test.toml:14:7") && Contains("unknown population \"exx\"") && Contains("did you mean \"exc\""));
    REQUIRE_THROWS_WITH(parse(with("model = \"IF_curr_exp\"\n[[projection]]", "model = \"IF_cur_exp\"\n[[projection]]")),
                        Contains("unknown model \"IF_cur_exp\"") && Contains("did you mean \"IF_curr_exp\""));
    REQUIRE_THROWS_WITH(parse(with("fixed_probability", "fixed_probabilty")), Contains("did you mean \"fixed_probability\""));
}

TEST_CASE("missing files are rejected, naming the file", "[io][config]") {
    REQUIRE_THROWS_WITH(parse(with("{ rule = \"fixed_probability\", p = 0.1 }", "{ rule = \"from_list\", file = \"no_such_list.txt\" }")),
                        Contains("test.toml:16:") && Contains("no_such_list.txt") && Contains("cannot read"));
}

TEST_CASE("overrides from the command line change values and are named in their errors", "[io][config]") {
    const auto run = parse(valid, {"population.exc.size=8000", "simulation.duration=250"});
    CHECK(run.network.populations.at(0).size == 8000);
    CHECK(run.duration == 250.0);
    REQUIRE_THROWS_WITH(parse(valid, {"population.exc.size=0"}), Contains("--set population.exc.size=0") && Contains("size = 0"));
    REQUIRE_THROWS_WITH(parse(valid, {"population.exd.size=10"}), Contains("no population named \"exd\"") && Contains("did you mean \"exc\""));
}

TEST_CASE("TOML syntax errors name the line", "[io][config]") {
    REQUIRE_THROWS_WITH(parse(with("size = 100", "size = = 100")), Contains("test.toml:6:"));
}

TEST_CASE("precision is \"double\" or \"single\", and single only where the model has that form", "[io][config][precision]") {
    SECTION("a population asks for single precision") {
        const auto run = parse(with("model = \"IF_curr_exp\"\nparams", "model = \"IF_curr_exp\"\nprecision = \"single\"\nparams"));
        CHECK(run.network.populations[0].precision == myelin::sim::Precision::single_precision);
        CHECK(run.network.populations[1].precision == myelin::sim::Precision::double_precision);
    }
    SECTION("[simulation] precision is every capable population's default") {
        const auto run = parse(with("dt = 0.1", "dt = 0.1\nprecision = \"single\""));
        CHECK(run.network.populations[0].precision == myelin::sim::Precision::single_precision);
        CHECK(run.network.populations[1].precision == myelin::sim::Precision::single_precision);
    }
    SECTION("an unknown precision") {
        REQUIRE_THROWS_WITH(parse(with("dt = 0.1", "dt = 0.1\nprecision = \"half\"")),
                            Contains("test.toml:3:") && Contains("precision = \"half\"") && Contains("\"double\" or \"single\""));
    }
    SECTION("homeostasis keeps a population in double precision") {
        const std::string first = "model = \"IF_curr_exp\"\nparams";
        const std::string homeostatic = "model = \"IF_curr_exp\"\nhomeostasis = { target_rate = 5.0 }\n";
        std::string text = with("dt = 0.1", "dt = 0.1\nprecision = \"single\"");
        text.replace(text.find(first), first.size(), homeostatic + "params");
        const auto run = parse(text);
        CHECK(run.network.populations[0].precision == myelin::sim::Precision::double_precision);
        CHECK(run.network.populations[1].precision == myelin::sim::Precision::single_precision);
        REQUIRE_THROWS_WITH(parse(with(first, homeostatic + "precision = \"single\"\nparams")),
                            Contains("test.toml:9:") && Contains("homeostasis runs in double precision"));
    }
    SECTION("a model without a single-precision form") {
        REQUIRE_THROWS_WITH(parse(with("model = \"IF_curr_exp\"\nparams", "model = \"IF_cond_exp\"\nprecision = \"single\"\nparams")),
                            Contains("test.toml:8:") && Contains("IF_cond_exp") && Contains("no single-precision form"));
    }
}
