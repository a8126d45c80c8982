// How long the viewer takes to redraw its panels (docs/viewer.md, "Speed"): N synthetic spikes
// (4000 neurons in two populations, Poisson at a rate that gives N over the run), drawn at
// 1600x900 into an offscreen texture, full extent and zoomed/panned windows. Needs a display
// (xvfb-run -a build/bench/viewer_redraw [spikes] [seconds]).
#include "sim/random.hpp"
#include "viewer/display.hpp"
#include "viewer/plot.hpp"
#include "viewer/raster_levels.hpp"

#include <SFML/Graphics/RenderTexture.hpp>
#include <SFML/OpenGL.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

using namespace myelin;

namespace {

// Poisson spikes of `size` neurons at `rate` Hz over [0, seconds], on the dt grid, in time order.
viewer::PopulationSpikes poisson(const std::string& name, std::uint32_t size, double rate, double seconds, double dt,
                                 std::uint32_t stream) {
    viewer::PopulationSpikes population{name, size, {}, {}};
    sim::RandomStream random(sim::RandomKey{12345, stream}, 0, 0);
    const double p = rate * dt / 1000.0;  // per neuron and step
    const auto steps = static_cast<std::int64_t>(std::llround(seconds * 1000.0 / dt));
    // Neurons spiking in a step: geometric gaps between them (p is small).
    const double log_q = std::log1p(-p);
    for (std::int64_t step = 0; step < steps; ++step) {
        for (double n = std::floor(std::log(random.uniform_positive()) / log_q); n < size;
             n += 1.0 + std::floor(std::log(random.uniform_positive()) / log_q)) {
            population.t.push_back(static_cast<float>(static_cast<double>(step + 1) * dt));
            population.neuron.push_back(static_cast<std::uint32_t>(n));
        }
    }
    return population;
}

// Wall and CPU time (all threads of the process, llvmpipe's included) of one frame, ms; the
// CPU time is what a loaded machine's wall time overstates least.
struct Frame {
    double wall = 1e30, cpu = 1e30;
};

double cpu_ms() { return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

Frame draw_ms(sf::RenderTexture& texture, const viewer::RunData& data, const viewer::PlotOptions& options, int repeats) {
    Frame best;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const double cpu_start = cpu_ms();
        viewer::render_plot(texture, data, options, viewer::default_font());
        texture.display();
        glFinish();  // the GPU (llvmpipe) work is part of the frame
        best.wall = std::min(best.wall, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        best.cpu = std::min(best.cpu, cpu_ms() - cpu_start);
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const double spikes = argc > 1 ? std::atof(argv[1]) : 1e7, seconds = argc > 2 ? std::atof(argv[2]) : 10.0;
    const double dt = 0.1, rate = spikes / (4000.0 * seconds);
    viewer::RunData data;
    data.dt = dt;
    data.end_ms = seconds * 1000.0;
    data.populations.push_back(poisson("exc", 3200, rate, seconds, dt, 1));
    data.populations.push_back(poisson("inh", 800, rate, seconds, dt, 2));
    std::printf("%zu spikes, %g s, %g Hz, 1600x900, raster + rate panels, best of 5 (ms per frame):\n",
                data.populations[0].t.size() + data.populations[1].t.size(), seconds, rate);
    viewer::require_display("viewer_redraw");
    sf::RenderTexture texture;
    texture.create(1600, 900);
    texture.setActive(true);
    viewer::PlotOptions options;
    options.panels = {viewer::PanelKind::raster, viewer::PanelKind::rate};
    options = viewer::resolve(data, options);
    const auto first = std::chrono::steady_clock::now();
    viewer::render_plot(texture, data, options, viewer::default_font());
    texture.display();
    glFinish();
    std::printf("  first draw, full extent (includes any one-off preparation): %.1f\n",
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - first).count());
    const Frame whole = draw_ms(texture, data, options, 5);
    std::printf("  full extent:          wall %6.1f   cpu %6.1f\n", whole.wall, whole.cpu);
    // The part that depends on the spikes: the raster's decimation of both populations at the
    // raster's size in this layout (the rest of a frame is drawing a fixed number of pixels).
    const sf::FloatRect raster = viewer::plot_layout(options, 1600.f, 900.f).front().box;
    for (const std::size_t levels_above : {std::size_t{1} << 18, static_cast<std::size_t>(-1)}) {
        double best = 1e30;
        for (int r = 0; r < 5; ++r) {
            const auto start = std::chrono::steady_clock::now();
            for (std::size_t p = 0; p < 2; ++p)
                viewer::raster_cells(data, p, options.from_ms, options.to_ms, static_cast<int>(raster.width),
                                     static_cast<int>(raster.height), p == 0 ? 0.0 : 3200.0, 4000.0, levels_above);
            best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        std::printf("  full extent, decimation only, %s: %.1f\n", levels_above == 1 << 18 ? "from the levels " : "spike by spike  ", best);
    }
    const double full = data.end_ms;
    for (double fraction : {0.5, 0.2, 0.05, 0.01}) {
        options.from_ms = 0.3 * full * (1.0 - fraction);
        options.to_ms = options.from_ms + fraction * full;
        const Frame part = draw_ms(texture, data, options, 5);
        std::printf("  %5.1f%% of the run:   wall %6.1f   cpu %6.1f\n", 100.0 * fraction, part.wall, part.cpu);
    }
    return 0;
}
