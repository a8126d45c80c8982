// IDX files (idx_file.hpp).
#include "io/idx_file.hpp"

#include "sim/error.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace myelin::io {
namespace {

std::uint32_t big_endian_u32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::vector<std::uint8_t> read_gzip_or_plain(const std::string& path) {
    const std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
    if (!file) throw IoError(path, std::string("cannot open (") + std::strerror(errno) + ")");
    std::vector<std::uint8_t> bytes;
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const int n = gzread(file.get(), buffer, sizeof buffer);
        if (n < 0) {
            int code = 0;
            throw IoError(path, std::string("cannot read: ") + gzerror(file.get(), &code));
        }
        if (n == 0) break;
        bytes.insert(bytes.end(), buffer, buffer + n);
    }
    return bytes;
}

}  // namespace

IdxArray parse_idx(std::span<const std::uint8_t> bytes, const std::string& path) {
    if (bytes.size() < 4) throw IoError(path, "not an IDX file: " + std::to_string(bytes.size()) + " bytes, shorter than the header");
    if (bytes[0] != 0 || bytes[1] != 0)
        throw IoError(path, "not an IDX file: the first two bytes must be zero (magic number)");
    if (bytes[2] != 0x08)
        throw IoError(path, "IDX data type 0x" + std::string(1, "0123456789abcdef"[bytes[2] >> 4]) +
                                std::string(1, "0123456789abcdef"[bytes[2] & 15]) + " is not supported (only 0x08, unsigned byte)");
    const std::size_t rank = bytes[3];
    if (rank == 0) throw IoError(path, "IDX header has zero dimensions");
    const std::size_t header = 4 + 4 * rank;
    if (bytes.size() < header) throw IoError(path, "IDX header of " + std::to_string(rank) + " dimensions is truncated");
    IdxArray out;
    std::uint64_t count = 1;
    for (std::size_t d = 0; d < rank; ++d) {
        out.dims.push_back(big_endian_u32(bytes.data() + 4 + 4 * d));
        count *= out.dims.back();
    }
    if (bytes.size() - header != count)
        throw IoError(path, "IDX header promises " + std::to_string(count) + " bytes of data, the file has " +
                                std::to_string(bytes.size() - header));
    out.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
    return out;
}

IdxArray read_idx(const std::string& path) {
    const std::vector<std::uint8_t> bytes = read_gzip_or_plain(path);
    return parse_idx(bytes, path);
}

}  // namespace myelin::io
