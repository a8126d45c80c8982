// The Hao et al. network loop (ALGORITHMS.md 3.2-3.6): training only potentiates between two
// scalings, scaling restores every E neuron's input sum, testing changes nothing, and test
// results do not depend on the thread count.
#include "learning/sym_stdp_training.hpp"
#include "sim/random.hpp"

#include <catch2/catch.hpp>

#include <tbb/global_control.h>

#include <cmath>

using namespace myelin::learning;

namespace {

// Two classes of 8x8 images: a bright left half or a bright right half, with Philox noise.
LabelledImages halves(std::size_t count, std::uint64_t seed) {
    LabelledImages set;
    set.pixels_per_image = 64;
    const auto key = myelin::sim::RandomKey::make(seed, myelin::sim::RandomPurpose::synthetic_data, 0);
    for (std::size_t n = 0; n < count; ++n) {
        const int label = static_cast<int>(n % 2);
        for (std::uint32_t p = 0; p < 64; ++p) {
            const bool bright = (p % 8 < 4) == (label == 0);
            const auto r = myelin::sim::philox(key, static_cast<std::uint32_t>(n), p, 0);
            set.pixels.push_back(static_cast<std::uint8_t>((bright ? 200 : 0) + r[0] % 40));
        }
        set.labels.push_back(static_cast<std::uint8_t>(label));
    }
    return set;
}

SymStdpNetworkParams small_network() {
    SymStdpNetworkParams p;
    p.n_input = 64;
    p.n_exc = 12;
    p.n_classes = 2;
    p.input_weight_sum = 0.1 * 64;
    p.class_weight_sum = 5 * 8.0;   // five E neurons at w_max: enough for C to fire on a dozen E neurons
    p.intensity = 8.0;        // 64 inputs instead of 784: brighter, so E fires without re-presentations
    p.min_exc_spikes = 0.0;   // and no re-presentation, so no scaling happens inside a sample
    return p;
}

double column_sum(const std::vector<float>& w, std::size_t rows, std::size_t columns, std::size_t i) {
    double sum = 0.0;
    for (std::size_t j = 0; j < rows; ++j) sum += w[j * columns + i];
    return sum;
}

}  // namespace

TEST_CASE("within a training sample weights only grow, scaling brings each E neuron back to S_E",
          "[learning][sym_stdp][network]") {
    const SymStdpNetworkParams p = small_network();
    SymStdpNetwork network(p, 3);
    const LabelledImages set = halves(4, 3);
    network.scale_weights(Phase::train);
    for (std::size_t s = 0; s < set.size(); ++s) {
        const std::vector<float> before = network.weights().input_exc;
        const std::vector<float> before_cls = network.weights().exc_cls;
        const SampleResponse response = network.train(set.image(s), set.labels[s], static_cast<std::uint32_t>(s));
        const std::vector<float>& after = network.weights().input_exc;
        std::size_t grown = 0;
        // The rescale at the start of train() multiplies by S_E/sum = 1 up to float rounding (1e-6).
        // Scaling may lift a weight above w_max; the rule's clip then lowers it to w_max, no further.
        const auto w_max_input = static_cast<float>(p.input_rule.w_max), w_max_class = static_cast<float>(p.class_rule.w_max);
        for (std::size_t k = 0; k < after.size(); ++k) {
            CHECK(after[k] >= std::min(before[k], w_max_input) * (1.f - 1e-6f));
            grown += after[k] > before[k] * (1.f + 1e-6f);
        }
        for (std::size_t k = 0; k < before_cls.size(); ++k)
            CHECK(network.weights().exc_cls[k] >= std::min(before_cls[k], w_max_class) * (1.f - 1e-6f));
        std::size_t spikes = 0;
        for (const auto c : response.exc_counts) spikes += c;
        CAPTURE(s, spikes);
        CHECK(spikes > 0);
        CHECK(grown > 0);   // E fired, so some inputs were potentiated
        network.scale_weights(Phase::train);
        for (std::size_t i = 0; i < p.n_exc; ++i)
            CHECK(column_sum(network.weights().input_exc, p.n_input, p.n_exc, i) == Approx(p.input_weight_sum).epsilon(1e-6));
        for (std::size_t c = 0; c < p.n_classes; ++c)
            CHECK(column_sum(network.weights().exc_cls, p.n_exc, p.n_classes, c) == Approx(p.class_weight_sum).epsilon(1e-6));
    }
}

