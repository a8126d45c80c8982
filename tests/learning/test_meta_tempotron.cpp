// The meta trainer's Tempotron rule and the three ways its learning threshold moves
// (tempotron_threshold: error, homeostasis, error_homeostasis), against values computed by hand
// for a two-neuron layer on one short sample; then the homeostasis's set point on the rate task
// (learning/meta_local_rules.cpp; docs/learning.md "Meta neuron").
#include "learning/meta_training.hpp"

#include <catch2/catch.hpp>

using namespace myelin::learning;
using Approx = Catch::Detail::Approx;

namespace {

// One input spiking at steps 0, 1 and 2 of 5; label 0, so neuron 0 should reach its threshold
// and neuron 1 should not.
SpikeSample three_spikes() {
    SpikeSample sample;
    sample.steps = 5;
    sample.step_start = {0, 1, 2, 3, 3, 3};
    sample.inputs = {0, 0, 0};
    sample.label = 0;
    return sample;
}

constexpr double lambda = 0.1, intrinsic_rate = 0.05, homeostasis_rate = 0.01;

// beta = 1/2 for both. Neuron 0: w = 0.5, theta = 1.2. Its membrane 0.5, 0.75, 0.875, 0.4375,
// 0.21875 peaks at t_max = 2 below threshold: a miss. Neuron 1: w = 1, theta = 0.6: 1, 1.5,
// 1.75, ... peaks at t_max = 2 above it: a false alarm. Temperatures of 1e-6 make the stochastic
// neurons deterministic (every |v - theta| below is >= 0.3, so p is 0 or 1 to double precision).
MetaTrainer trainer_with(TempotronThreshold mode, bool learn_threshold) {
    MetaTrainParams p;
    p.rule = MetaRule::tempotron;
    p.learn.threshold = learn_threshold;
    p.tempotron_rate = lambda;
    p.tempotron_intrinsic_rate = intrinsic_rate;
    p.tempotron_threshold = mode;
    p.tempotron_target_rate = 100.0;  // Hz at dt = 1 ms: 0.1 spikes per step, 0.5 per sample
    p.tempotron_homeostasis_rate = homeostasis_rate;
    MetaTrainer trainer(p, 1, 2, 1);
    MetaParameters& params = trainer.parameters();
    const double weights[] = {0.5, 1.0}, thresholds[] = {1.2, 0.6};
    for (std::size_t k = 0; k < 2; ++k) {
        params.weight(k, 0) = weights[k];
        params.set_decay(k, 0.5);
        params.set_threshold(k, thresholds[k]);
        params.set_temperature(k, 1e-6);
    }
    return trainer;
}

}  // namespace

TEST_CASE("the Tempotron step on the meta layer: weights by the leaky kernel, threshold against the error",
          "[learning][meta][tempotron]") {
    MetaTrainer trainer = trainer_with(TempotronThreshold::error, true);
    const EpochResult epoch = trainer.train_epoch({three_spikes()});
    const MetaParameters& params = trainer.parameters();
    // dV(t_max)/dw = beta^2 + beta + 1 = 1.75 for both neurons.
    CHECK(params.weight(0, 0) == Approx(0.5 + lambda * 1.75).epsilon(1e-12));
    CHECK(params.weight(1, 0) == Approx(1.0 - lambda * 1.75).epsilon(1e-12));
    CHECK(params.threshold(0) == Approx(1.2 - intrinsic_rate).epsilon(1e-12));  // miss: down
    CHECK(params.threshold(1) == Approx(0.6 + intrinsic_rate).epsilon(1e-12));  // false alarm: up
    CHECK(params.decay(0) == Approx(0.5).epsilon(1e-12));                         // decay does not learn
    CHECK(epoch.loss == Approx(1.0));                                             // both neuron trials wrong
}

TEST_CASE("the Tempotron threshold's homeostasis: theta += rate (s - target) every step of the sample",
          "[learning][meta][tempotron]") {
    // Neuron 0 never fires (v <= 0.875 < theta): theta moves by rate * (0 - 0.5). Neuron 1 fires
    // at steps 0, 1 and 2 (v = 1 each time after the reset, theta <= 0.63) and not at 3 and 4
    // (v = 0): theta moves by rate * (3 - 0.5).
    const double homeostatic_0 = 1.2 + homeostasis_rate * (0.0 - 0.5);
    const double homeostatic_1 = 0.6 + homeostasis_rate * (3.0 - 0.5);
    SECTION("alone") {
        MetaTrainer trainer = trainer_with(TempotronThreshold::homeostasis, true);
        trainer.train_epoch({three_spikes()});
        CHECK(trainer.parameters().threshold(0) == Approx(homeostatic_0).epsilon(1e-12));
        CHECK(trainer.parameters().threshold(1) == Approx(homeostatic_1).epsilon(1e-12));
        CHECK(trainer.parameters().weight(0, 0) == Approx(0.5 + lambda * 1.75).epsilon(1e-12));  // weights as before
    }
    SECTION("beside the error step (the default): the two steps add") {
        MetaTrainer trainer = trainer_with(TempotronThreshold::error_homeostasis, true);
        trainer.train_epoch({three_spikes()});
        CHECK(trainer.parameters().threshold(0) == Approx(homeostatic_0 - intrinsic_rate).epsilon(1e-12));
        CHECK(trainer.parameters().threshold(1) == Approx(homeostatic_1 + intrinsic_rate).epsilon(1e-12));
    }
    SECTION("a fixed threshold stays fixed in every mode") {
        for (const TempotronThreshold mode :
             {TempotronThreshold::error, TempotronThreshold::homeostasis, TempotronThreshold::error_homeostasis}) {
            MetaTrainer trainer = trainer_with(mode, false);
            trainer.train_epoch({three_spikes()});
            CHECK(trainer.parameters().threshold(0) == Approx(1.2).epsilon(1e-12));
            CHECK(trainer.parameters().threshold(1) == Approx(0.6).epsilon(1e-12));
        }
    }
}

TEST_CASE("tempotron_threshold names parse, and misspellings are suggested", "[learning][meta][tempotron]") {
    for (const TempotronThreshold mode :
         {TempotronThreshold::error, TempotronThreshold::homeostasis, TempotronThreshold::error_homeostasis})
        CHECK(parse_tempotron_threshold(tempotron_threshold_name(mode)) == mode);
    CHECK_THROWS_WITH(parse_tempotron_threshold("eror_homeostasis"), Catch::Contains("did you mean \"error_homeostasis\""));
    MetaTrainParams p;
    p.tempotron_target_rate = 0.0;
    CHECK_THROWS_WITH(validate_meta_train(p), Catch::Contains("tempotron_target_rate"));
}
