// `myelin train` configs with algorithm = "sym_stdp": the [data] and [sym_stdp] tables set the
// network, and every mistake names file:line:column, the key and the value.
#include "experiments/train_config.hpp"

#include "support/replace_once.hpp"

#include <catch2/catch.hpp>

using namespace myelin::cli;
using Catch::Contains;

namespace {

const std::string valid = R"([train]
algorithm = "sym_stdp"
seed = 4
cycles = 2
[data]
dataset = "fashion-mnist"
train_samples = 500
classes = [0, 1, 7, 9]
mean_pixel = 30.0
[sym_stdp]
n_exc = 100
exc_v_thresh = -60.0
eta_input = 0.02
eta_class = 0.32
w_max_class = 40.0
input_weight_sum = 19.6
class_weight_sum = 800.0
tau_theta = 5e7
c_theta = 0.05
report_every = 250
)";

std::string with(const std::string& from, const std::string& to) { return myelin::test::replace_once(valid, from, to); }

}  // namespace

TEST_CASE("a sym_stdp train config sets the data, the network and the protocol", "[experiments][train][sym_stdp]") {
    const TrainSpec spec = parse_train_config(valid, "s.toml");
    CHECK(spec.algorithm == "sym_stdp");
    CHECK(spec.cycles == 2);
    const SymStdpSpec& s = spec.sym_stdp;
    CHECK(s.data.dataset == "fashion-mnist");
    CHECK(s.data.train_samples == 500);
    CHECK(s.data.test_samples == 0);
    CHECK(s.data.classes == std::vector<int>{0, 1, 7, 9});
    CHECK(s.data.mean_pixel == 30.0);
    CHECK(s.network.n_exc == 100);
    CHECK(s.network.exc_v_thresh == -60.0);
    CHECK(s.network.input_rule.eta == 0.02);
    CHECK(s.network.class_rule.eta == 0.32);
    CHECK(s.network.class_rule.w_max == 40.0);
    CHECK(s.network.input_weight_sum == 19.6);
    CHECK(s.network.class_weight_sum == 800.0);
    CHECK(s.network.threshold.tau_theta == 5e7);
    CHECK(s.network.threshold.c_theta == 0.05);
    CHECK(s.report_every == 250);
    CHECK(s.network.exc_tau_m == 100.0);   // untouched keys keep the paper's values
}

TEST_CASE("the sym_stdp schedule keys default to concurrent learning and are read when given", "[experiments][train][sym_stdp]") {
    const SymStdpSpec defaults = parse_train_config(valid, "s.toml").sym_stdp;
    CHECK(defaults.schedule.hidden_epochs == 0);     // ALGORITHMS.md 3.6: everything learns from sample 0
    CHECK(defaults.schedule.class_start_epoch == 1);
    CHECK(defaults.schedule.eta_input_decay == 1.0);
    CHECK(defaults.data.validation_samples == 0);
    const SymStdpSpec s = parse_train_config(with("report_every = 250", "report_every = 250\nhidden_epochs = 1\n"
                                                  "class_start_epoch = 2\neta_input_decay = 0.5")
                                                 , "s.toml").sym_stdp;
    CHECK(s.schedule.hidden_epochs == 1);
    CHECK(s.schedule.class_start_epoch == 2);
    CHECK(s.schedule.eta_input_decay == 0.5);
    CHECK_FALSE(s.schedule.relearn_readouts);   // off unless asked: existing runs stay bit-identical
    CHECK(s.schedule.eta_class_decay == 1.0);
    CHECK(s.schedule.frozen_vote_memory == 0.0);
    const SymStdpSpec r = parse_train_config(with("report_every = 250", "report_every = 250\nhidden_epochs = 2\n"
                                                  "eta_class_decay = 0.25\nfrozen_vote_memory = 60000"), "s.toml").sym_stdp;
    CHECK(r.schedule.eta_class_decay == 0.25);
    CHECK(r.schedule.frozen_vote_memory == 60000.0);
    CHECK(r.network.test_inhibition_scale == 1.0);   // default: test with the training inhibition
    CHECK(parse_train_config(with("report_every = 250", "report_every = 250\ntest_inhibition_scale = 0.5"), "s.toml")
              .sym_stdp.network.test_inhibition_scale == 0.5);
    CHECK(parse_train_config(with("report_every = 250", "report_every = 250\nhidden_epochs = 2\nrelearn_readouts = true"),
                             "s.toml").sym_stdp.schedule.relearn_readouts);
    CHECK(parse_train_config(with("train_samples = 500", "train_samples = 500\nvalidation_samples = 300"), "s.toml")
              .sym_stdp.data.validation_samples == 300);
}

