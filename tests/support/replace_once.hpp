// Config-error tests break one line of a valid config: `text` with its first `from` replaced
// by `to`. The test fails at once if `from` is not there (a typo in the test, not a pass).
#pragma once

#include <catch2/catch.hpp>

#include <string>

namespace myelin::test {

inline std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace myelin::test
