// The raster's decimation levels (viewer/raster_levels.hpp) against the spike-by-spike path,
// the second implementation: on dense activity both light the same cells, up to the one
// column (and, with neuron bins, one row) that placing a bin instead of a spike may move.
#include "viewer/raster_levels.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace myelin::viewer;

namespace {

// `neurons` neurons over `steps` steps of 0.1 ms; neuron n fires when (7 step + 13 n) % period == 0,
// a dense pattern with structure in both time and neuron index.
PopulationSpikes pattern(std::uint32_t neurons, std::int64_t first_step, std::int64_t steps, int period) {
    PopulationSpikes population{"p", neurons, {}, {}};
    for (std::int64_t step = first_step; step < first_step + steps; ++step)
        for (std::uint32_t n = 0; n < neurons; ++n)
            if ((7 * step + 13 * static_cast<std::int64_t>(n)) % period == 0) {
                population.t.push_back(static_cast<float>(static_cast<double>(step + 1) * 0.1));
                population.neuron.push_back(n);
            }
    return population;
}

// Every lit cell of `a` has a lit cell of `b` within `dc` columns and `dr` rows.
bool covered_by(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b, int columns, int rows, int dc, int dr) {
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c) {
            if (!a[static_cast<std::size_t>(r) * columns + c]) continue;
            bool found = false;
            for (int y = std::max(0, r - dr); y <= std::min(rows - 1, r + dr) && !found; ++y)
                for (int x = std::max(0, c - dc); x <= std::min(columns - 1, c + dc) && !found; ++x)
                    found = b[static_cast<std::size_t>(y) * columns + x] != 0;
            if (!found) {
                CAPTURE(r, c);
                return false;
            }
        }
    return true;
}

std::size_t lit(const std::vector<std::uint8_t>& cells) {
    std::size_t n = 0;
    for (auto c : cells) n += c;
    return n;
}

constexpr std::size_t always = 0, never = static_cast<std::size_t>(-1);

}  // namespace

TEST_CASE("the levels light the cells the spikes light, within a column", "[viewer][levels]") {
    RunData data;
    data.end_ms = 2000.0;
    data.populations.push_back(pattern(200, 0, 20000, 101));  // 200 neurons in 300 rows: no neuron bins
    const int columns = 700, rows = 300;
    for (const auto& [from, to] : {std::pair{0.0, 2000.0}, std::pair{350.0, 1250.0}, std::pair{1000.0, 1100.0}}) {
        CAPTURE(from, to);
        const auto fast = raster_cells(data, 0, from, to, columns, rows, 0.0, 200.0, always);
        const auto exact = raster_cells(data, 0, from, to, columns, rows, 0.0, 200.0, never);
        REQUIRE(lit(exact) > 1000);
        CHECK(covered_by(fast, exact, columns, rows, 1, 0));
        CHECK(covered_by(exact, fast, columns, rows, 1, 0));
    }
}

TEST_CASE("with more neurons than pixel rows the levels bin neurons and stay within a row", "[viewer][levels]") {
    RunData data;
    data.end_ms = 500.0;
    data.populations.push_back(pattern(5000, 0, 5000, 997));  // ~16 neurons per pixel row
    const int columns = 500, rows = 300;
    const auto fast = raster_cells(data, 0, 0.0, 500.0, columns, rows, 0.0, 5000.0, always);
    const auto exact = raster_cells(data, 0, 0.0, 500.0, columns, rows, 0.0, 5000.0, never);
    REQUIRE(lit(exact) > 10000);
    CHECK(data.populations[0].levels->neuron_shift == 4);  // 16-neuron bins: no taller than a row
    CHECK(covered_by(fast, exact, columns, rows, 1, 1));
    CHECK(covered_by(exact, fast, columns, rows, 1, 1));
}

TEST_CASE("spikes appended after the levels were built (a live run) are drawn, and rebuild them when many", "[viewer][levels]") {
    RunData data;
    data.end_ms = 1000.0;
    data.populations.push_back(pattern(200, 0, 10000, 101));
    const int columns = 600, rows = 200;
    raster_cells(data, 0, 0.0, 1000.0, columns, rows, 0.0, 200.0, always);
    const std::size_t built = data.populations[0].levels->covered;
    REQUIRE(built == data.populations[0].t.size());
    // A little more (under a quarter): drawn spike by spike from the old levels' end.
    PopulationSpikes more = pattern(200, 10000, 1000, 101);
    auto& population = data.populations[0];
    population.t.insert(population.t.end(), more.t.begin(), more.t.end());
    population.neuron.insert(population.neuron.end(), more.neuron.begin(), more.neuron.end());
    data.end_ms = 1100.0;
    auto fast = raster_cells(data, 0, 0.0, 1100.0, columns, rows, 0.0, 200.0, always);
    auto exact = raster_cells(data, 0, 0.0, 1100.0, columns, rows, 0.0, 200.0, never);
    CHECK(population.levels->covered == built);
    CHECK(covered_by(fast, exact, columns, rows, 1, 0));
    CHECK(covered_by(exact, fast, columns, rows, 1, 0));
    // Many more (past a quarter of those built, and 2^16) rebuild the levels over all of them.
    more = pattern(200, 11000, 20000, 31);
    population.t.insert(population.t.end(), more.t.begin(), more.t.end());
    population.neuron.insert(population.neuron.end(), more.neuron.begin(), more.neuron.end());
    data.end_ms = 2200.0;
    fast = raster_cells(data, 0, 0.0, 2200.0, columns, rows, 0.0, 200.0, always);
    exact = raster_cells(data, 0, 0.0, 2200.0, columns, rows, 0.0, 200.0, never);
    CHECK(population.levels->covered == population.t.size());
    CHECK(covered_by(fast, exact, columns, rows, 1, 0));
    CHECK(covered_by(exact, fast, columns, rows, 1, 0));
}