TEST_CASE("the teacher makes the true class's C neuron the only one that fires in training", "[learning][sym_stdp][network]") {
    SymStdpNetwork network(small_network(), 5);
    const LabelledImages set = halves(2, 5);
    const SampleResponse response = network.train(set.image(1), 1, 0);
    // 200 Hz for 350 ms: 70 expected (Bernoulli p = 0.1 per step, barred after a spike: ~64);
    // five standard deviations (~ 8 each) either side.
    CHECK(response.cls_counts[0] == 0);
    CHECK(response.cls_counts[1] > 20);
    CHECK(response.cls_counts[1] < 110);
}

TEST_CASE("testing changes no weight or threshold and gives the same answers on 1 and 2 threads",
          "[learning][sym_stdp][network]") {
    SymStdpTrainer trainer(small_network(), 11, 100.0);
    const LabelledImages train = halves(20, 11), test = halves(16, 12);
    trainer.train_epoch(train, 1000, {});
    const std::vector<float> weights = trainer.network().weights().input_exc;
    const std::vector<double> theta = trainer.network().weights().theta;
    TestResult results[2];
    for (const int threads : {1, 2}) {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
        results[threads - 1] = trainer.test(test);
    }
    CHECK(trainer.network().weights().input_exc == weights);
    CHECK(trainer.network().weights().theta == theta);
    CHECK(results[0].confusion_supervised == results[1].confusion_supervised);
    CHECK(results[0].confusion_vote == results[1].confusion_vote);
    std::uint32_t total = 0;
    for (const auto n : results[0].confusion_supervised) total += n;
    CHECK(total == test.size());
}

TEST_CASE("a small network learns to tell left from right halves well above chance", "[learning][sym_stdp][network]") {
    SymStdpTrainer trainer(small_network(), 2, 100.0);
    const LabelledImages train = halves(60, 21), test = halves(40, 22);
    trainer.train_epoch(train, 1000, {});
    const TestResult result = trainer.test(test);
    // Two classes; chance is 50%. The halves do not overlap, so both readouts should be near 100%;
    // 85% leaves room for the Poisson noise of 40 test samples.
    CHECK(result.accuracy_supervised >= 0.85);
    CHECK(result.accuracy_vote >= 0.85);
}