TEST_CASE("sym_stdp config errors name file:line:column, the key and the value", "[experiments][train][sym_stdp]") {
    SECTION("a bad schedule value names the key and the value") {
        REQUIRE_THROWS_WITH(parse_train_config(with("report_every = 250", "report_every = 250\nclass_start_epoch = 0"), "s.toml"),
                            Contains("s.toml:21:21") && Contains("class_start_epoch = 0"));
        REQUIRE_THROWS_WITH(parse_train_config(with("report_every = 250", "report_every = 250\neta_input_decay = 1.5"), "s.toml"),
                            Contains("s.toml:21:19") && Contains("eta_input_decay = 1.5") && Contains("(0, 1]"));
        REQUIRE_THROWS_WITH(parse_train_config(with("report_every = 250", "report_every = 250\nhidden_epochs = -1"), "s.toml"),
                            Contains("s.toml:21:17") && Contains("hidden_epochs = -1"));
        REQUIRE_THROWS_WITH(parse_train_config(with("report_every = 250", "report_every = 250\nhidden_epochs = \"one\""), "s.toml"),
                            Contains("s.toml:21:17") && Contains("hidden_epochs"));
        REQUIRE_THROWS_WITH(parse_train_config(with("report_every = 250", "report_every = 250\neta_class_decay = 0"), "s.toml"),
                            Contains("s.toml:21:19") && Contains("eta_class_decay = 0") && Contains("(0, 1]"));
        REQUIRE_THROWS_WITH(parse_train_config(with("report_every = 250", "report_every = 250\nfrozen_vote_memory = \"all\""), "s.toml"),
                            Contains("s.toml:21:22") && Contains("frozen_vote_memory") && Contains("number"));
        REQUIRE_THROWS_WITH(parse_train_config(with("report_every = 250", "report_every = 250\ntest_inhibition_scale = 2"), "s.toml"),
                            Contains("s.toml:21:25") && Contains("test_inhibition_scale = 2") && Contains("[0, 1]"));
        REQUIRE_THROWS_WITH(parse_train_config(with("report_every = 250", "report_every = 250\nrelearn_readouts = 1"), "s.toml"),
                            Contains("s.toml:21:20") && Contains("relearn_readouts") && Contains("true or false"));
        REQUIRE_THROWS_WITH(parse_train_config(with("report_every = 250", "report_every = 250\nrelearn_readouts = true"), "s.toml"),
                            Contains("s.toml:21:20") && Contains("relearn_readouts = true") && Contains("hidden_epochs >= 1"));
        REQUIRE_THROWS_WITH(parse_train_config(with("train_samples = 500", "train_samples = 500\nvalidation_samples = -3"), "s.toml"),
                            Contains("s.toml:8:22") && Contains("validation_samples = -3"));
    }
    SECTION("a misspelled key is named with a suggestion") {
        REQUIRE_THROWS_WITH(parse_train_config(with("eta_input =", "eta_imput ="), "s.toml"),
                            Contains("s.toml:13:1") && Contains("eta_imput") && Contains("eta_input"));
    }
    SECTION("an out-of-range value names the key and the value") {
        REQUIRE_THROWS_WITH(parse_train_config(with("eta_input = 0.02", "eta_input = -0.5"), "s.toml"),
                            Contains("s.toml:13:13") && Contains("eta_input = -0.5") && Contains(">= 0"));
        REQUIRE_THROWS_WITH(parse_train_config(with("tau_theta = 5e7", "tau_theta = 0"), "s.toml"),
                            Contains("s.toml:18:13") && Contains("tau_theta = 0"));
        REQUIRE_THROWS_WITH(parse_train_config(with("n_exc = 100", "n_exc = 0"), "s.toml"),
                            Contains("s.toml:11:9") && Contains("n_exc = 0"));
    }
    SECTION("a wrong type is named") {
        REQUIRE_THROWS_WITH(parse_train_config(with("c_theta = 0.05", "c_theta = \"a lot\""), "s.toml"),
                            Contains("s.toml:19:11") && Contains("c_theta"));
    }
    SECTION("an unknown dataset and a bad class list are named") {
        REQUIRE_THROWS_WITH(parse_train_config(with("\"fashion-mnist\"", "\"fashion_mnist\""), "s.toml"),
                            Contains("s.toml:6:11") && Contains("did you mean \"fashion-mnist\""));
        REQUIRE_THROWS_WITH(parse_train_config(with("[0, 1, 7, 9]", "[0, 1, 12]"), "s.toml"),
                            Contains("s.toml:8:11") && Contains("classes"));
    }
    SECTION("a table of another algorithm is refused") {
        REQUIRE_THROWS_WITH(parse_train_config(valid + "[tempotron]\ntau = 10.0\n", "s.toml"),
                            Contains("s.toml:21:1") && Contains("[tempotron]") && Contains("sym_stdp"));
    }
}
