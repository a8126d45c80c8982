// 2-byte post indices (SynapseStore::build): static projections through the input rings
// store a part's post indices as offsets when its targets span at most 65536 neurons. The check
// is the 4-byte path itself: a 70,000-neuron population is too wide for one part and narrow
// enough for two, so 1 and 2 parts run the same network through the two storage forms.
#include "support/identical_runs.hpp"
#include "support/simulate.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

TEST_CASE("post indices narrow to 16 bits exactly when a part has at most 65536 neurons", "[sim][narrow_posts]") {
    for (const std::uint32_t size : {65536u, 65537u}) {
        CAPTURE(size);
        // Two pre neurons: 0 -> {0, size - 1}, 1 -> {150}, given by post neuron.
        myelin::sim::Adjacency adjacency;
        adjacency.orientation = myelin::sim::Adjacency::Orientation::by_post;
        adjacency.offsets.assign(size + 1, 0);
        adjacency.partners = {0, 1, 0};  // the pre neurons of posts 0, 150 and size - 1
        for (std::uint32_t post = 0; post < size; ++post)
            adjacency.offsets[post + 1] = adjacency.offsets[post] + (post == 0 || post == 150 || post == size - 1);
        const myelin::sim::Partition one_part(size, 1);
        const auto narrow = myelin::sim::SynapseStore::build(myelin::sim::Adjacency(adjacency), 2, one_part, 1.0f, 1,
                                                             false, true);
        const auto wide = myelin::sim::SynapseStore::build(std::move(adjacency), 2, one_part, 1.0f, 1, false, false);
        const bool narrowed = size <= 65536;
        CHECK(narrow.parts[0].post_offset.empty() == !narrowed);
        CHECK(narrow.parts[0].post.empty() == narrowed);
        CHECK(narrow.bytes() == 3 * sizeof(std::uint64_t) + 3 * (narrowed ? 2 : 4));
        CHECK(wide.parts[0].post_offset.empty());
        const auto narrow_table = myelin::sim::connection_table(narrow), wide_table = myelin::sim::connection_table(wide);
        CHECK(narrow_table.pre == std::vector<std::uint32_t>{0, 0, 1});
        CHECK(narrow_table.post == std::vector<std::uint32_t>{0, size - 1, 150});
        CHECK(wide_table.post == narrow_table.post);
        CHECK(narrow.size() == 3);
    }
}

TEST_CASE("2-byte and 4-byte post indices deliver the same spikes", "[sim][narrow_posts]") {
    // Brunel's exc population at 70,000 neurons with in-degree 8 (Poisson-driven, so active),
    // plus a source reaching it through per-synapse delays with release probability 0.5.
    const auto spec = myelin::test::parse_source_config(
        "experiments/brunel.toml", myelin::test::delayed_unreliable_source,
        {"simulation.duration=5", "population.exc.size=70000", "population.inh.size=500", "projection.ee.connect.n=8",
         "projection.ei.connect.n=8", "projection.ie.connect.n=2", "projection.ii.connect.n=2"});
    const auto& catalogue = myelin::test::catalogue();
    struct Run {
        myelin::sim::Network network;
        myelin::test::MemoryRecorder recorder;
    };
    std::vector<Run> runs;
    for (const int parts : {1, 2}) {
        runs.push_back({myelin::sim::build(spec.network, catalogue.models, catalogue.rules, parts), {}});
        runs.back().recorder.claims_to_read_network = false;
        myelin::sim::Simulation(runs.back().network).run(50, &runs.back().recorder);
    }
    // Storage: the projections onto exc hold 4-byte indices in one part and 2-byte ones in two.
    for (const std::string name : {"ee", "ie", "noise_exc"}) {
        CAPTURE(name);
        for (std::size_t r = 0; r < runs.size(); ++r) {
            const auto& network = runs[r].network;
            const auto& projection = **std::find_if(network.projections.begin(), network.projections.end(),
                                                    [&](const auto& p) { return p->name() == name; });
            const std::size_t n_pre = network.populations[projection.pre()]->size();
            const std::size_t delay_bytes = name == "noise_exc" ? 2 : 0;  // per synapse
            const std::size_t index_bytes = projection.bytes() - network.parts * (n_pre + 1) * sizeof(std::uint64_t) -
                                            projection.size() * delay_bytes;
            CHECK(index_bytes == (r == 0 ? 4 : 2) * projection.size());
        }
    }
    REQUIRE(runs[0].recorder.spikes.at(0).size() > 1000);  // active: every path ran
    myelin::test::check_identical_runs(runs[1].network, runs[1].recorder, runs[0].network, runs[0].recorder);
}

TEST_CASE("parts_for adds parts only where they let long ring rows narrow", "[sim][narrow_posts]") {
    const auto& models = myelin::test::catalogue().models;
    const auto parts = [&](const std::string& config, std::vector<std::string> settings, int threads) {
        return myelin::sim::parts_for(myelin::test::parse_source_config(config, "", settings).network, models, threads);
    };
    const std::vector<std::string> brunel_100k = {"population.exc.size=80000", "population.inh.size=20000"};
    CHECK(parts("experiments/brunel.toml", brunel_100k, 1) == 2);  // exc: 80,000 > 65,536
    CHECK(parts("experiments/brunel.toml", brunel_100k, 2) == 2);
    CHECK(parts("experiments/brunel.toml", {}, 1) == 1);
    // Short rows: 8 inputs per neuron make rows of 8 synapses, shorter than a row start is worth.
    auto sparse = brunel_100k;
    for (const char* p : {"ee", "ei", "ie", "ii"}) sparse.push_back(std::string("projection.") + p + ".connect.n=8");
    CHECK(parts("experiments/brunel.toml", sparse, 1) == 1);
    // Input straight into the synaptic state (IF_curr_exp, one delay): no rings, no narrowing.
    CHECK(parts("experiments/cuba.toml", {"population.exc.size=80000", "population.inh.size=20000"}, 1) == 1);
}