TEST_CASE("the schedule says what learns in each epoch", "[learning][sym_stdp][schedule]") {
    const SymStdpSchedule concurrent;   // ALGORITHMS.md 3.6 default: everything from the first sample
    for (std::size_t epoch : {1u, 2u, 20u}) {
        const Plasticity p = plasticity_in_epoch(concurrent, epoch);
        CHECK(p.hidden);
        CHECK(p.classes);
        CHECK(p.input_eta_scale == 1.0);
    }
    const SymStdpSchedule two_stage{.hidden_epochs = 1, .class_start_epoch = 1, .eta_input_decay = 0.5};
    CHECK(plasticity_in_epoch(two_stage, 1).hidden);
    CHECK_FALSE(plasticity_in_epoch(two_stage, 2).hidden);
    CHECK(plasticity_in_epoch(two_stage, 2).classes);
    CHECK(plasticity_in_epoch(two_stage, 3).input_eta_scale == 0.25);   // 0.5^2, exact in binary
    const SymStdpSchedule layer_by_layer{.hidden_epochs = 2, .class_start_epoch = 3};
    CHECK_FALSE(plasticity_in_epoch(layer_by_layer, 2).classes);
    CHECK(plasticity_in_epoch(layer_by_layer, 3).classes);
    CHECK_FALSE(plasticity_in_epoch(layer_by_layer, 3).hidden);
    // eta_class decays from the epoch E -> C starts learning: class_start_epoch, or the freeze when
    // the readouts are re-learned there. Powers of 0.5 are exact in binary.
    const SymStdpSchedule class_decay{.eta_class_decay = 0.5};
    CHECK(plasticity_in_epoch(class_decay, 1).class_eta_scale == 1.0);
    CHECK(plasticity_in_epoch(class_decay, 3).class_eta_scale == 0.25);
    const SymStdpSchedule relearn_decay{.hidden_epochs = 2, .relearn_readouts = true, .eta_class_decay = 0.5};
    for (std::size_t epoch : {1u, 2u, 3u}) CHECK(plasticity_in_epoch(relearn_decay, epoch).class_eta_scale == 1.0);
    CHECK(plasticity_in_epoch(relearn_decay, 4).class_eta_scale == 0.5);
    CHECK(plasticity_in_epoch(relearn_decay, 5).class_eta_scale == 0.25);
    CHECK(plasticity_in_epoch(concurrent, 7).class_eta_scale == 1.0);   // default: constant
    REQUIRE_THROWS_WITH(validate_schedule({.eta_class_decay = 1.5}), Catch::Contains("eta_class_decay = 1.5"));
    REQUIRE_THROWS_WITH(validate_schedule({.frozen_vote_memory = 0.5}), Catch::Contains("frozen_vote_memory = 0.5"));
    REQUIRE_THROWS_WITH(validate_schedule({.class_start_epoch = 0}), Catch::Contains("class_start_epoch = 0"));
    REQUIRE_THROWS_WITH(validate_schedule({.eta_input_decay = 0.0}), Catch::Contains("eta_input_decay = 0"));
}

TEST_CASE("a frozen hidden layer keeps its input weights and thresholds while E -> C goes on learning",
          "[learning][sym_stdp][schedule]") {
    SymStdpTrainer trainer(small_network(), 7, 100.0, {.hidden_epochs = 1});
    const LabelledImages train = halves(20, 7);
    const SymStdpEpochResult first = trainer.train_epoch(train, 1000, {});
    CHECK(first.plasticity.hidden);
    // The last sample's potentiation is scaled away at the start of the next sample: compare from there.
    trainer.network().scale_weights(Phase::train);
    const std::vector<float> input = trainer.network().weights().input_exc;
    const std::vector<float> classes = trainer.network().weights().exc_cls;
    const std::vector<double> theta = trainer.network().weights().theta;
    const SymStdpEpochResult second = trainer.train_epoch(train, 1000, {});
    CHECK_FALSE(second.plasticity.hidden);
    // Theta is not touched at all (the reference's tau_theta = 1e10, c_theta = 0): exact.
    CHECK(trainer.network().weights().theta == theta);
    // P -> E is only rescaled to S_E before each sample, a factor 1 up to float rounding
    // (~1e-7 per scaling, 20 scalings): 1e-5 relative is far below one learning step (eta * x ~ 1e-3).
    const std::vector<float>& input_after = trainer.network().weights().input_exc;
    for (std::size_t k = 0; k < input.size(); ++k) REQUIRE(input_after[k] == Approx(input[k]).epsilon(1e-5).margin(1e-9));
    double changed = 0.0;
    for (std::size_t k = 0; k < classes.size(); ++k)
        changed = std::max(changed, std::abs(static_cast<double>(trainer.network().weights().exc_cls[k] - classes[k])));
    CHECK(changed > 0.01);   // the teacher still drives E -> C learning
}

