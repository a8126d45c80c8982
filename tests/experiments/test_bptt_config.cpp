// The [bptt] table of `myelin train`: values land in the settings, every error names
// file:line:column, the key and the value; the shipped configs parse; the report reads back.
#include "experiments/bptt_report.hpp"
#include "experiments/train_config.hpp"
#include "io/hdf5_util.hpp"

#include "support/replace_once.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <unistd.h>

#include <filesystem>

using namespace myelin::cli;
using myelin::learning::BpttNeuron;
using Catch::Contains;

namespace {

const std::string valid = R"([train]
algorithm = "bptt"
seed = 7
[bptt]
neuron = "UltraDLIF"
hidden = 32
steps = 4
batch = 64
lr = 0.002
epochs = 3
sparsity = 0.1
encoding = "current"
train_samples = 500
)";

std::string with(const std::string& from, const std::string& to) { return myelin::test::replace_once(valid, from, to); }

}  // namespace

TEST_CASE("a bptt config sets the network, schedule and data", "[experiments][bptt]") {
    const TrainSpec spec = parse_train_config(valid, "b.toml");
    const auto& s = spec.bptt.settings;
    CHECK(spec.algorithm == "bptt");
    CHECK(s.shape.neuron == BpttNeuron::ultra_dlif);
    CHECK(s.shape.hidden == 32);
    CHECK(s.shape.steps == 4);
    CHECK(s.batch == 64);
    CHECK(s.learning_rate == 0.002);
    CHECK(s.epochs == 3);
    CHECK(s.shape.sparsity == 0.1);
    CHECK(s.encoding == myelin::learning::BpttEncoding::current);
    CHECK(spec.bptt.train_samples == 500);
    CHECK(spec.bptt.test_samples == 0);            // default: all
    CHECK(spec.bptt.dataset == "fashion-mnist");   // default
    CHECK(s.shape.eps == 1.0);                     // default kept
}

TEST_CASE("bptt config errors name the file, line, key and value", "[experiments][bptt]") {
    SECTION("misspelled key, with a suggestion") {
        REQUIRE_THROWS_WITH(parse_train_config(with("sparsity", "sparsty"), "b.toml"),
                            Contains("b.toml:11:") && Contains("unknown key \"sparsty\"") && Contains("did you mean \"sparsity\""));
    }
    SECTION("unknown neuron, with a suggestion") {
        REQUIRE_THROWS_WITH(parse_train_config(with("\"UltraDLIF\"", "\"UltraPLF\""), "b.toml"),
                            Contains("b.toml:5:") && Contains("UltraPLF") && Contains("did you mean \"UltraPLIF\""));
    }
    SECTION("out of range") {
        REQUIRE_THROWS_WITH(parse_train_config(with("steps = 4", "steps = 0"), "b.toml"),
                            Contains("b.toml:7:") && Contains("steps = 0 must be within [1, 2^30]"));
        REQUIRE_THROWS_WITH(parse_train_config(with("train_samples = 500", "train_samples = -1"), "b.toml"),
                            Contains("b.toml:13:") && Contains("train_samples = -1 must be within [0, 2^30]"));
        REQUIRE_THROWS_WITH(parse_train_config(with("lr = 0.002", "lr = -0.1"), "b.toml"),
                            Contains("b.toml:9:") && Contains("lr = -0.1 must be > 0"));
        REQUIRE_THROWS_WITH(parse_train_config(with("sparsity = 0.1", "eps = 50.0"), "b.toml"),
                            Contains("b.toml:11:") && Contains("eps = 50") && Contains("[0.1, 20]"));
    }
    SECTION("wrong type") {
        REQUIRE_THROWS_WITH(parse_train_config(with("hidden = 32", "hidden = \"32\""), "b.toml"),
                            Contains("b.toml:6:") && Contains("hidden must be an integer"));
    }
    SECTION("unknown dataset and encoding") {
        REQUIRE_THROWS_WITH(parse_train_config(valid + "dataset = \"fashion-mnst\"\n", "b.toml"),
                            Contains("b.toml:14:") && Contains("did you mean \"fashion-mnist\""));
        REQUIRE_THROWS_WITH(parse_train_config(with("\"current\"", "\"rates\""), "b.toml"),
                            Contains("b.toml:12:") && Contains("did you mean \"rate\""));
    }
}

TEST_CASE("the shipped BPTT configs parse", "[experiments][bptt]") {
    for (const std::string name : {"ultra_fashion", "ultra_fashion_lif", "ultra_fashion_sparse", "ultra_fashion_t10"}) {
        CAPTURE(name);
        const TrainSpec spec = load_train_config(MYELIN_SOURCE_DIR "/experiments/" + name + ".toml");
        CHECK(spec.algorithm == "bptt");
        CHECK(spec.bptt.settings.shape.hidden == 64);
        CHECK(spec.bptt.settings.batch == 128);
        CHECK(spec.bptt.settings.learning_rate == 1e-3);
    }
}

TEST_CASE("the BPTT report reads back what was written, and no temporary file stays", "[experiments][bptt]") {
    const TrainSpec spec = parse_train_config(valid, "b.toml");
    myelin::learning::BpttSettings settings = spec.bptt.settings;
    settings.shape.inputs = 6;
    settings.shape.hidden = 3;
    myelin::learning::BpttData data;
    data.inputs = 6;
    data.x.assign(6 * 4, 0.5f);
    data.labels = {0, 1, 2, 3};
    const myelin::learning::BpttTrainer trainer(settings, data, 1);
    BpttReport report;
    report.epochs.push_back({1, {0.9, 0.5, 0.3}, {1.1, 0.4, 0.25}, 0.8, 2.0});
    report.epochs.push_back({2, {0.7, 0.6, 0.2}, {0.9, 0.55, 0.2}, 0.7, 2.5});
    const auto dir = std::filesystem::temp_directory_path() / ("myelin_bptt_report_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const std::string path = (dir / "report.h5").string();
    write_bptt_report(path, spec, report, trainer);
    H5::H5File file(path, H5F_ACC_RDONLY);
    using myelin::io::h5::read_vector;
    CHECK(read_vector<double>(file.openDataSet("/epochs/test_accuracy")) == std::vector<double>{0.4, 0.55});
    CHECK(read_vector<double>(file.openDataSet("/epochs/spike_rate")) == std::vector<double>{0.3, 0.2});
    CHECK(read_vector<double>(file.openDataSet("/epochs/loss")) == std::vector<double>{0.9, 0.7});
    // w1 is [hidden][inputs]: row 1, column 2 is the weight from input 2 to hidden neuron 1.
    const auto& p = trainer.network().parameters();
    const auto w1 = read_vector<float>(file.openDataSet("/network/w1"));
    REQUIRE(w1.size() == 18);
    CHECK(w1[1 * 6 + 2] == p[trainer.network().layout().w1 + 2 * 3 + 1]);
    const auto tau = read_vector<double>(file.openDataSet("/network/tau"));
    CHECK(tau.size() == 3);
    CHECK(tau[0] == Approx(0.9).epsilon(1e-6));
    CHECK(myelin::io::h5::string_attribute(file.openGroup("/meta"), "neuron") == "UltraDLIF");
    file.close();
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++entries;
    CHECK(entries == 1);
    std::filesystem::remove_all(dir);
}
