// Checkpoints: a run stopped, written to a file, read back and continued gives the same spikes
// and weights as a run that never stopped, on any thread count; damaged or foreign files are
// refused with a clear error.
#include "io/checkpoint.hpp"
#include "support/scratch_dir.hpp"
#include "support/simulate.hpp"

#include <H5Cpp.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {


// What one stretch of a run produced.
struct Piece {
    std::vector<std::vector<myelin::test::Spike>> spikes;  // per population
    std::vector<float> learned;  // E->E weights at the end
};

Piece run_piece(myelin::sim::Network& network, myelin::sim::Simulation& simulation, std::int64_t steps) {
    myelin::test::MemoryRecorder recorder;
    recorder.spikes.resize(network.populations.size());
    simulation.run(steps, &recorder);
    return {std::move(recorder.spikes), network.projections.at(0)->connections().weight};
}

}  // namespace

TEST_CASE("a resumed run continues with the same spikes and weights on any thread count", "[io][checkpoint]") {
    const auto& catalogue = myelin::test::catalogue();
    const myelin::io::RunSpec spec = myelin::test::every_path_network(400.0);
    const std::int64_t half = 2000;  // steps: 200 ms

    myelin::sim::Network whole = myelin::sim::build(spec.network, catalogue.models, catalogue.rules, 1);
    myelin::sim::Simulation uninterrupted(whole);
    const Piece reference_first = run_piece(whole, uninterrupted, half);
    const Piece reference_second = run_piece(whole, uninterrupted, half);
    REQUIRE(reference_second.spikes.at(0).size() > 200);  // active enough to exercise every path

    const myelin::test::ScratchDir dir("checkpoint");
    for (const auto& [save_threads, resume_threads] : {std::pair{1, 2}, std::pair{2, 1}, std::pair{2, 3}}) {
        CAPTURE(save_threads, resume_threads);
        const std::string path = dir / "run.ckpt.h5";
        {
            myelin::sim::Network network = myelin::sim::build(spec.network, catalogue.models, catalogue.rules, save_threads);
            myelin::sim::Simulation simulation(network);
            const Piece first = run_piece(network, simulation, half);
            REQUIRE(first.spikes == reference_first.spikes);
            myelin::io::write_checkpoint(path, spec, network, simulation);
        }
        const myelin::io::Checkpoint checkpoint = myelin::io::read_checkpoint(path);
        CHECK(checkpoint.step == half);
        const myelin::io::RunSpec resumed_spec =
            myelin::io::resume_spec(checkpoint, path, {}, catalogue.models, catalogue.rules);
        myelin::sim::Network network = myelin::sim::build(resumed_spec.network, catalogue.models, catalogue.rules, resume_threads);
        CHECK(network.synapse_count() == whole.synapse_count());
        const auto fresh = myelin::sim::build(spec.network, catalogue.models, catalogue.rules, resume_threads);
        CHECK(network.synapse_bytes() == fresh.synapse_bytes());  // stored the same way
        myelin::sim::Simulation simulation(network);
        simulation.restore(checkpoint.state);
        CHECK(simulation.step() == half);
        const Piece second = run_piece(network, simulation, half);
        for (std::size_t p = 0; p < second.spikes.size(); ++p) {
            CAPTURE(network.populations[p]->name());
            CHECK(second.spikes[p] == reference_second.spikes[p]);
        }
        CHECK(second.learned == reference_second.learned);
    }
}

TEST_CASE("a checkpoint holds readable connections, state and the config", "[io][checkpoint]") {
    const auto& catalogue = myelin::test::catalogue();
    const myelin::io::RunSpec spec = myelin::test::every_path_network(50.0);
    myelin::sim::Network network = myelin::sim::build(spec.network, catalogue.models, catalogue.rules, 2);
    myelin::sim::Simulation simulation(network);
    simulation.run(500);
    const myelin::test::ScratchDir dir("checkpoint");
    const std::string path = dir / "a.ckpt.h5";
    myelin::io::write_checkpoint(path, spec, network, simulation);

    const myelin::io::Checkpoint checkpoint = myelin::io::read_checkpoint(path);
    CHECK(checkpoint.config_text == spec.config_text);
    CHECK(checkpoint.overrides == spec.overrides);
    CHECK(checkpoint.dt == spec.network.dt);
    const auto table = network.projections.at(0)->connections();
    const auto& stored = checkpoint.connections.at("ee");
    CHECK(stored.pre == table.pre);
    CHECK(stored.post == table.post);
    CHECK(stored.weight == table.weight);
    CHECK(stored.per_synapse_weight);
    CHECK_FALSE(checkpoint.connections.at("ei").per_synapse_weight);  // a constant stays one
    const auto v = network.populations.at(0)->state().at(0);
    REQUIRE(v.name == "v");
    const auto& stored_v = checkpoint.state.get<double>("populations/exc/state/v");
    CHECK(stored_v == v.values.to_vector());
}

