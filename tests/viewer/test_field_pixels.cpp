// The fields panel and the choice of projection, rendered to PNG (hidden tag [.viewer]: they
// need an X display; CTest runs them under Xvfb). The weights are set by hand, so where each
// colour must appear follows from the layout alone.
#include "experiments/sym_stdp_report.hpp"
#include "viewer/panels.hpp"
#include "viewer/plot.hpp"
#include "viewer/png_output.hpp"
#include "viewer/style.hpp"
#include "viewer/recording_fixture.hpp"

#include <SFML/Graphics/Image.hpp>

#include <catch2/catch.hpp>

#include <filesystem>

namespace {

using namespace myelin::viewer;

constexpr unsigned width = 1200, height = 800;

sf::Image render(const RunData& data, const PlotOptions& options, const std::string& name) {
    const std::string png = (std::filesystem::temp_directory_path() / ("myelin_viewer_" + name + ".png")).string();
    write_png(data, options, width, height, png);
    sf::Image image;
    REQUIRE(image.loadFromFile(png));
    return image;
}

sf::FloatRect box_of(const PlotOptions& options, PanelKind kind) {
    for (const auto& panel : plot_layout(options, width, height))
        if (panel.kind == kind) return panel.box;
    FAIL("no such panel");
    return {};
}

// All-to-all weights from `n_pre` to `n_post` neurons, one snapshot: weight(pre, post).
template <class Weight>
WeightSnapshots all_to_all(const std::string& name, std::uint32_t n_pre, std::uint32_t n_post, Weight weight) {
    WeightSnapshots w{name, n_pre, n_post, {}, {}, {0.0}, {}};
    for (std::uint32_t i = 0; i < n_pre; ++i)
        for (std::uint32_t j = 0; j < n_post; ++j) {
            w.pre.push_back(i);
            w.post.push_back(j);
            w.weights.push_back(weight(i, j));
        }
    return w;
}

RunData run_with(std::vector<WeightSnapshots> weights) {
    RunData data;
    data.end_ms = 100.0;
    data.populations = {{"in", 16, {}, {}}, {"out", 3, {}, {}}};
    data.weights = std::move(weights);
    return data;
}

const sf::Color lowest = weight_colour(0.0), highest = weight_colour(1.0);

// A sym-STDP training report written by `myelin train`'s own writer, for 3 E neurons over a 3x2
// image (3 columns, 2 rows): E neuron i has weight 1 from pixel 2 i and `rest` from the others.
std::string sym_stdp_report(const std::string& name, float rest) {
    using namespace myelin;
    learning::SymStdpNetworkParams p;
    p.n_input = 6;
    p.n_exc = 3;
    learning::SymStdpTrainer trainer(p, 1, 10.0);
    std::vector<float>& w = trainer.network().weights().input_exc;   // [pixel][neuron], as the network stores it
    for (std::size_t j = 0; j < p.n_input; ++j)
        for (std::size_t i = 0; i < p.n_exc; ++i) w[j * p.n_exc + i] = j == 2 * i ? 1.0f : rest;
    cli::TrainSpec spec;
    spec.algorithm = "sym_stdp";
    cli::SymStdpReport report;
    report.image_rows = 2;
    report.image_columns = 3;
    const std::string path = (std::filesystem::temp_directory_path() / ("myelin_viewer_" + name + ".h5")).string();
    cli::write_sym_stdp_report(path, spec, report, trainer);
    return path;
}

}  // namespace

TEST_CASE("a receptive field tile lights the pre neuron's pixel of a 4x4 image in the highest colour", "[.viewer][fields]") {
    // Post neuron j is driven by pre neuron 5 j alone: pixels (0,0), (1,1), (2,2) of the 4x4 image.
    const RunData data = run_with({all_to_all("in_out", 16, 3, [](auto i, auto j) { return i == 5 * j ? 1.0f : 0.0f; })});
    PlotOptions options;
    options.panels = {PanelKind::raster, PanelKind::fields};
    options = resolve(data, options);
    REQUIRE(options.field_width == 4);  // 16 pre neurons: a square image by default
    const sf::Image image = render(data, options, "fields");
    const sf::FloatRect box = box_of(options, PanelKind::fields);
    const FieldGrid grid = field_grid(box, 3, 4, 4);
    REQUIRE(grid.scale >= 4.0);  // tiles big enough to hit pixel centres
    for (std::size_t post = 0; post < 3; ++post) {
        const sf::FloatRect tile = field_tile(box, grid, 4, 4, post);
        for (unsigned pre = 0; pre < 16; ++pre) {
            CAPTURE(post, pre);
            const auto x = static_cast<unsigned>(tile.left + (pre % 4 + 0.5) * grid.scale);
            const auto y = static_cast<unsigned>(tile.top + (pre / 4 + 0.5) * grid.scale);
            CHECK(image.getPixel(x, y) == (pre == 5 * post ? highest : lowest));
        }
    }
}

