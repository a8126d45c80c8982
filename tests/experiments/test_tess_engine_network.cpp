// A TESS-trained network written as an engine checkpoint (experiments/tess_engine_network.hpp)
// and run by the engine gives, for every test image, the class and the logits the trainer
// computes for it (issue 7: "train here, run anywhere").
#include "experiments/tess_engine_network.hpp"
#include "io/datasets.hpp"

#include "support/scratch_dir.hpp"
#include "support/trained_engine.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

using namespace myelin;

namespace {

learning::ImageData to_data(const io::ImageSet& images) {
    learning::ImageData data;
    data.inputs = images.pixels_per_image();
    data.labels = images.labels;
    for (const std::uint8_t p : images.pixels) data.x.push_back(static_cast<float>(p) / 255.0f);
    return data;
}

struct Case {
    std::vector<std::size_t> hidden;
    std::size_t steps;
    learning::InputEncoding encoding;
};

}  // namespace

TEST_CASE("a TESS-trained network run from its checkpoint in the engine predicts every test image as the trainer",
          "[experiments][tess][issue-7]") {
    const Case c = GENERATE(Case{{32, 32}, 6, learning::InputEncoding::current},
                            Case{{24}, 4, learning::InputEncoding::rate},
                            Case{{32, 24, 16}, 5, learning::InputEncoding::current});
    CAPTURE(c.hidden.size(), c.steps, learning::input_encoding_name(c.encoding));
    const test::ScratchDir dir("tess_engine");
    test::write_digit_package(dir.path / "digits");
    const std::string package = (dir.path / "digits").string();
    const learning::ImageData train = to_data(io::load_dataset("mnist", io::Split::train, package));
    const learning::ImageData test = to_data(io::load_dataset("mnist", io::Split::test, package));
    REQUIRE(test.size() == 100);

    learning::TessSettings settings;
    settings.shape.inputs = train.inputs;
    settings.shape.hidden = c.hidden;
    settings.shape.steps = c.steps;
    settings.encoding = c.encoding;
    settings.batch = 32;
    settings.learning_rate = 1e-2;
    const std::uint64_t seed = 23;
    learning::TessTrainer trainer(settings, learning::TessLearner::tess, train, seed);
    for (int epoch = 0; epoch < 5; ++epoch) trainer.run_epoch();
    // The trainer's logits: its own evaluation path (test-set encoding, float network).
    std::vector<std::uint32_t> indices(test.size());
    std::iota(indices.begin(), indices.end(), 0u);
    learning::TessNetwork<float>::Matrix logits;
    const auto input = [&](std::size_t t) { return trainer.encoder().step(test, indices, 1, 0, t); };
    const learning::TessBatchStats stats = trainer.network().evaluate(input, test.labels, test.size(), &logits);
    CHECK(stats.correct > 30);  // trained: well above chance (10 of 100)

    const cli::Catalogue catalogue;
    cli::ImageEngineInput engine_input;
    engine_input.dataset = "mnist";
    engine_input.directory = package;
    engine_input.count = test.size();
    engine_input.source = dir / "train.toml";
    const std::string checkpoint = dir / "net.ckpt.h5";
    cli::write_tess_engine_checkpoint(checkpoint, trainer, seed, engine_input, catalogue.models, catalogue.rules);

    const std::size_t depth = c.hidden.size() + 1;
    const auto engine = test::engine_logits(checkpoint, depth, 2);
    REQUIRE(engine.size() == test.size());
    std::size_t same_class = 0;
    double largest_difference = 0.0;
    for (std::size_t n = 0; n < test.size(); ++n) {
        REQUIRE(engine[n].size() == 10);
        std::vector<double> trainer_logits(10);
        for (std::size_t k = 0; k < 10; ++k) {
            trainer_logits[k] = logits(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(n));
            largest_difference = std::max(largest_difference, std::fabs(engine[n][k] - trainer_logits[k]));
        }
        same_class += test::argmax(engine[n].data(), 10) == test::argmax(trainer_logits.data(), 10);
    }
    CAPTURE(largest_difference);
    // Every class the same, and the logits to float rounding: the hidden layers' spikes are
    // identical (one spike more or less moves a logit by |w|/T, about 1e-2 here), and what is
    // left is the order of the float sums (Eigen's products against the engine's float input
    // rows) and the Integrator's double sum of them: measured at most 7.2e-7 over the three
    // cases; 1e-5 leaves a factor 14 for other compilers and vector widths.
    CHECK(same_class == test.size());
    CHECK(largest_difference < 1e-5);

    // Determinism: the engine's logits do not depend on the thread count.
    CHECK(test::engine_logits(checkpoint, depth, 1) == engine);

    // The test can fail: thresholds 5% higher (a plausible slip, e.g. theta = threshold where
    // the trainer uses max(threshold, 0.5)) move the logits far beyond the tolerance.
    const std::string theta = cli::toml_exact(1.05 * static_cast<float>(settings.shape.neuron.theta()));
    std::vector<std::string> higher;
    for (std::size_t l = 1; l <= c.hidden.size(); ++l)
        higher.push_back("population.hidden" + std::to_string(l) + ".params.v_thresh=" + theta);
    const auto perturbed = test::engine_logits(checkpoint, depth, 2, higher);
    double perturbed_difference = 0.0;
    for (std::size_t n = 0; n < test.size(); ++n)
        for (std::size_t k = 0; k < 10; ++k)
            perturbed_difference = std::max(perturbed_difference, std::fabs(perturbed[n][k] - engine[n][k]));
    CHECK(perturbed_difference > 0.01);
}
