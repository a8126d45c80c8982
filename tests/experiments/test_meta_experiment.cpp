// algorithm = "meta" end to end in the library: configs with file:line errors, the shipped config,
// learning well above chance on a short rate task by every rule, the same result on 1 and 2
// threads, and the report read back (ALGORITHMS.md 6.4-6.7; docs/learning.md "Meta neuron").
#include "experiments/meta_experiment.hpp"
#include "experiments/meta_report.hpp"
#include "experiments/train_config.hpp"
#include "io/hdf5_util.hpp"
#include "support/scratch_dir.hpp"

#include "support/replace_once.hpp"

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <cmath>

using namespace myelin::cli;
using Catch::Contains;

namespace {

// The rate task of ALGORITHMS.md 6.7, shortened to 300 ms and 60 + 60 samples per class, so a
// run takes a fraction of a second.
const std::string small = R"([train]
algorithm = "meta"
seed = 4
cycles = 12
[task]
kind = "poisson_rates"
rates = [10.0, 20.0, 30.0]
inputs = 20
duration = 300.0
train_per_class = 60
test_per_class = 60
[meta]
rule = "backprop"
learn = ["decay", "threshold", "temperature"]
estimator = "sigmoid_adjusted"
)";

std::string with(const std::string& from, const std::string& to) { return myelin::test::replace_once(small, from, to); }

MetaRun train(const TrainSpec& spec) {
    const MetaDataset data = make_poisson_dataset(spec.meta.task, spec.seed);
    return run_meta(spec.meta, data, spec.seed, spec.cycles);
}

}  // namespace

TEST_CASE("a meta config sets the Poisson task and the trainer", "[experiments][meta]") {
    const TrainSpec spec = parse_train_config(small, "m.toml");
    CHECK(spec.algorithm == "meta");
    CHECK(spec.meta.task.rates == std::vector<double>{10.0, 20.0, 30.0});
    CHECK(spec.meta.task.steps() == 300);
    CHECK(spec.meta.train.learn.decay);
    CHECK(spec.meta.train.learn.temperature);
    CHECK(spec.meta.train.rule == myelin::learning::MetaRule::backprop);
    const TrainSpec shipped = load_train_config(std::string(MYELIN_SOURCE_DIR) + "/experiments/meta_lzc.toml");
    CHECK(shipped.meta.task.train_per_class == 200);
}

TEST_CASE("meta config errors name the file, line, key and value", "[experiments][meta]") {
    SECTION("misspelt rule") {
        REQUIRE_THROWS_WITH(parse_train_config(with("rule = \"backprop\"", "rule = \"backprob\""), "m.toml"),
                            Contains("m.toml:13:8") && Contains("did you mean \"backprop\""));
    }
    SECTION("unknown intrinsic parameter") {
        REQUIRE_THROWS_WITH(parse_train_config(with("\"decay\",", "\"decai\","), "m.toml"),
                            Contains("m.toml:14:") && Contains("\"decai\"") && Contains("did you mean \"decay\""));
    }
    SECTION("unknown key") {
        REQUIRE_THROWS_WITH(parse_train_config(with("estimator =", "estimater ="), "m.toml"),
                            Contains("m.toml:15:1") && Contains("estimater") && Contains("did you mean \"estimator\""));
    }
    SECTION("out-of-range value") {
        REQUIRE_THROWS_WITH(parse_train_config(with("[meta]\n", "[meta]\ntemperature = -1.0\n"), "m.toml"),
                            Contains("m.toml:13:15") && Contains("temperature = -1"));
    }
    SECTION("a rate above one spike per step") {
        REQUIRE_THROWS_WITH(parse_train_config(with("30.0]", "3000.0]"), "m.toml"),
                            Contains("m.toml:7:") && Contains("3000"));
    }
    SECTION("a misspelt tempotron_threshold, an out-of-range set point") {
        REQUIRE_THROWS_WITH(parse_train_config(with("[meta]\n", "[meta]\ntempotron_threshold = \"homeostatis\"\n"), "m.toml"),
                            Contains("m.toml:13:23") && Contains("did you mean \"homeostasis\""));
        REQUIRE_THROWS_WITH(parse_train_config(with("[meta]\n", "[meta]\ntempotron_target_rate = 0.0\n"), "m.toml"),
                            Contains("m.toml:13:25") && Contains("tempotron_target_rate"));
    }
    SECTION("a misspelt score") {
        REQUIRE_THROWS_WITH(parse_train_config(with("[meta]\n", "[meta]\nscore = \"entropi\"\n"), "m.toml"),
                            Contains("m.toml:13:9") && Contains("did you mean \"entropy\""));
    }
    SECTION("a task kind of another algorithm") {
        REQUIRE_THROWS_WITH(parse_train_config(with("kind = \"poisson_rates\"", "kind = \"random_latency\""), "m.toml"),
                            Contains("m.toml:6:8") && Contains("poisson_rates"));
    }
}

