// `myelin train` configs: every error names file:line, the key and the value; the shipped config
// parses; the HDF5 report reads back what was written.
#include "experiments/train_config.hpp"
#include "experiments/train_report.hpp"
#include "io/hdf5_util.hpp"

#include "support/replace_once.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace myelin::cli;
using Catch::Contains;

namespace {

const std::string valid = R"([train]
algorithm = "tempotron"
seed = 3
cycles = 50
[task]
afferents = 100
patterns = 40
duration = 200.0
[tempotron]
tau = 10.0
tau_s = 2.5
learning_rate = 0.002
[output]
file = "out.h5"
)";

std::string with(const std::string& from, const std::string& to) { return myelin::test::replace_once(valid, from, to); }

}  // namespace

TEST_CASE("a train config sets the algorithm, task and Tempotron parameters", "[experiments][train]") {
    const TrainSpec spec = parse_train_config(valid, "t.toml");
    CHECK(spec.algorithm == "tempotron");
    CHECK(spec.seed == 3);
    CHECK(spec.cycles == 50);
    CHECK(spec.task.afferents == 100);
    CHECK(spec.task.patterns == 40);
    CHECK(spec.task.duration == 200.0);
    CHECK(spec.tempotron.tau == 10.0);
    CHECK(spec.tempotron.tau_s == 2.5);
    CHECK(spec.tempotron.learning_rate == 0.002);
    CHECK(spec.tempotron.momentum == myelin::learning::TempotronParams{}.momentum);  // default kept
    CHECK(spec.output == "out.h5");
}

TEST_CASE("train config errors name the file, line, key and value", "[experiments][train]") {
    SECTION("missing [train]") {
        REQUIRE_THROWS_WITH(parse_train_config("[task]\npatterns = 3\n", "t.toml"), Contains("t.toml") && Contains("[train]"));
    }
    SECTION("missing algorithm") {
        REQUIRE_THROWS_WITH(parse_train_config(with("algorithm = \"tempotron\"\n", ""), "t.toml"),
                            Contains("t.toml:1:1") && Contains("missing key \"algorithm\""));
    }
    SECTION("unknown algorithm, with a suggestion") {
        REQUIRE_THROWS_WITH(parse_train_config(with("\"tempotron\"", "\"tempotrn\""), "t.toml"),
                            Contains("t.toml:2:") && Contains("tempotrn") && Contains("did you mean \"tempotron\""));
    }
    SECTION("misspelled key, with a suggestion") {
        REQUIRE_THROWS_WITH(parse_train_config(with("learning_rate", "learning_rat"), "t.toml"),
                            Contains("t.toml:12:") && Contains("unknown key \"learning_rat\"") &&
                                Contains("did you mean \"learning_rate\""));
    }
    SECTION("extra table") {
        REQUIRE_THROWS_WITH(parse_train_config(valid + "[simulation]\ndt = 0.1\n", "t.toml"),
                            Contains("t.toml:15:") && Contains("unknown key \"simulation\""));
    }
    SECTION("wrong type") {
        REQUIRE_THROWS_WITH(parse_train_config(with("patterns = 40", "patterns = \"40\""), "t.toml"),
                            Contains("t.toml:7:") && Contains("patterns must be an integer"));
    }
    SECTION("out of range") {
        REQUIRE_THROWS_WITH(parse_train_config(with("patterns = 40", "patterns = 0"), "t.toml"),
                            Contains("t.toml:7:") && Contains("patterns = 0"));
        REQUIRE_THROWS_WITH(parse_train_config(with("duration = 200.0", "duration = -1.0"), "t.toml"),
                            Contains("t.toml:8:") && Contains("duration = -1"));
    }
    SECTION("a parameter rule of the model, at its line") {
        REQUIRE_THROWS_WITH(parse_train_config(with("tau_s = 2.5", "tau_s = 12.5"), "t.toml"),
                            Contains("t.toml:11:") && Contains("tau_s = 12.5 must be < tau"));
        REQUIRE_THROWS_WITH(parse_train_config(with("learning_rate = 0.002", "momentum = 1.5"), "t.toml"),
                            Contains("t.toml:12:") && Contains("momentum = 1.5"));
    }
    SECTION("TOML syntax") {
        REQUIRE_THROWS_WITH(parse_train_config(with("seed = 3", "seed = = 3"), "t.toml"), Contains("t.toml:3:"));
    }
}

TEST_CASE("the shipped Tempotron config parses", "[experiments][train]") {
    const TrainSpec spec = load_train_config(MYELIN_SOURCE_DIR "/experiments/tempotron.toml");
    CHECK(spec.algorithm == "tempotron");
    CHECK(spec.task.afferents == 500);
    CHECK(spec.task.duration == 500.0);
}

TEST_CASE("the training report reads back what was written, and no temporary file stays", "[experiments][train]") {
    const TrainSpec spec = parse_train_config(valid, "t.toml");
    TrainReport report;
    report.cycles = {{1, 7, 0.8}, {2, 2, 0.95}, {3, 0, 1.0}};
    report.weights = {0.5, -0.25, 1e-3};
    const auto dir = std::filesystem::temp_directory_path() / "myelin_train_report_test";
    std::filesystem::remove_all(dir);
    const std::string path = (dir / "report.h5").string();
    write_train_report(path, spec, report);
    H5::H5File file(path, H5F_ACC_RDONLY);
    CHECK(myelin::io::h5::read_vector<double>(file.openDataSet("/weights")) == report.weights);
    CHECK(myelin::io::h5::read_vector<double>(file.openDataSet("/cycles/accuracy")) == std::vector<double>{0.8, 0.95, 1.0});
    CHECK(myelin::io::h5::read_vector<std::int64_t>(file.openDataSet("/cycles/sweep_errors")) ==
          std::vector<std::int64_t>{7, 2, 0});
    const H5::Group meta = file.openGroup("/meta");
    CHECK(myelin::io::h5::string_attribute(meta, "algorithm") == "tempotron");
    CHECK(myelin::io::h5::string_attribute(meta, "config") == valid);
    CHECK(myelin::io::h5::numeric_attribute<std::int64_t>(meta, "seed") == 3);
    file.close();
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++entries;
    CHECK(entries == 1);
    std::filesystem::remove_all(dir);
}
