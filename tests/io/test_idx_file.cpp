// IDX parsing against files the test writes byte by byte (plain and gzip), and its errors.
#include "io/idx_file.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

using myelin::io::parse_idx;
using myelin::io::read_idx;
using Catch::Contains;

namespace {

// A 2x3 unsigned-byte array in the IDX layout: 0, 0, type 0x08, rank 2, sizes big-endian.
std::vector<std::uint8_t> small_idx() {
    return {0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 10, 20, 30, 40, 50, 255};
}

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("myelin_test_" + std::to_string(getpid()) + "_" + name)).string();
}

}  // namespace

TEST_CASE("an IDX array reads back its dimensions and bytes", "[io][idx]") {
    const auto bytes = small_idx();
    const auto array = parse_idx(bytes, "mem");
    CHECK(array.dims == std::vector<std::uint32_t>{2, 3});
    CHECK(array.data == std::vector<std::uint8_t>{10, 20, 30, 40, 50, 255});
}

TEST_CASE("IDX files read the same plain and gzip-compressed", "[io][idx]") {
    const auto bytes = small_idx();
    const std::string plain = temp_path("plain.idx"), gz = temp_path("packed.idx.gz");
    std::ofstream(plain, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    gzFile out = gzopen(gz.c_str(), "wb");
    REQUIRE(out);
    REQUIRE(gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
    gzclose(out);
    CHECK(std::filesystem::file_size(gz) != bytes.size());  // really compressed
    for (const auto& path : {plain, gz}) {
        CAPTURE(path);
        const auto array = read_idx(path);
        CHECK(array.dims == std::vector<std::uint32_t>{2, 3});
        CHECK(array.data == std::vector<std::uint8_t>{10, 20, 30, 40, 50, 255});
    }
    std::filesystem::remove(plain);
    std::filesystem::remove(gz);
}

TEST_CASE("malformed IDX data is rejected with the reason and the file", "[io][idx]") {
    auto bytes = small_idx();
    SECTION("bad magic") {
        bytes[0] = 1;
        REQUIRE_THROWS_WITH(parse_idx(bytes, "x.idx"), Contains("x.idx") && Contains("magic"));
    }
    SECTION("unsupported type (float)") {
        bytes[2] = 0x0D;
        REQUIRE_THROWS_WITH(parse_idx(bytes, "x.idx"), Contains("0x0d") && Contains("not supported"));
    }
    SECTION("truncated data") {
        bytes.pop_back();
        REQUIRE_THROWS_WITH(parse_idx(bytes, "x.idx"), Contains("promises 6 bytes") && Contains("has 5"));
    }
    SECTION("trailing data") {
        bytes.push_back(7);
        REQUIRE_THROWS_WITH(parse_idx(bytes, "x.idx"), Contains("promises 6 bytes") && Contains("has 7"));
    }
    SECTION("truncated header") {
        bytes.resize(9);
        REQUIRE_THROWS_WITH(parse_idx(bytes, "x.idx"), Contains("truncated"));
    }
}

TEST_CASE("a missing IDX file is an error naming the path", "[io][idx]") {
    REQUIRE_THROWS_WITH(read_idx("/nonexistent/none.idx.gz"), Contains("/nonexistent/none.idx.gz") && Contains("cannot open"));
}