TEST_CASE("before class_start_epoch E -> C weights change only by scaling, a decayed eta equals a smaller eta",
          "[learning][sym_stdp][schedule]") {
    const SymStdpNetworkParams p = small_network();
    SymStdpTrainer trainer(p, 9, 100.0, {.class_start_epoch = 2});
    const std::vector<float> initial = trainer.network().weights().exc_cls;
    const LabelledImages train = halves(10, 9);
    trainer.train_epoch(train, 1000, {});
    // Scaling multiplies each C neuron's column by one factor: the ratios to the initial weights
    // agree within a column (float rounding of 10 scalings: 1e-5).
    const std::vector<float>& after = trainer.network().weights().exc_cls;
    for (std::size_t c = 0; c < p.n_classes; ++c)
        for (std::size_t i = 1; i < p.n_exc; ++i)
            CHECK(after[i * p.n_classes + c] / initial[i * p.n_classes + c] ==
                  Approx(after[c] / initial[c]).epsilon(1e-5));
    // A second route to the same numbers: eta_input scaled by the schedule (0.5 in epoch 2) against
    // eta_input halved in the parameters, from the same state.
    SymStdpNetworkParams halved = p;
    halved.input_rule.eta *= 0.5;
    SymStdpNetwork scheduled(p, 4), direct(halved, 4), full(p, 4);
    scheduled.set_plasticity({.input_eta_scale = 0.5});
    const LabelledImages one = halves(1, 4);
    scheduled.train(one.image(0), one.labels[0], 0);
    direct.train(one.image(0), one.labels[0], 0);
    full.train(one.image(0), one.labels[0], 0);
    CHECK(scheduled.weights().input_exc == direct.weights().input_exc);
    CHECK(scheduled.weights().input_exc != full.weights().input_exc);   // the scale does act
}

TEST_CASE("relearn_readouts: at the freeze E -> C returns to its initial weights and the votes start empty",
          "[learning][sym_stdp][schedule]") {
    const SymStdpNetworkParams p = small_network();
    const LabelledImages train = halves(20, 11);
    const double memory = 100.0;
    const SymStdpSchedule relearn{.hidden_epochs = 1, .relearn_readouts = true};
    SymStdpTrainer reset(p, 11, memory, relearn), kept(p, 11, memory, {.hidden_epochs = 1});
    const std::vector<float> initial = reset.network().weights().exc_cls;

    // The network's own reset draws the constructor's weights again, bit for bit, and leaves P -> E alone.
    SymStdpNetwork network(p, 11);
    network.train(train.image(0), train.labels[0], 0);
    const std::vector<float> fields = network.weights().input_exc;
    REQUIRE(network.weights().exc_cls != initial);   // the teacher has moved E -> C
    network.reset_class_weights();
    CHECK(network.weights().exc_cls == initial);
    CHECK(network.weights().input_exc == fields);

    // In the trainer the reset happens once, at the start of the first frozen epoch (epoch 2 here).
    CHECK_FALSE(relearns_readouts_in_epoch(relearn, 1));
    CHECK(relearns_readouts_in_epoch(relearn, 2));
    CHECK_FALSE(relearns_readouts_in_epoch(relearn, 3));
    CHECK_FALSE(relearns_readouts_in_epoch({.hidden_epochs = 1}, 2));   // off by default
    CHECK_FALSE(reset.train_epoch(train, 1000, {}).readouts_reset);
    kept.train_epoch(train, 1000, {});
    REQUIRE(reset.network().weights().exc_cls == kept.network().weights().exc_cls);   // the key changes nothing before
    // A second route: the plain two-stage trainer with E -> C reset by hand between the epochs
    // must give the same E -> C weights after epoch 2 (the votes do not feed back into learning).
    SymStdpTrainer by_hand(p, 11, memory, {.hidden_epochs = 1});
    by_hand.train_epoch(train, 1000, {});
    by_hand.network().reset_class_weights();
    CHECK(reset.train_epoch(train, 1000, {}).readouts_reset);
    kept.train_epoch(train, 1000, {});
    by_hand.train_epoch(train, 1000, {});
    CHECK(reset.network().weights().exc_cls == by_hand.network().weights().exc_cls);
    CHECK(reset.network().weights().exc_cls != kept.network().weights().exc_cls);
    // The votes: n adds at memory M from empty hold a weight of sum_{k<n} (1 - 1/M)^k. After the
    // clear only epoch 2's 20 samples count; without it both epochs' 40 do.
    const double keep = 1.0 - 1.0 / memory;
    CHECK(reset.vote().total_weight() == Approx((1.0 - std::pow(keep, 20)) / (1.0 - keep)).epsilon(1e-9));
    CHECK(kept.vote().total_weight() == Approx((1.0 - std::pow(keep, 40)) / (1.0 - keep)).epsilon(1e-9));
    // frozen_vote_memory replaces the memory from the freeze on: at 1e9 nothing is forgotten, so
    // epoch 2's 20 samples weigh 20 (less 190e-9 of forgetting).
    SymStdpTrainer long_memory(p, 11, memory, {.hidden_epochs = 1, .relearn_readouts = true, .frozen_vote_memory = 1e9});
    long_memory.train_epoch(train, 1000, {});
    long_memory.train_epoch(train, 1000, {});
    CHECK(long_memory.vote().total_weight() == Approx(20.0).epsilon(1e-6));
    CHECK(long_memory.network().weights().exc_cls == reset.network().weights().exc_cls);   // the votes do not feed back
    // Without a hidden layer that freezes there is nothing to re-learn on: a schedule error.
    REQUIRE_THROWS_WITH(validate_schedule({.relearn_readouts = true}),
                        Catch::Contains("relearn_readouts") && Catch::Contains("hidden_epochs >= 1"));
}

