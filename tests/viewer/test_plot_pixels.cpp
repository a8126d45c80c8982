// Rendering tests (hidden tag [.viewer]: they need an X display; CTest runs them under Xvfb
// through under_xvfb.sh). Each renders a recording the engine wrote to a PNG, reads the PNG
// back and looks for a population's colour where the known spikes or rate must put it.
#include "viewer/axes.hpp"
#include "viewer/panels.hpp"
#include "viewer/plot.hpp"
#include "viewer/png_output.hpp"
#include "viewer/style.hpp"
#include "viewer/recording_fixture.hpp"

#include <SFML/Graphics/Image.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

namespace {

using namespace myelin::viewer;

constexpr unsigned width = 1200, height = 800;

sf::Image render(const RunData& data, const PlotOptions& options, const std::string& name) {
    const std::string png = (std::filesystem::temp_directory_path() / ("myelin_viewer_" + name + ".png")).string();
    write_png(data, options, width, height, png);
    sf::Image image;
    REQUIRE(image.loadFromFile(png));
    REQUIRE(image.getSize() == sf::Vector2u(width, height));
    return image;
}

// Pixels of colour `c` in the rectangle [x0, x1) x [y0, y1) of the image.
int count_colour(const sf::Image& image, sf::Color c, int x0, int y0, int x1, int y1) {
    int n = 0;
    for (int y = std::max(y0, 0); y < std::min<int>(y1, static_cast<int>(image.getSize().y)); ++y)
        for (int x = std::max(x0, 0); x < std::min<int>(x1, static_cast<int>(image.getSize().x)); ++x)
            n += image.getPixel(static_cast<unsigned>(x), static_cast<unsigned>(y)) == c;
    return n;
}

sf::FloatRect box_of(const PlotOptions& options, PanelKind kind) {
    for (const auto& panel : plot_layout(options, width, height))
        if (panel.kind == kind) return panel.box;
    FAIL("no such panel");
    return {};
}

// Two populations of 10 spike sources: a's neuron 3 fires at 100 ms, b's neuron 7 at 300 ms.
const char* two_spikes = R"(
[simulation]
dt = 0.1
duration = 500.0
[[population]]
name = "a"
size = 10
model = "SpikeSourceArray"
params = { spike_times = [[], [], [], [100.0], [], [], [], [], [], []] }
[[population]]
name = "b"
size = 10
model = "SpikeSourceArray"
params = { spike_times = [[], [], [], [], [], [], [], [300.0], [], []] }
[[record]]
population = "a"
[[record]]
population = "b"
)";

}  // namespace

TEST_CASE("a spike at a known time and neuron lights its raster cell in its population's colour", "[.viewer][plot]") {
    const RunData data = load_run(myelin::test::write_recording(two_spikes, "two_spikes"));
    REQUIRE(data.populations.size() == 2);
    PlotOptions options;
    options.panels = {PanelKind::raster, PanelKind::rate};
    options = resolve(data, options);
    const sf::Image image = render(data, options, "two_spikes");
    const sf::FloatRect box = box_of(options, PanelKind::raster);

    // Where the documented mapping puts (t, global row): x linear in time over 0..500 ms,
    // populations stacked from the bottom (a: rows 0-9, b: rows 10-19), 20 rows in the box.
    const double row_px = box.height / 20.0;
    const auto x_of = [&](double t) { return static_cast<int>(box.left + t / 500.0 * box.width); };
    const auto band = [&](int row) {  // [top, bottom) pixel rows of a global row
        return std::pair{static_cast<int>(std::ceil(box.top + box.height - (row + 1) * row_px)),
                         static_cast<int>(std::floor(box.top + box.height - row * row_px))};
    };
    // One step of slack either way in time (the spike is stamped at the end of its step).
    const auto [a_top, a_bottom] = band(3);
    CHECK(count_colour(image, population_colour(0), x_of(100) - 2, a_top, x_of(100) + 3, a_bottom) > 0);
    const auto [b_top, b_bottom] = band(17);
    CHECK(count_colour(image, population_colour(1), x_of(300) - 2, b_top, x_of(300) + 3, b_bottom) > 0);

    // Nowhere else in the raster: not in the neighbouring rows, not at other times.
    const int left = static_cast<int>(box.left), right = static_cast<int>(box.left + box.width);
    const int top = static_cast<int>(box.top), bottom = static_cast<int>(box.top + box.height);
    const int a_total = count_colour(image, population_colour(0), left, top, right, bottom);
    CHECK(a_total == count_colour(image, population_colour(0), x_of(100) - 2, a_top, x_of(100) + 3, a_bottom));
    CHECK(count_colour(image, population_colour(1), left, top, right, bottom) ==
          count_colour(image, population_colour(1), x_of(300) - 2, b_top, x_of(300) + 3, b_bottom));
    CHECK(count_colour(image, population_colour(0), x_of(100) - 2, band(4).first, x_of(100) + 3, band(4).second) == 0);
}

