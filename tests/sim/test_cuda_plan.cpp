// The GPU backend's plan (sim/cuda/make_plan.hpp) holds the CPU network as built: every
// synapse, each copy's initial state and seeds (issue 8). Runs without a GPU.
#include "io/batch_spec.hpp"
#include "sim/batch.hpp"
#include "sim/cuda/make_plan.hpp"
#include "support/scratch_dir.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

using myelin::test::catalogue;
namespace cuda = myelin::sim::cuda;

namespace {

const std::string network = R"([simulation]
duration = 20.0
seed = 21
[[population]]
name = "exc"
size = 120
model = "IF_curr_exp"
init = { v = { uniform = [-65.0, -50.0] } }
[[population]]
name = "delta"
size = 40
model = "IF_curr_delta"
[[projection]]
pre = "exc"
post = "exc"
connect = { rule = "fixed_probability", p = 0.1 }
weight = { normal = [0.1, 0.02], clip = [0.0, 1.0] }
delay = { uniform = [0.5, 3.0] }
[[projection]]
pre = "exc"
post = "delta"
receptor = "inhibitory"
connect = { rule = "fixed_total_number", n = 500 }
weight = -0.2
delay = 1.0
[[poisson_input]]
target = "exc"
rate = 2000.0
weight = 0.05
)";

std::vector<myelin::io::RunSpec> copies(int batch, const std::string& text = network) {
    const myelin::test::ScratchDir dir("cuda_plan");
    const std::string path = dir / "config.toml";
    std::ofstream(path) << text;
    return myelin::io::batch_specs(path, {}, batch, std::nullopt, catalogue().models, catalogue().rules);
}

cuda::NetworkPlan plan_of(const std::vector<myelin::io::RunSpec>& specs, const myelin::sim::Network& first) {
    std::vector<myelin::sim::NetworkSpec> networks;
    for (const auto& s : specs) networks.push_back(s.network);
    return cuda::make_plan(networks, first, 200, catalogue().models, catalogue().rules);
}

}  // namespace

TEST_CASE("the GPU plan holds every synapse of the CPU network by pre neuron", "[sim][cuda][issue-8]") {
    const auto specs = copies(1);
    const auto first = myelin::sim::build(specs[0].network, catalogue().models, catalogue().rules, 2);
    const auto plan = plan_of(specs, first);
    REQUIRE(plan.projections.size() == 2);
    std::int64_t longest = 0;
    for (std::size_t j = 0; j < 2; ++j) {
        const auto table = first.projections[j]->connections();
        const auto& p = plan.projections[j];
        CHECK(p.channel == first.projections[j]->channel());
        REQUIRE(p.target.size() == table.post.size());
        std::size_t k = 0;
        for (std::uint32_t pre = 0; pre + 1 < p.row_start.size(); ++pre)
            for (std::uint64_t s = p.row_start[pre]; s < p.row_start[pre + 1]; ++s, ++k) {
                CHECK(table.pre[k] == pre);
                CHECK(table.post[k] == p.target[s]);
                CHECK(table.weight[k] == p.weight[s]);
                CHECK(table.delay[k] == p.delay[s]);
                longest = std::max<std::int64_t>(longest, p.delay[s]);
            }
        CHECK(k == table.pre.size());
    }
    CHECK(plan.slots == longest + 1);
    CHECK(plan.populations[1].channels == 1);  // delta synapses: one channel, both receptors
    CHECK(plan.projections[1].channel == 0);
}

