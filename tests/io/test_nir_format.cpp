// The NIR HDF5 layer: what is written is read back, in the reference layout, and broken files
// or unwritable paths give clear errors and leave nothing behind.
#include "io/nir_format.hpp"
#include "io/nir_test_support.hpp"
#include "sim/error.hpp"

#include <catch2/catch.hpp>

#include <H5Cpp.h>

#include <fstream>

using myelin::io::NirArray;
using myelin::io::NirGraph;
using myelin::io::NirValue;
using myelin::test::ScratchDir;

namespace {

NirGraph small_graph() {
    NirGraph graph;
    graph.version = "1.0.0";
    graph.nodes.push_back({"in", "Input", {{"shape", NirArray::vector({3}, NirArray::Type::i64)}}, {}});
    graph.nodes.push_back({"w", "Linear", {{"weight", NirArray{NirArray::Type::f32, {2, 3}, {0.5, -0.25, 0, 1, 2, 3}}}}, {}});
    graph.nodes.push_back({"lif", "CubaLIF",
                           {{"tau_syn", NirArray::vector({5, 5})}, {"tau_mem", NirArray::vector({20, 20})},
                            {"r", NirArray::vector({40, 40})}, {"v_leak", NirArray::vector({-65.5, -65.5})},
                            {"v_threshold", NirArray::vector({-50, -50})}, {"v_reset", NirArray::vector({-70, -70})},
                            {"w_in", NirArray::vector({5, 5})}},
                           {{"tau_refrac", NirArray::scalar(2.0)}, {"note", NirValue(std::string("ünïcode"))}}});
    graph.edges = {{"in", "w"}, {"w", "lif"}};
    graph.metadata["time_unit"] = NirValue(std::string("ms"));
    graph.metadata["dt"] = NirArray::scalar(0.1);
    return graph;
}

}  // namespace

TEST_CASE("a NIR graph read back has every node, value, type, edge and metadata it was written with", "[io][nir]") {
    const ScratchDir dir("format");
    const NirGraph written = small_graph();
    myelin::io::write_nir(written, dir / "g.nir");
    const NirGraph read = myelin::io::read_nir(dir / "g.nir");
    CHECK(read.version == "1.0.0");
    REQUIRE(read.nodes.size() == written.nodes.size());
    for (const auto& node : written.nodes) {
        const auto* back = read.find(node.name);
        REQUIRE(back);
        CHECK(back->type == node.type);
        REQUIRE(back->fields.size() == node.fields.size());
        for (const auto& [key, value] : node.fields) {
            CAPTURE(node.name, key);
            CHECK(back->array(key).shape == value.array.shape);
            CHECK(back->array(key).values == value.array.values);  // exact: all are representable in their file type
            CHECK(back->array(key).type == value.array.type);
        }
        CHECK(back->metadata.size() == node.metadata.size());
    }
    CHECK(read.find("lif")->metadata.at("note").text == "ünïcode");
    CHECK(read.find("lif")->metadata.at("tau_refrac").array.values == std::vector<double>{2.0});
    CHECK(read.edges == written.edges);
    CHECK(read.metadata.at("time_unit").text == "ms");
    CHECK(read.metadata.at("dt").array.values == std::vector<double>{0.1});
}

TEST_CASE("a NIR file has the reference layout: version and type strings, gzip arrays, an (E, 2) edge table", "[io][nir]") {
    const ScratchDir dir("layout");
    myelin::io::write_nir(small_graph(), dir / "g.nir");
    const H5::H5File file(dir / "g.nir", H5F_ACC_RDONLY);
    const auto is_utf8_string = [](const H5::DataSet& d) {
        return d.getTypeClass() == H5T_STRING && d.getStrType().isVariableStr() && d.getStrType().getCset() == H5T_CSET_UTF8;
    };
    CHECK(is_utf8_string(file.openDataSet("version")));
    CHECK(is_utf8_string(file.openDataSet("/node/type")));
    CHECK(is_utf8_string(file.openDataSet("/node/nodes/lif/type")));
    const H5::DataSet edges = file.openDataSet("/node/edges");
    CHECK(is_utf8_string(edges));
    hsize_t dims[2] = {0, 0};
    REQUIRE(edges.getSpace().getSimpleExtentNdims() == 2);
    edges.getSpace().getSimpleExtentDims(dims);
    CHECK(dims[0] == 2);
    CHECK(dims[1] == 2);
    const H5::DataSet weight = file.openDataSet("/node/nodes/w/weight");
    CHECK(weight.getCreatePlist().getNfilters() == 1);
    unsigned flags = 0, level = 0;
    size_t count = 1;
    char name[32];
    unsigned config = 0;
    CHECK(weight.getCreatePlist().getFilter(0, flags, count, &level, sizeof name, name, config) == H5Z_FILTER_DEFLATE);
    CHECK(weight.getFloatType().getSize() == 4);  // weights as float32, as Myelin stores them
    CHECK(file.openDataSet("/node/nodes/in/shape").getTypeClass() == H5T_INTEGER);
}

TEST_CASE("reading a broken NIR file names the problem", "[io][nir]") {
    const ScratchDir dir("broken");
    SECTION("not HDF5 at all") {
        std::ofstream(dir / "x.nir") << "this is text";
        REQUIRE_THROWS_WITH(myelin::io::read_nir(dir / "x.nir"), Catch::Contains("x.nir: not an HDF5 file"));
    }
    SECTION("truncated") {
        myelin::io::write_nir(small_graph(), dir / "g.nir");
        std::filesystem::resize_file(dir / "g.nir", std::filesystem::file_size(dir / "g.nir") / 2);
        REQUIRE_THROWS_AS(myelin::io::read_nir(dir / "g.nir"), myelin::IoError);
        REQUIRE_THROWS_WITH(myelin::io::read_nir(dir / "g.nir"), Catch::Contains("g.nir:"));
    }
    SECTION("HDF5 without the NIR layout") {
        H5::H5File(dir / "plain.h5", H5F_ACC_TRUNC).createGroup("data");
        REQUIRE_THROWS_WITH(myelin::io::read_nir(dir / "plain.h5"), Catch::Contains("not a NIR file: it has no /version"));
    }
    SECTION("missing") {
        REQUIRE_THROWS_WITH(myelin::io::read_nir(dir / "absent.nir"), Catch::Contains("absent.nir: no such file"));
    }
}

TEST_CASE("writing a NIR file where it cannot go fails clearly and leaves no file", "[io][nir]") {
    const ScratchDir dir("unwritable");
    REQUIRE_THROWS_WITH(myelin::io::write_nir(small_graph(), dir / "no/such/dir/g.nir"), Catch::Contains("cannot write the NIR file"));
    CHECK(dir.file_count() == 0);
}