TEST_CASE("a renewal task: one rate for every class, a gamma shape per class", "[experiments][meta]") {
    const std::string renewal = with("kind = \"poisson_rates\"\nrates = [10.0, 20.0, 30.0]",
                                     "kind = \"renewal\"\nrate = 25.0\nshapes = [1.0, 8.0]");
    const TrainSpec spec = parse_train_config(renewal, "m.toml");
    CHECK(spec.meta.task.rates == std::vector<double>{25.0, 25.0});
    CHECK(spec.meta.task.shapes == std::vector<double>{1.0, 8.0});
    const TrainSpec shipped = load_train_config(std::string(MYELIN_SOURCE_DIR) + "/experiments/meta_renewal.toml");
    CHECK(shipped.meta.task.shapes.size() == 2);
    REQUIRE_THROWS_WITH(parse_train_config(myelin::test::replace_once(renewal, "shapes = [1.0, 8.0]", "shapes = [1.0, 0.0]"), "m.toml"),
                        Contains("m.toml:8:") && Contains("shapes: 0 must be within (0, 1000]"));
    REQUIRE_THROWS_WITH(parse_train_config(myelin::test::replace_once(renewal, "rate = 25.0", "rates = [25.0, 25.0]"), "m.toml"),
                        Contains("m.toml:7:") && Contains("rates belongs to kind = \"poisson_rates\""));
    REQUIRE_THROWS_WITH(parse_train_config(myelin::test::replace_once(renewal, "shapes = [1.0, 8.0]\n", ""), "m.toml"),
                        Contains("m.toml:6:") && Contains("needs shapes"));
    REQUIRE_THROWS_WITH(parse_train_config(with("rates = [10.0, 20.0, 30.0]", "rates = [10.0, 20.0]\nshapes = [1.0, 2.0]"), "m.toml"),
                        Contains("m.toml:8:") && Contains("shapes belongs to kind = \"renewal\""));
}

TEST_CASE("backprop through meta neurons learns the rate task well above chance", "[experiments][meta]") {
    const TrainSpec spec = parse_train_config(small, "m.toml");
    const MetaRun run = train(spec);
    // Chance is 1/3: on 180 test samples 5 standard errors of chance are 0.18, so anything above
    // 0.52 is learning. Seeds 4-6 measured 0.81-0.87 (count) and 0.94-0.97 (SNN-LZC).
    CHECK(run.evaluation.count_accuracy > 0.7);
    CHECK(run.evaluation.lzc_accuracy > 0.85);
    CHECK(run.epochs.back().loss < run.epochs.front().loss);
}

TEST_CASE("STDP and the Tempotron give an SNN-LZC classifier above chance", "[experiments][meta]") {
    for (const std::string rule : {"stdp", "tempotron"}) {
        CAPTURE(rule);
        const MetaRun run = train(parse_train_config(with("rule = \"backprop\"", "rule = \"" + rule + "\""), "m.toml"));
        CHECK(run.evaluation.lzc_accuracy > 0.6);  // chance 1/3, 5 standard errors ~ 0.3 at p = 1/3 on 180 samples is 0.18
    }
}

TEST_CASE("the Tempotron's homeostatic threshold holds the output near its set point and helps SNN-LZC",
          "[experiments][meta][tempotron]") {
    const std::string tempotron = with("rule = \"backprop\"", "rule = \"tempotron\"");
    const MetaRun learned = train(parse_train_config(tempotron, "m.toml"));  // error_homeostasis, 10 Hz
    const MetaRun error_only = train(parse_train_config(
        myelin::test::replace_once(tempotron, "[meta]\n", "[meta]\ntempotron_threshold = \"error\"\n"), "m.toml"));
    const MetaRun fixed = train(parse_train_config(
        myelin::test::replace_once(tempotron, "learn = [\"decay\", \"threshold\", \"temperature\"]", "learn = []"), "m.toml"));
    // Over 180 test samples x 3 neurons x 0.3 s the rate's standard error is about 0.6 Hz at 10 Hz,
    // so within 20% of the set point is the homeostasis at work; the error step alone ends at 46 Hz.
    CHECK(learned.evaluation.mean_rate_hz == Catch::Detail::Approx(10.0).epsilon(0.2));
    CHECK(error_only.evaluation.mean_rate_hz > 20.0);
    // Measured on this seed: 83.3% learned, 72.8% error step alone, 74.4% fixed (seeds 4-9: 86.7,
    // 72.2, 76.0 on average). Learned intrinsics must not lose to fixed ones here.
    CHECK(learned.evaluation.lzc_accuracy >= fixed.evaluation.lzc_accuracy);
    CHECK(learned.rule_accuracy > fixed.rule_accuracy);  // and the Tempotron's own read-out keeps its gain
}

TEST_CASE("meta training gives the same network on 1 and 2 threads", "[experiments][meta]") {
    const TrainSpec spec = parse_train_config(with("cycles = 12", "cycles = 2"), "m.toml");
    MetaRun one, two;
    {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
        one = train(spec);
    }
    {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
        two = train(spec);
    }
    CHECK(one.parameters.values == two.parameters.values);
    CHECK(one.evaluation.lzc_accuracy == two.evaluation.lzc_accuracy);
}

TEST_CASE("the meta report reads back the learned parameters in engine units", "[experiments][meta]") {
    const TrainSpec spec = parse_train_config(with("cycles = 12", "cycles = 1"), "m.toml");
    const MetaRun run = train(spec);
    myelin::test::ScratchDir dir("meta_report");
    write_meta_report(dir / "r.h5", spec, run);
    CHECK(dir.file_count() == 1);  // no temporary file left
    H5::H5File file(dir / "r.h5", H5F_ACC_RDONLY);
    const auto weights = myelin::io::h5::read_vector<double>(file.openDataSet("/weights"));
    REQUIRE(weights.size() == run.parameters.weight_count());
    CHECK(weights[7] == run.parameters.values[7]);
    const auto tau_m = myelin::io::h5::read_vector<double>(file.openDataSet("/intrinsics/tau_m"));
    REQUIRE(tau_m.size() == 3);
    CHECK(std::exp(-spec.meta.task.dt / tau_m[1]) == Approx(run.parameters.decay(1)).epsilon(1e-12));
    const auto accuracy = myelin::io::h5::read_vector<double>(file.openDataSet("/epochs/train_accuracy"));
    CHECK(accuracy.size() == 1);
}
