// The [tess] table of `myelin train`: values land in the settings, every error names
// file:line:column, the key and the value; the shipped config parses; the report reads back.
#include "experiments/tess_report.hpp"
#include "experiments/train_config.hpp"
#include "io/hdf5_util.hpp"

#include "support/replace_once.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

using namespace myelin::cli;
using myelin::learning::TessLearner;
using myelin::learning::TessMode;
using Catch::Contains;

namespace {

const std::string valid = R"([train]
algorithm = "tess"
seed = 7
[tess]
hidden = [32, 16]
steps = 5
tess_mode = "code_faithful"
delay_ls = 0
lambda_pre = 0.75
alpha_post = -1.0
batch = 64
epochs = 3
learners = ["bptt", "tess"]
train_samples = 500
)";

std::string with(const std::string& from, const std::string& to) { return myelin::test::replace_once(valid, from, to); }

}  // namespace

TEST_CASE("a tess config sets the network, rule, learners and data", "[experiments][tess]") {
    const TrainSpec spec = parse_train_config(valid, "t.toml");
    const auto& s = spec.tess.settings;
    CHECK(spec.algorithm == "tess");
    CHECK(s.shape.hidden == std::vector<std::size_t>{32, 16});
    CHECK(s.shape.steps == 5);
    CHECK(s.rule.mode == TessMode::code_faithful);
    CHECK(s.rule.delay_ls == 0);
    CHECK(s.rule.factors.lambda_pre == 0.75);
    CHECK(s.rule.factors.alpha_post == -1.0);
    CHECK(s.rule.factors.lambda_post == 0.2);  // default kept
    CHECK(s.batch == 64);
    CHECK(s.epochs == 3);
    CHECK(spec.tess.learners == std::vector<TessLearner>{TessLearner::bptt, TessLearner::tess});
    CHECK(spec.tess.train_samples == 500);
    CHECK(spec.tess.dataset == "fashion-mnist");
    CHECK(s.encoding == myelin::learning::InputEncoding::current);  // default: the image as a current
}

TEST_CASE("tess config errors name the file, line, key and value", "[experiments][tess]") {
    SECTION("misspelled key, with a suggestion") {
        REQUIRE_THROWS_WITH(parse_train_config(with("lambda_pre", "lambda_pr"), "t.toml"),
                            Contains("t.toml:9:") && Contains("unknown key \"lambda_pr\"") &&
                                Contains("did you mean \"lambda_pre\""));
    }
    SECTION("unknown mode, with a suggestion") {
        REQUIRE_THROWS_WITH(parse_train_config(with("\"code_faithful\"", "\"code-faithful\""), "t.toml"),
                            Contains("t.toml:7:") && Contains("tess_mode") && Contains("did you mean \"code_faithful\""));
    }
    SECTION("delay_ls out of range, by mode") {
        REQUIRE_THROWS_WITH(parse_train_config(with("delay_ls = 0", "delay_ls = 6"), "t.toml"),
                            Contains("t.toml:8:") && Contains("delay_ls = 6"));
        REQUIRE_THROWS_WITH(parse_train_config(with("\"code_faithful\"", "\"local\""), "t.toml"),
                            Contains("t.toml:8:") && Contains("delay_ls = 0") && Contains("[1, steps]"));
    }
    SECTION("factors out of range") {
        REQUIRE_THROWS_WITH(parse_train_config(with("lambda_pre = 0.75", "lambda_pre = 1.5"), "t.toml"),
                            Contains("t.toml:9:") && Contains("lambda_pre = 1.5") && Contains("[0, 1]"));
    }
    SECTION("bad hidden widths") {
        REQUIRE_THROWS_WITH(parse_train_config(with("[32, 16]", "[32, 0]"), "t.toml"),
                            Contains("t.toml:5:") && Contains("hidden") && Contains("[1, 65536]"));
        REQUIRE_THROWS_WITH(parse_train_config(with("[32, 16]", "32"), "t.toml"),
                            Contains("t.toml:5:") && Contains("hidden must be a list"));
    }
    SECTION("bad learners") {
        REQUIRE_THROWS_WITH(parse_train_config(with("[\"bptt\", \"tess\"]", "[\"bptt\", \"tes\"]"), "t.toml"),
                            Contains("t.toml:13:") && Contains("\"tes\"") && Contains("did you mean \"tess\""));
        REQUIRE_THROWS_WITH(parse_train_config(with("[\"bptt\", \"tess\"]", "[\"bptt\", \"bptt\"]"), "t.toml"),
                            Contains("t.toml:13:") && Contains("listed twice"));
    }
    SECTION("a [tess] table under another algorithm") {
        REQUIRE_THROWS_WITH(parse_train_config(with("algorithm = \"tess\"", "algorithm = \"bptt\""), "t.toml"),
                            Contains("t.toml:4:") && Contains("[tess] does not apply"));
    }
}

