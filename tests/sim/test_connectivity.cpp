// Connector statistics and reproducibility (engine issue: connectors).
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

using myelin::test::parse;

namespace {

std::string two_populations(const std::string& connect, int n_pre = 300, int n_post = 200, bool same = false) {
    return "[simulation]\nduration = 1.0\nseed = 5\n"
           "[[population]]\nname = \"a\"\nsize = " + std::to_string(n_pre) + "\nmodel = \"IF_curr_exp\"\n"
           "[[population]]\nname = \"b\"\nsize = " + std::to_string(n_post) + "\nmodel = \"IF_curr_exp\"\n"
           "[[projection]]\nname = \"ab\"\npre = \"a\"\npost = \"" + (same ? "a" : "b") + "\"\nconnect = " + connect +
           "\nweight = { uniform = [0.1, 0.2] }\n";
}

myelin::sim::ConnectionTable connections(const std::string& toml, int threads = 1,
                                         const std::vector<std::string>& overrides = {}) {
    const auto run = parse(toml, overrides);
    const auto network = myelin::sim::build(run.network, myelin::test::catalogue().models, myelin::test::catalogue().rules, threads);
    return network.projections.at(0)->connections();
}

}  // namespace

TEST_CASE("fixed_number_pre gives every post neuron exactly n distinct inputs", "[sim][connectivity]") {
    const auto table = connections(two_populations("{ rule = \"fixed_number_pre\", n = 37 }"));
    std::map<std::uint32_t, std::set<std::uint32_t>> inputs;
    for (std::size_t s = 0; s < table.pre.size(); ++s) inputs[table.post[s]].insert(table.pre[s]);
    REQUIRE(inputs.size() == 200);
    for (const auto& [post, pres] : inputs) CHECK(pres.size() == 37);
    CHECK(table.pre.size() == 37u * 200u);
}

TEST_CASE("fixed_number_post gives every pre neuron exactly n outputs", "[sim][connectivity]") {
    const auto table = connections(two_populations("{ rule = \"fixed_number_post\", n = 11 }"));
    std::map<std::uint32_t, int> outputs;
    for (const auto pre : table.pre) ++outputs[pre];
    REQUIRE(outputs.size() == 300);
    for (const auto& [pre, n] : outputs) CHECK(n == 11);
}

TEST_CASE("fixed_probability's synapse count is within 4 sigma of p*Npre*Npost", "[sim][connectivity]") {
    const double p = 0.05, pairs = 300.0 * 200.0;
    for (const int seed : {1, 2, 3}) {
        CAPTURE(seed);
        const auto table = connections(two_populations("{ rule = \"fixed_probability\", p = 0.05 }"), 1,
                                       {"simulation.seed=" + std::to_string(seed)});
        const double sigma = std::sqrt(pairs * p * (1 - p));
        CHECK(std::abs(static_cast<double>(table.pre.size()) - p * pairs) < 4 * sigma);
    }
}

TEST_CASE("connectors without self-connections never connect a neuron to itself", "[sim][connectivity]") {
    for (const std::string rule : {"{ rule = \"fixed_probability\", p = 0.5, allow_self = false }",
                                   "{ rule = \"fixed_number_pre\", n = 299, allow_self = false }",
                                   "{ rule = \"all_to_all\", allow_self = false }",
                                   "{ rule = \"fixed_total_number\", n = 20000, allow_self = false }"}) {
        CAPTURE(rule);
        const auto table = connections(two_populations(rule, 300, 300, true));
        for (std::size_t s = 0; s < table.pre.size(); ++s) CHECK(table.pre[s] != table.post[s]);
    }
    const auto all = connections(two_populations("{ rule = \"all_to_all\", allow_self = false }", 300, 300, true));
    CHECK(all.pre.size() == 300u * 299u);
}

TEST_CASE("equal seeds give identical connectivity and weights, different seeds do not", "[sim][connectivity]") {
    const auto config = two_populations("{ rule = \"fixed_probability\", p = 0.1 }");
    const auto a = connections(config, 1), b = connections(config, 1);
    const auto c = connections(config, 1, {"simulation.seed=6"});
    CHECK(a.pre == b.pre);
    CHECK(a.post == b.post);
    CHECK(a.weight == b.weight);
    CHECK(a.post != c.post);
    for (const float w : a.weight) CHECK((w >= 0.1f && w <= 0.2f));
}

