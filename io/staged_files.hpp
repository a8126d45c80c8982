// Several text files written all or nothing: each goes to a temporary name first, and only when
// every one is written are they renamed into place; a failure removes what was written.
#pragma once

#include "sim/error.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace myelin::io {

inline void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files) {
    namespace fs = std::filesystem;
    const std::string suffix = ".tmp-" + std::to_string(::getpid());
    std::vector<std::string> written, renamed;
    const auto discard = [&] {
        std::error_code ignored;
        for (const auto& path : written) fs::remove(path + suffix, ignored);
        for (const auto& path : renamed) fs::remove(path, ignored);
    };
    for (const auto& [path, content] : files) {
        std::ofstream out(path + suffix, std::ios::binary);
        if (out) written.push_back(path);
        out << content;
        out.close();
        if (!out) {
            discard();
            throw IoError(path, "cannot write the file (is the directory there and writable?)");
        }
    }
    for (const auto& [path, content] : files) {
        std::error_code error;
        fs::rename(path + suffix, path, error);
        if (error) {
            discard();
            throw IoError(path, "cannot write the file (" + error.message() + ")");
        }
        renamed.push_back(path);
    }
}

}  // namespace myelin::io