TEST_CASE("a recording without spikes draws axes and labels but no spikes", "[.viewer][plot]") {
    const std::string toml = R"(
[simulation]
duration = 200.0
[[population]]
name = "quiet"
size = 50
model = "SpikeSourceArray"
params = { spike_times = [[]] }
[[record]]
population = "quiet"
)";
    const RunData data = load_run(myelin::test::write_recording(toml, "empty"));
    REQUIRE(data.populations.at(0).t.empty());
    PlotOptions options;
    options.panels = {PanelKind::raster, PanelKind::rate};
    options = resolve(data, options);
    const sf::Image image = render(data, options, "empty");
    const sf::FloatRect box = box_of(options, PanelKind::raster);
    const int left = static_cast<int>(box.left), right = static_cast<int>(box.left + box.width);
    const int top = static_cast<int>(box.top), bottom = static_cast<int>(box.top + box.height);
    CHECK(count_colour(image, population_colour(0), left, top, right, bottom) == 0);
    // The frame: a line of the axis colour just below the box along its whole width.
    CHECK(count_colour(image, axis_colour, left, bottom, right, bottom + 1) == right - left);
    // Tick labels under the axis: dark text pixels, not a blank strip.
    int dark = 0;
    for (int y = bottom + 6; y < bottom + 24; ++y)
        for (int x = left - 10; x < right + 10; ++x) dark += image.getPixel(x, y).r < 128;
    CHECK(dark > 50);
}

TEST_CASE("the rate panel's curve sits at the height of a known constant rate", "[.viewer][plot]") {
    // 100 sources; source i fires at 0.2 (i + 1) ms + 20 k ms: each 50 Hz, and the population
    // fires every 0.2 ms, so every bin of the rate plot holds exactly 50 Hz.
    std::ostringstream times;
    for (int i = 0; i < 100; ++i) {
        times << (i ? ", [" : "[");
        for (int k = 0; k < 25; ++k) times << (k ? ", " : "") << 0.2 * (i + 1) + 20.0 * k;
        times << "]";
    }
    const std::string toml = "[simulation]\ndt = 0.1\nduration = 500.0\n[[population]]\nname = \"r\"\nsize = 100\n"
                             "model = \"SpikeSourceArray\"\nparams = { spike_times = [" + times.str() + "] }\n"
                             "[[record]]\npopulation = \"r\"\n";
    const RunData data = load_run(myelin::test::write_recording(toml, "rate"));
    REQUIRE(data.populations.at(0).t.size() == 2500);
    PlotOptions options;
    options.panels = {PanelKind::raster, PanelKind::rate};
    options = resolve(data, options);
    const sf::Image image = render(data, options, "rate");
    const sf::FloatRect box = box_of(options, PanelKind::rate);
    const double top_hz = rate_axis_max(data, options);
    REQUIRE(top_hz > 50.0);
    const double expected_y = box.top + box.height - 50.0 / top_hz * box.height;
    CAPTURE(top_hz, expected_y);
    // In several columns across the run, the curve's pixels lie within 2 px of 50 Hz (1 px of
    // line rasterisation plus 1 px of rounding).
    for (double t : {60.0, 250.0, 440.0}) {
        CAPTURE(t);
        const int x = static_cast<int>(box.left + t / 500.0 * box.width);
        int found = -1;
        for (int y = static_cast<int>(box.top); y < static_cast<int>(box.top + box.height) && found < 0; ++y)
            if (image.getPixel(x, y) == population_colour(0)) found = y;
        REQUIRE(found >= 0);
        CHECK(std::abs(found - expected_y) <= 2.0);
    }
}

TEST_CASE("the weight panel colours exactly the cells that have a synapse", "[.viewer][plot]") {
    // One-to-one from 10 sources to 10 neurons: synapses only on the diagonal (pre i -> post i).
    const std::string toml = R"(
[simulation]
duration = 20.0
[[population]]
name = "src"
size = 10
model = "SpikeSourceArray"
params = { spike_times = [[5.0]] }
[[population]]
name = "dst"
size = 10
model = "IF_curr_exp"
[[projection]]
name = "diag"
pre = "src"
post = "dst"
connect = { rule = "one_to_one" }
weight = 0.25
[[record]]
population = "dst"
[[record]]
projection = "diag"
)";
    const RunData data = load_run(myelin::test::write_recording(toml, "weights"));
    REQUIRE(data.weights.size() == 1);
    PlotOptions options;
    options.panels = {PanelKind::raster, PanelKind::weights};
    options = resolve(data, options);
    const sf::Image image = render(data, options, "weights");
    const sf::FloatRect box = box_of(options, PanelKind::weights);
    // Cell centres: post j along x, pre i up from the bottom, 10 x 10 cells over the box.
    const auto pixel = [&](int pre, int post) {
        return image.getPixel(static_cast<unsigned>(box.left + (post + 0.5) / 10.0 * box.width),
                              static_cast<unsigned>(box.top + box.height - (pre + 0.5) / 10.0 * box.height));
    };
    for (int i = 0; i < 10; ++i)
        for (int j = 0; j < 10; ++j) {
            CAPTURE(i, j);
            if (i == j)
                CHECK(pixel(i, j) != sf::Color::White);  // a synapse: coloured
            else
                CHECK(pixel(i, j) == sf::Color::White);  // none: left white
        }
}