TEST_CASE("damaged, foreign and mismatched checkpoints are refused with a clear error", "[io][checkpoint]") {
    const auto& catalogue = myelin::test::catalogue();
    const myelin::io::RunSpec spec = myelin::test::every_path_network(50.0);
    myelin::sim::Network network = myelin::sim::build(spec.network, catalogue.models, catalogue.rules, 1);
    myelin::sim::Simulation simulation(network);
    simulation.run(100);
    const myelin::test::ScratchDir dir("checkpoint");
    const std::string good = dir / "good.ckpt.h5";
    myelin::io::write_checkpoint(good, spec, network, simulation);
    using Catch::Matchers::Contains;

    SECTION("another layout version") {
        const std::string path = dir / "v2.ckpt.h5";
        fs::copy_file(good, path);
        {
            H5::H5File file(path, H5F_ACC_RDWR);
            const std::int64_t two = 2;
            file.openGroup("/").openAttribute("format_version").write(H5::PredType::NATIVE_INT64, &two);
        }
        CHECK_THROWS_WITH(myelin::io::read_checkpoint(path), Contains("layout version 2") && Contains("reads version 1 only"));
    }
    SECTION("a truncated file") {
        const std::string path = dir / "short.ckpt.h5";
        const auto size = fs::file_size(good);
        fs::copy_file(good, path);
        fs::resize_file(path, size / 2);
        CHECK_THROWS_WITH(myelin::io::read_checkpoint(path), Contains("short.ckpt.h5") && Contains("damaged or incomplete"));
    }
    SECTION("a flipped byte inside the data") {
        const std::string path = dir / "flipped.ckpt.h5";
        fs::copy_file(good, path);
        haddr_t address = 0;
        hsize_t chunk_bytes = 0;
        {
            const H5::H5File file(path, H5F_ACC_RDONLY);
            const H5::DataSet post = file.openDataSet("/projections/ee/connections/post");
            const hsize_t origin[1] = {0};
            unsigned filter_mask = 0;
            REQUIRE(H5Dget_chunk_info_by_coord(post.getId(), origin, &filter_mask, &address, &chunk_bytes) >= 0);
        }
        REQUIRE(chunk_bytes > 16);
        std::fstream bytes(path, std::ios::in | std::ios::out | std::ios::binary);
        bytes.seekg(static_cast<std::streamoff>(address + chunk_bytes / 2));
        char c = 0;
        bytes.read(&c, 1);
        c = static_cast<char>(c ^ 0x5a);
        bytes.seekp(static_cast<std::streamoff>(address + chunk_bytes / 2));
        bytes.write(&c, 1);
        bytes.close();
        CHECK_THROWS_WITH(myelin::io::read_checkpoint(path), Contains("damaged or incomplete"));
    }
    SECTION("not a checkpoint") {
        const std::string path = dir / "text.ckpt.h5";
        std::ofstream(path) << "[simulation]\n";
        CHECK_THROWS_WITH(myelin::io::read_checkpoint(path), Contains("not an HDF5 file"));
        const std::string other = dir / "other.h5";
        H5::H5File(other, H5F_ACC_TRUNC).createGroup("/meta");
        CHECK_THROWS_WITH(myelin::io::read_checkpoint(other), Contains("not a Myelin checkpoint"));
    }
    SECTION("a config that no longer describes the network") {
        const myelin::io::Checkpoint checkpoint = myelin::io::read_checkpoint(good);
        CHECK_THROWS_WITH(myelin::io::resume_spec(checkpoint, good, {{"population.exc.size=700"}}, catalogue.models, catalogue.rules),
                          Contains("does not fit its config") && Contains("outside the populations"));
        CHECK_THROWS_WITH(myelin::io::resume_spec(checkpoint, good, {{"simulation.dt=0.05"}}, catalogue.models, catalogue.rules),
                          Contains("cannot change dt"));
        // Larger populations take the connections, but not the state.
        const auto larger = myelin::io::resume_spec(checkpoint, good, {{"population.exc.size=900"}}, catalogue.models, catalogue.rules);
        myelin::sim::Network other = myelin::sim::build(larger.network, catalogue.models, catalogue.rules, 1);
        myelin::sim::Simulation resumed(other);
        CHECK_THROWS_WITH(resumed.restore(checkpoint.state), Contains("populations/exc/") && Contains("where this network has"));
    }
}