TEST_CASE("a field shape that does not match the pre population is refused by name", "[viewer][fields]") {
    const RunData data = run_with({all_to_all("in_out", 16, 3, [](auto, auto) { return 0.5f; })});
    PlotOptions options;
    options.panels = {PanelKind::fields};
    parse_field_shape("8x4", options);
    REQUIRE_THROWS_WITH(resolve(data, options), Catch::Contains("--field-shape 8x4 has 32 pixels") &&
                                                    Catch::Contains("\"in_out\" has 16 pre neurons"));
    parse_field_shape("2x8", options);
    CHECK(resolve(data, options).field_height == 8);
    REQUIRE_THROWS_WITH(parse_field_shape("28", options), Catch::Contains("expected WIDTHxHEIGHT"));
    RunData odd = run_with({all_to_all("odd", 15, 3, [](auto, auto) { return 0.5f; })});
    PlotOptions square;
    square.panels = {PanelKind::fields};
    REQUIRE_THROWS_WITH(resolve(odd, square), Catch::Contains("15 pre neurons, not a square image"));
}

TEST_CASE("the weights panel shows the projection chosen by name", "[.viewer][fields]") {
    // "first" has one synapse, pre 0 -> post 0; "second" one, pre 3 -> post 2.
    WeightSnapshots first{"first", 4, 3, {0}, {0}, {0.0}, {1.0f}};
    WeightSnapshots second{"second", 4, 3, {3}, {2}, {0.0}, {1.0f}};
    const RunData data = run_with({first, second});
    REQUIRE_THROWS_WITH(projection_index(data, "third"), Catch::Contains("no weights of projection \"third\"") &&
                                                           Catch::Contains("it has: first, second"));
    PlotOptions options;
    options.panels = {PanelKind::raster, PanelKind::weights};
    options.projection = projection_index(data, "second");
    options = resolve(data, options);
    const sf::Image image = render(data, options, "second_projection");
    const sf::FloatRect box = box_of(options, PanelKind::weights);
    const auto cell = [&](int pre, int post) {  // 4 pre rows (0 at the bottom) x 3 post columns
        return image.getPixel(static_cast<unsigned>(box.left + (post + 0.5) / 3.0 * box.width),
                              static_cast<unsigned>(box.top + box.height - (pre + 0.5) / 4.0 * box.height));
    };
    CHECK(cell(3, 2) != sf::Color::White);
    CHECK(cell(0, 0) == sf::Color::White);
}

TEST_CASE("a sym-STDP training report loads as its receptive fields, one tile per E neuron in the report's shape",
          "[viewer][fields][issue-6]") {
    const std::string path = sym_stdp_report("report_load", 0.25f);
    REQUIRE(is_train_report(path));
    const RunData data = load_run(path);
    CHECK(data.weights_only);
    REQUIRE(data.weights.size() == 1);
    const WeightSnapshots& w = data.weights[0];
    CHECK(w.projection == "input_exc");
    CHECK(w.n_pre == 6);
    CHECK(w.n_post == 3);
    REQUIRE(w.weights.size() == 18);
    for (std::size_t s = 0; s < w.weights.size(); ++s) {
        CAPTURE(w.pre[s], w.post[s]);
        CHECK(w.weights[s] == (w.pre[s] == 2 * w.post[s] ? 1.0f : 0.25f));   // the writer transposes; this undoes it
    }
    // resolve keeps the weight panels asked for (`myelin plot` asks for fields when no --panels
    // is given) and takes the fields' shape from the report's rows x columns.
    PlotOptions options;
    options = resolve(data, options);
    CHECK(options.panels == std::vector<PanelKind>{PanelKind::weights});
    options.panels = {PanelKind::fields};
    options = resolve(data, options);
    CHECK(options.field_width == 3);
    CHECK(options.field_height == 2);
    PlotOptions time_panels;
    time_panels.panels = {PanelKind::raster, PanelKind::rate};
    CHECK(resolve(data, time_panels).panels == std::vector<PanelKind>{PanelKind::fields});   // nothing on a time axis
    CHECK_FALSE(is_train_report(myelin::test::write_recording(
        "[simulation]\nduration = 1.0\n[[population]]\nname = \"a\"\nsize = 1\nmodel = \"SpikeSourcePoisson\"\n", "not_report")));
}

TEST_CASE("a training report's receptive field tiles light each E neuron's own pixel in the highest colour",
          "[.viewer][fields][issue-6]") {
    const RunData data = load_run(sym_stdp_report("report_png", 0.0f));
    PlotOptions options;
    options.panels = {PanelKind::fields};
    options = resolve(data, options);
    const sf::Image image = render(data, options, "report_fields");
    const sf::FloatRect box = box_of(options, PanelKind::fields);
    const FieldGrid grid = field_grid(box, 3, 3, 2);
    REQUIRE(grid.scale >= 4.0);
    for (std::size_t post = 0; post < 3; ++post) {
        const sf::FloatRect tile = field_tile(box, grid, 3, 2, post);
        for (unsigned pre = 0; pre < 6; ++pre) {
            CAPTURE(post, pre);
            const auto x = static_cast<unsigned>(tile.left + (pre % 3 + 0.5) * grid.scale);   // column pre % 3
            const auto y = static_cast<unsigned>(tile.top + (pre / 3 + 0.5) * grid.scale);    // row pre / 3
            CHECK(image.getPixel(x, y) == (pre == 2 * post ? highest : lowest));
        }
    }
}
