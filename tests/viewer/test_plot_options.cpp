// The viewer's options and data checks (no display needed): panel and population names, time
// windows, the recording check, tick choice and the raster's pixel-to-neuron mapping.
#include "sim/error.hpp"
#include "viewer/axes.hpp"
#include "viewer/plot_options.hpp"
#include "viewer/view_window.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace myelin::viewer;

namespace {

RunData two_populations() {
    RunData data;
    data.end_ms = 500.0;
    data.populations = {{"exc", 80, {}, {}}, {"inh", 20, {}, {}}};
    return data;
}

}  // namespace

TEST_CASE("panel lists accept the documented names and reject others by name", "[viewer][options]") {
    CHECK(parse_panels("raster,rate,v,weights") ==
          std::vector{PanelKind::raster, PanelKind::rate, PanelKind::traces, PanelKind::weights});
    CHECK(parse_panels("rate") == std::vector{PanelKind::rate});
    REQUIRE_THROWS_WITH(parse_panels("raster,histogram"), Catch::Contains("unknown panel \"histogram\""));
    REQUIRE_THROWS_WITH(parse_panels(","), Catch::Contains("no panel"));
}

TEST_CASE("an unknown population name is an error that lists the recorded ones", "[viewer][options]") {
    const RunData data = two_populations();
    CHECK(visible_only(data, "inh") == std::vector<bool>{true, false});
    REQUIRE_THROWS_WITH(visible_only(data, "exc,ihn"),
                        Catch::Contains("no population \"ihn\"") && Catch::Contains("exc, inh"));
}

TEST_CASE("time windows: whole run by default, empty or outside ranges rejected", "[viewer][options]") {
    const RunData data = two_populations();
    const PlotOptions whole = resolve(data, {});
    CHECK(whole.from_ms == 0.0);
    CHECK(whole.to_ms == 500.0);
    PlotOptions empty;
    empty.whole_run = false;
    empty.from_ms = 300.0;
    empty.to_ms = 100.0;
    REQUIRE_THROWS_WITH(resolve(data, empty), Catch::Contains("empty time range"));
    PlotOptions outside;
    outside.whole_run = false;
    outside.from_ms = 600.0;
    outside.to_ms = 700.0;
    REQUIRE_THROWS_WITH(resolve(data, outside), Catch::Contains("outside the run"));
    // Panels without data (no traces, no weights recorded) are dropped, not drawn empty.
    CHECK(whole.panels == std::vector{PanelKind::raster, PanelKind::rate});
}

TEST_CASE("a file that is not a Myelin recording is refused with its name", "[viewer][options]") {
    const auto path = std::filesystem::temp_directory_path() / "myelin_viewer_not_a_recording.h5";
    std::ofstream(path) << "plain text\n";
    REQUIRE_THROWS_WITH(load_run(path.string()), Catch::Contains(path.string()) && Catch::Contains("HDF5"));
}

TEST_CASE("ticks are 1-2-5 multiples inside the range", "[viewer][options]") {
    CHECK(nice_ticks(0.0, 500.0, 8) == std::vector<double>{0, 100, 200, 300, 400, 500});
    CHECK(nice_ticks(-70.0, -50.0, 4) == std::vector<double>{-70, -65, -60, -55, -50});
    CHECK(nice_ceil(55.0) == 100.0);
    CHECK(nice_ceil(0.3) == Approx(0.5));
}

TEST_CASE("the hover readout maps raster rows back to the population and neuron drawn there", "[viewer][options]") {
    const RunData data = two_populations();
    const PlotOptions options = resolve(data, {});
    std::size_t p = 9;
    std::uint32_t n = 0;
    // Box of 100 px for 100 rows, exc at the bottom: the row at y = 99.5 is exc 0, y = 0.5 is inh 19.
    REQUIRE(raster_neuron_at(data, options, 0.f, 100.f, 99.5f, p, n));
    CHECK((p == 0 && n == 0));
    REQUIRE(raster_neuron_at(data, options, 0.f, 100.f, 0.5f, p, n));
    CHECK((p == 1 && n == 19));
    REQUIRE(raster_neuron_at(data, options, 0.f, 100.f, 19.5f, p, n));
    CHECK((p == 1 && n == 0));
    CHECK_FALSE(raster_neuron_at(data, options, 0.f, 100.f, 120.f, p, n));
}
