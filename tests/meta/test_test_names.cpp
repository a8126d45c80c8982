// Every test case must reach CTest under its own name. catch_discover_tests passes the names it
// lists through a CMake list: a ';' splits a name into two entries that match no test (and pass
// without running it), and an unbalanced '[' or ']' glues all the names after it into one entry.
// Both happened: 86 cases silently never ran under ctest until this check existed.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

TEST_CASE("every test name survives CTest registration: no semicolon, brackets balanced", "[test_names]") {
    const std::vector<Catch::TestCase>& cases = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
    REQUIRE(cases.size() > 300);
    for (const Catch::TestCase& test : cases) {
        const std::string& name = test.getTestCaseInfo().name;
        int depth = 0;
        bool balanced = true;
        for (const char c : name) {
            if (c == '[') ++depth;
            if (c == ']' && --depth < 0) balanced = false;
        }
        INFO(name);
        CHECK(name.find(';') == std::string::npos);
        CHECK((balanced && depth == 0));
    }
}
