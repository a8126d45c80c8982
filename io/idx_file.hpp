// IDX files, the format of MNIST and Fashion-MNIST (LeCun et al.): two zero bytes, a type code,
// the number of dimensions, one big-endian uint32 size per dimension, then the data row-major.
// Only unsigned bytes (type 0x08) are read: what every dataset here uses.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace myelin::io {

struct IdxArray {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> data;  // product(dims) bytes
};

// Parses the bytes of an IDX file; `path` names it in errors. Throws IoError for a bad magic
// number, a type other than unsigned byte, or a size that differs from the header's.
IdxArray parse_idx(std::span<const std::uint8_t> bytes, const std::string& path);

// Reads an IDX file, gzip-compressed (.gz) or plain: zlib reads both. Throws IoError.
IdxArray read_idx(const std::string& path);

}  // namespace myelin::io