TEST_CASE("the shipped TESS configs parse", "[experiments][tess]") {
    const TrainSpec spec = load_train_config(MYELIN_SOURCE_DIR "/experiments/tess_fashion.toml");
    CHECK(spec.algorithm == "tess");
    CHECK(spec.tess.settings.shape.hidden == std::vector<std::size_t>{256, 256});
    CHECK(spec.tess.settings.shape.steps == 6);
    CHECK(spec.tess.settings.rule.mode == TessMode::local);
    CHECK(spec.tess.learners == std::vector<TessLearner>{TessLearner::tess, TessLearner::bptt});
    const TrainSpec faithful = load_train_config(MYELIN_SOURCE_DIR "/experiments/tess_fashion_code_faithful.toml");
    CHECK(faithful.tess.settings.rule.mode == TessMode::code_faithful);
    CHECK(faithful.tess.settings.rule.delay_ls == 6);
    CHECK(faithful.tess.settings.shape.hidden == spec.tess.settings.shape.hidden);
}

TEST_CASE("the TESS report reads back what was written, and no temporary file stays", "[experiments][tess]") {
    TrainSpec spec = parse_train_config(valid, "t.toml");
    spec.tess.settings.shape.inputs = 6;
    spec.tess.settings.shape.hidden = {3, 2};
    const myelin::learning::TessLayout layout(spec.tess.settings.shape);
    TessReport report;
    TessRun run;
    run.learner = TessLearner::bptt;
    run.epochs.push_back({1, {0.9, 0.5, 0.3}, {1.1, 0.4, 0.25}, 0.0, 2.0});
    run.epochs.push_back({2, {0.7, 0.6, 0.2}, {0.9, 0.55, 0.2}, 0.0, 2.5});
    run.peak_state_bytes = 1234;
    for (std::size_t k = 0; k < layout.size; ++k) run.parameters.push_back(static_cast<float>(k));
    report.runs.push_back(run);
    const auto dir = std::filesystem::temp_directory_path() / ("myelin_tess_report_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const std::string path = (dir / "report.h5").string();
    write_tess_report(path, spec, report);
    H5::H5File file(path, H5F_ACC_RDONLY);
    using myelin::io::h5::read_vector;
    CHECK(read_vector<double>(file.openDataSet("/bptt/epochs/test_accuracy")) == std::vector<double>{0.4, 0.55});
    CHECK(read_vector<double>(file.openDataSet("/bptt/epochs/loss")) == std::vector<double>{0.9, 0.7});
    // w2 is [2][3]: row 1, column 2 is the weight from hidden-1 neuron 2 to hidden-2 neuron 1,
    // at column-major index 2 * 2 + 1 of the block.
    const auto w2 = read_vector<float>(file.openDataSet("/bptt/network/w2"));
    REQUIRE(w2.size() == 6);
    CHECK(w2[1 * 3 + 2] == static_cast<float>(layout.weights[1] + 2 * 2 + 1));
    CHECK(read_vector<float>(file.openDataSet("/bptt/network/head_b")).size() == 10);
    CHECK(myelin::io::h5::string_attribute(file.openGroup("/meta"), "tess_mode") == "code_faithful");
    const auto bm = read_vector<float>(file.openDataSet("/lsg/projection2"));
    REQUIRE(bm.size() == 20);
    CHECK(bm[1 * 2 + 1] == static_cast<float>(myelin::learning::tess_projection(10, 2)(1, 1)));
    file.close();
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++entries;
    CHECK(entries == 1);
    std::filesystem::remove_all(dir);
}