TEST_CASE("test_inhibition_scale softens the winner-take-all in testing only", "[learning][sym_stdp][network]") {
    const SymStdpNetworkParams p = small_network();
    SymStdpNetworkParams soft = p, none = p;
    soft.test_inhibition_scale = 0.5;
    none.test_inhibition_scale = 0.0;
    const LabelledImages train = halves(10, 13), test = halves(6, 14);
    SymStdpNetwork hard_net(p, 13), soft_net(soft, 13), none_net(none, 13);
    for (std::size_t s = 0; s < train.size(); ++s)
        for (SymStdpNetwork* net : {&hard_net, &soft_net, &none_net}) net->train(train.image(s), train.labels[s], static_cast<std::uint32_t>(s));
    // Training does not see the key: the same weights and thresholds, bit for bit.
    REQUIRE(soft_net.weights().input_exc == hard_net.weights().input_exc);
    REQUIRE(none_net.weights().exc_cls == hard_net.weights().exc_cls);
    REQUIRE(none_net.weights().theta == hard_net.weights().theta);
    // Without I -> E in testing the E neurons are independent given the input spikes (drawn per
    // pixel, not per neuron): silencing neuron 0's inputs leaves every other count unchanged.
    // With the training inhibition, neuron 0's spikes (through its I partner) hold the others back.
    std::size_t hard_spikes = 0, none_spikes = 0;
    for (std::size_t s = 0; s < test.size(); ++s) {
        const auto serial = static_cast<std::uint32_t>(s);
        SymStdpState state = none_net.fresh_state();
        const SampleResponse all = none_net.test(test.image(s), serial, state);
        SymStdpNetwork silenced = none_net;
        for (std::size_t j = 0; j < p.n_input; ++j) silenced.weights().input_exc[j * p.n_exc] = 0.f;
        state = silenced.fresh_state();
        const SampleResponse without_0 = silenced.test(test.image(s), serial, state);
        CHECK(without_0.exc_counts[0] == 0);
        for (std::size_t i = 1; i < p.n_exc; ++i) CHECK(without_0.exc_counts[i] == all.exc_counts[i]);
        state = hard_net.fresh_state();
        for (const std::uint16_t c : hard_net.test(test.image(s), serial, state).exc_counts) hard_spikes += c;
        for (const std::uint16_t c : all.exc_counts) none_spikes += c;
    }
    CHECK(none_spikes > hard_spikes);   // softer competition: more E spikes per test image
    SymStdpNetworkParams bad = p;
    bad.test_inhibition_scale = 1.5;
    REQUIRE_THROWS_WITH(validate_sym_stdp_network(bad), Catch::Contains("test_inhibition_scale = 1.5"));
}
