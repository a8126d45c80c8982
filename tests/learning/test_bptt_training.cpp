// The BPTT trainer (learning/bptt_training.hpp): the same parameters on 1 and 2 threads, rate
// encoding at its nominal probability, and (hidden tag, needs dataset-fashion-mnist) a short
// Fashion-MNIST run that learns well above chance.
#include "io/datasets.hpp"
#include "learning/bptt_training.hpp"

#include <catch2/catch.hpp>

#include <tbb/global_control.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>

using namespace myelin::learning;

namespace {

// Random images with a class-dependent bright band, so there is something to learn.
BpttData synthetic_data(std::size_t samples, std::size_t inputs, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> value(0.0f, 0.5f);
    BpttData data;
    data.inputs = inputs;
    for (std::size_t n = 0; n < samples; ++n) {
        const auto label = static_cast<std::uint8_t>(n % 10);
        data.labels.push_back(label);
        for (std::size_t k = 0; k < inputs; ++k) data.x.push_back(value(rng) + (k % 10 == label ? 0.5f : 0.0f));
    }
    return data;
}

BpttSettings small_settings(BpttNeuron neuron, std::size_t steps) {
    BpttSettings s;
    s.shape.neuron = neuron;
    s.shape.inputs = 50;
    s.shape.hidden = 16;
    s.shape.steps = steps;
    s.batch = 100;  // four parts of 32 and one of 4: the reduction order is exercised
    return s;
}

std::vector<float> train_on_threads(const BpttSettings& settings, const BpttData& data, int threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    BpttTrainer trainer(settings, data, 9);
    trainer.run_epoch();
    trainer.run_epoch();
    return trainer.network().parameters();
}

}  // namespace

TEST_CASE("BPTT training gives identical parameters on 1 and 2 threads", "[learning][bptt]") {
    const BpttNeuron neuron = GENERATE(BpttNeuron::ultra_plif, BpttNeuron::ultra_dlif, BpttNeuron::lif);
    const BpttSettings settings = small_settings(neuron, 3);
    const BpttData data = synthetic_data(400, 50, 4);
    const auto one = train_on_threads(settings, data, 1), two = train_on_threads(settings, data, 2);
    REQUIRE(one.size() == two.size());
    CHECK(one == two);  // exact: no Approx
    BpttTrainer fresh(settings, data, 9);
    CHECK(one != fresh.network().parameters());  // training moved them
}

TEST_CASE("rate encoding spikes with probability gain * x", "[learning][bptt]") {
    // 784 pixels at x = 0.6, gain 0.5, 50 samples x 4 steps: 156,800 Bernoulli(0.3) draws; the
    // mean is within 5 standard errors (5 * sqrt(0.21/156800) = 0.0058) of 0.3.
    BpttSettings settings = small_settings(BpttNeuron::ultra_plif, 4);
    settings.shape.inputs = 784;
    BpttData data;
    data.inputs = 784;
    data.x.assign(50 * 784, 0.6f);
    data.labels.assign(50, 0);
    const BpttTrainer trainer(settings, data, 3);
    std::vector<std::uint32_t> indices(50);
    for (std::uint32_t k = 0; k < 50; ++k) indices[k] = k;
    const auto inputs = trainer.encode(data, indices, 0, 0);
    double sum = 0.0;
    for (const auto& x : inputs) sum += static_cast<double>(x.sum());
    CHECK(sum / (50.0 * 4 * 784) == Approx(0.3).margin(0.0058));
    CHECK(trainer.encode(data, indices, 0, 1)[0] != inputs[0]);  // fresh draws every epoch
    CHECK(trainer.encode(data, indices, 0, 0)[0] == inputs[0]);  // and the same ones again for the same epoch
}

TEST_CASE("UltraPLIF learns Fashion-MNIST well above chance in two short epochs", "[.][bptt-fashion]") {
    const std::string dir = myelin::io::fashion_mnist_directory();
    if (!std::filesystem::exists(dir + "/t10k-images-idx3-ubyte.gz")) {
        std::cout << "Fashion-MNIST (dataset-fashion-mnist) not installed: skipped\n";
        std::exit(77);
    }
    const auto to_data = [](const myelin::io::ImageSet& images, std::size_t n) {
        BpttData data;
        data.inputs = images.pixels_per_image();
        data.labels.assign(images.labels.begin(), images.labels.begin() + static_cast<std::ptrdiff_t>(n));
        for (std::size_t k = 0; k < n * data.inputs; ++k) data.x.push_back(static_cast<float>(images.pixels[k]) / 255.0f);
        return data;
    };
    const BpttData train = to_data(myelin::io::load_fashion_mnist(myelin::io::Split::train), 4000);
    const BpttData test = to_data(myelin::io::load_fashion_mnist(myelin::io::Split::test), 1000);
    BpttSettings settings;  // the paper's network: 784-64-10, T = 1, rate encoding, Adam
    settings.batch = 64;
    settings.learning_rate = 3e-3;
    BpttTrainer trainer(settings, train, 42);
    const double before = trainer.evaluate(test).accuracy;
    trainer.run_epoch();
    trainer.run_epoch();
    const double after = trainer.evaluate(test).accuracy;
    CAPTURE(before, after);
    // Chance is 10% (balanced classes). Pixel-wise nearest-class-mean reaches ~68% on Fashion-MNIST;
    // 60% after 250 Adam steps on 4,000 images is far above chance (1,000 test images: the standard
    // error of an accuracy near 0.7 is 1.4 points).
    CHECK(before < 0.3);
    CHECK(after > 0.60);
}