TEST_CASE("connectivity does not depend on the number of threads it was built with", "[sim][connectivity]") {
    for (const std::string rule : {"{ rule = \"fixed_probability\", p = 0.1 }", "{ rule = \"fixed_number_pre\", n = 20 }",
                                   "{ rule = \"fixed_number_post\", n = 20 }",
                                   "{ rule = \"fixed_total_number\", n = 150000 }"}) {
        CAPTURE(rule);
        const auto one = connections(two_populations(rule), 1), three = connections(two_populations(rule), 3);
        CHECK(one.pre == three.pre);
        CHECK(one.post == three.post);
        CHECK(one.weight == three.weight);
    }
}

TEST_CASE("one_to_one and from_list connect exactly what they say", "[sim][connectivity]") {
    const auto diagonal = connections(two_populations("{ rule = \"one_to_one\" }", 50, 50));
    REQUIRE(diagonal.pre.size() == 50);
    for (std::size_t s = 0; s < 50; ++s) CHECK(diagonal.pre[s] == diagonal.post[s]);
    auto config = two_populations("{ rule = \"from_list\", list = [[3, 1, 0.5, 0.3], [0, 2, 0.25, 1.0], [3, 0, 0.125, 0.1]] }", 5, 5);
    config.replace(config.find("weight = { uniform = [0.1, 0.2] }"), 34, "");
    const auto listed = connections(config);
    CHECK(listed.pre == std::vector<std::uint32_t>{0, 3, 3});
    CHECK(listed.post == std::vector<std::uint32_t>{2, 0, 1});
    CHECK(listed.weight == std::vector<float>{0.25f, 0.125f, 0.5f});
    CHECK(listed.delay == std::vector<std::uint16_t>{10, 1, 3});  // round(delay / 0.1 ms)
}

namespace {
// Pearson's chi-square of counts against equal expectations; with k cells it has mean k - 1 and
// standard deviation sqrt(2 (k - 1)).
double chi_square_uniform(const std::vector<double>& counts, double total) {
    const double expected = total / static_cast<double>(counts.size());
    double chi2 = 0.0;
    for (const double c : counts) chi2 += (c - expected) * (c - expected) / expected;
    return chi2;
}
}  // namespace

TEST_CASE("fixed_total_number makes exactly n synapses with uniform pre and post neurons", "[sim][connectivity]") {
    const std::uint64_t n = 50000;  // 250 per post cell, 167 per pre cell
    for (const int seed : {1, 2}) {
        CAPTURE(seed);
        const auto table = connections(two_populations("{ rule = \"fixed_total_number\", n = 50000 }"), 2,
                                       {"simulation.seed=" + std::to_string(seed)});
        REQUIRE(table.pre.size() == n);
        std::vector<double> by_pre(300, 0.0), by_post(200, 0.0);
        for (std::size_t s = 0; s < n; ++s) {
            by_pre[table.pre[s]] += 1;
            by_post[table.post[s]] += 1;
        }
        // Five standard deviations of the chi-square statistic: a fair draw fails ~1e-6 of the time.
        CHECK(std::abs(chi_square_uniform(by_pre, n) - 299.0) < 5 * std::sqrt(2 * 299.0));
        CHECK(std::abs(chi_square_uniform(by_post, n) - 199.0) < 5 * std::sqrt(2 * 199.0));
    }
}

TEST_CASE("fixed_total_number draws multapses as often as sampling with replacement predicts", "[sim][connectivity]") {
    // 20 x 20 pairs, 400 draws: each pair gets Binomial(400, 1/400) synapses, so the expected
    // number of pairs without a synapse is 400 (1 - 1/400)^400 = 147.1 (sd ~ 9.6).
    const auto table = connections(two_populations("{ rule = \"fixed_total_number\", n = 400 }", 20, 20));
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (std::size_t s = 0; s < table.pre.size(); ++s) pairs.insert({table.pre[s], table.post[s]});
    const double empty = 400.0 - static_cast<double>(pairs.size());
    CHECK(std::abs(empty - 400.0 * std::pow(1.0 - 1.0 / 400.0, 400.0)) < 5 * 9.6);
}

TEST_CASE("the simulation scale key shrinks populations and fixed_total_number counts but not in-degrees", "[sim][connectivity]") {
    const auto run = parse(two_populations("{ rule = \"fixed_total_number\", n = 50000 }"), {"simulation.scale=0.1"});
    CHECK(run.network.populations[0].size == 30);
    CHECK(run.network.populations[1].size == 20);
    CHECK(run.network.projections[0].connect.n == 5000);  // still 250 inputs per post neuron
}