TEST_CASE("the GPU plan gives each copy the CPU copy's initial state and seeds", "[sim][cuda][issue-8]") {
    const auto specs = copies(3);
    const auto first = myelin::sim::build(specs[0].network, catalogue().models, catalogue().rules, 1);
    const auto plan = plan_of(specs, first);
    const auto& exc = plan.populations[0];
    REQUIRE(exc.variables == 3);  // v, i_exc, i_inh
    for (std::uint32_t b = 0; b < 3; ++b) {
        auto cpu = myelin::sim::build(specs[b].network, catalogue().models, catalogue().rules, 1);
        const auto v = cpu.populations[0]->state()[0].values;
        for (std::uint32_t i = 0; i < exc.size; ++i) CHECK(exc.state[(0 * 3 + b) * exc.size + i] == v[i]);
        REQUIRE(exc.drives.size() == 1);
        const auto key = exc.drives[0].keys[b];
        const auto want = myelin::sim::RandomKey::make(myelin::sim::copy_seed(21, b), myelin::sim::RandomPurpose::poisson_input, 0);
        CHECK(key.seed == want.seed);
        CHECK(key.stream == want.stream);
    }
    CHECK(exc.drives[0].keys[0].seed == 21);  // copy 0 is the unbatched run
    CHECK(exc.drives[0].thresholds == myelin::sim::PoissonSampler(2000.0 * 0.1 / 1000.0).thresholds());
}

TEST_CASE("the GPU plan carries pair STDP: the rule's parameters, its decay tables and each post neuron's synapses", "[sim][cuda][issue-8]") {
    const std::string plastic = network + "[[projection]]\nname = \"learn\"\npre = \"exc\"\npost = \"delta\"\n"
                                          "connect = { rule = \"fixed_probability\", p = 0.2 }\nweight = 0.1\ndelay = 1.0\n"
                                          "plasticity = { rule = \"stdp\", weight_dependence = \"multiplicative\", pairing = \"nearest\", "
                                          "A_plus = 0.02, tau_minus = 30.0 }\n";
    const auto specs = copies(1, plastic);
    const auto first = myelin::sim::build(specs[0].network, catalogue().models, catalogue().rules, 1);
    const auto plan = plan_of(specs, first);
    const auto& learn = plan.projections.back();
    REQUIRE(learn.stdp.has_value());
    const auto& r = *learn.stdp;
    CHECK(r.dependence == myelin::sim::cuda::StdpPlan::Dependence::multiplicative);
    CHECK(r.nearest);
    CHECK(r.params.A_plus == 0.02);
    CHECK(r.params.tau_minus == 30.0);
    CHECK(r.params.A_minus == myelin::learning::StdpParams{}.A_minus);  // left out: the default
    // DecayTable: exp(-n dt / tau) for n < 1024, then exp(-1024 m dt / tau).
    REQUIRE(r.pre_decay.size() == 2048);
    CHECK(r.pre_decay[3] == std::exp(-3 * 0.1 / 20.0));
    CHECK(r.post_decay[1024 + 2] == std::exp(-2048 * 0.1 / 30.0));
    // Each synapse once in the per-post index, under its own post neuron and with its pre neuron.
    const std::uint32_t n_post = plan.populations[learn.post].size;
    REQUIRE(r.in_start.size() == n_post + 1);
    REQUIRE(r.in_start.back() == learn.target.size());
    std::vector<int> seen(learn.target.size(), 0);
    for (std::uint32_t i = 0; i < n_post; ++i)
        for (std::uint64_t q = r.in_start[i]; q < r.in_start[i + 1]; ++q) {
            const std::uint64_t s = r.in_synapse[q];
            ++seen[s];
            CHECK(learn.target[s] == i);
            CHECK(learn.row_start[r.in_pre[q]] <= s);
            CHECK(s < learn.row_start[r.in_pre[q] + 1]);
        }
    CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
    CHECK_FALSE(plan.projections.front().stdp.has_value());  // static projections stay static
}

TEST_CASE("the GPU plan refuses what the GPU backend does not run, naming it", "[sim][cuda][issue-8]") {
    const std::string symmetric = network + "[[projection]]\nname = \"learn\"\npre = \"exc\"\npost = \"exc\"\n"
                                            "connect = { rule = \"one_to_one\" }\nweight = 0.1\ndelay = 1.0\n"
                                            "plasticity = { rule = \"stdp_symmetric\", weight_dependence = \"additive\" }\n";
    const auto specs = copies(1, symmetric);
    const auto first = myelin::sim::build(specs[0].network, catalogue().models, catalogue().rules, 1);
    REQUIRE_THROWS_WITH(plan_of(specs, first), Catch::Contains("\"learn\"") && Catch::Contains("stdp_symmetric"));
}
