// The interactive window (view_window.hpp). The plot is drawn into a cached texture only when
// the window, the time range or the shown populations change; each frame then costs one
// sprite and the hover readout, so 10^7 spikes stay at the display's frame rate.
#include "viewer/view_window.hpp"

#include "viewer/axes.hpp"
#include "viewer/plot.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/RectangleShape.hpp>
#include <SFML/Graphics/RenderTexture.hpp>
#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/Graphics/Sprite.hpp>
#include <SFML/System/Clock.hpp>
#include <SFML/System/Sleep.hpp>
#include <SFML/Window/Event.hpp>

#include <algorithm>
#include <cstdio>

namespace myelin::viewer {

bool raster_neuron_at(const RunData& data, const PlotOptions& options, float box_top, float box_height, float y,
                      std::size_t& population, std::uint32_t& neuron) {
    double rows = 0;
    for (std::size_t p = 0; p < data.populations.size(); ++p)
        if (shown(options, p)) rows += data.populations[p].size;
    if (rows == 0 || y < box_top || y >= box_top + box_height) return false;
    const double row = (box_top + box_height - y) / box_height * rows;  // counted from the bottom
    double row0 = 0;
    for (std::size_t p = 0; p < data.populations.size(); ++p) {
        if (!shown(options, p)) continue;
        if (row < row0 + data.populations[p].size) {
            population = p;
            neuron = static_cast<std::uint32_t>(row - row0);
            return true;
        }
        row0 += data.populations[p].size;
    }
    return false;
}

namespace {

// Keeps [from, to] inside [start, extent_end], preserving its span where possible.
void clamp_window(const RunData& data, PlotOptions& options, double extent_end) {
    const double run = extent_end - data.start_ms;
    const double span = std::clamp(options.to_ms - options.from_ms, std::min(run, 10.0 * data.dt), run);
    options.from_ms = std::clamp(options.from_ms, data.start_ms, extent_end - span);
    options.to_ms = options.from_ms + span;
}

// Moves the shown weight snapshot `by` snapshots (within the recorded ones).
void step_snapshot(const std::vector<double>& times, PlotOptions& options, int by) {
    if (times.empty()) return;
    auto current = static_cast<std::ptrdiff_t>(times.size()) - 1;
    if (options.weight_time_ms >= 0.0)
        while (current > 0 && times[static_cast<std::size_t>(current)] > options.weight_time_ms + 1e-9) --current;
    const auto next = std::clamp<std::ptrdiff_t>(current + by, 0, static_cast<std::ptrdiff_t>(times.size()) - 1);
    options.weight_time_ms = times[static_cast<std::size_t>(next)];
}

// How a live window moves with the simulated time.
enum class Follow {
    off,        // the user panned away: the window stays where it is
    last_span,  // the last (to - from) ms, like an oscilloscope that fills from the left
    whole,      // everything simulated so far
};

// The window loop of `myelin view` (live == nullptr) and `myelin run --view` (live: polled
// every frame, and `data` grows under it; `growing` is the same object, writable).
void window_loop(const RunData& data, RunData* growing, LiveSource* live, PlotOptions options, unsigned width,
                 unsigned height, const std::string& title, double close_after_s) {
    const sf::Font& font = default_font();
    sf::RenderWindow window(sf::VideoMode(width, height), title);
    window.setFramerateLimit(60);
    // SFML 2.5 centres a new window with a desktop size that Xvfb reports wrongly (a 1920x1080
    // screen put a 700 px window at y = 610, half off screen); the top-left corner is always
    // on screen, and a window manager places it as it likes anyway.
    window.setPosition({0, 0});
    sf::RenderTexture cache;
    bool dirty = true, dragging = false, fresh_data = false, finished_shown = false;
    std::string shown_title = title;
    float drag_x = 0.f;
    double drag_from = 0.0;
    sf::Vector2f mouse{-1.f, -1.f};
    const sf::Clock clock;
    sf::Clock since_render, since_present;
    sf::Time render_cost;
    Follow follow = live ? Follow::last_span : Follow::off;
    // A live run's window may reach past what is simulated so far: the first span fills in.
    const double live_span = options.to_ms - options.from_ms;
    const auto extent_end = [&] { return live ? std::max(data.end_ms, data.start_ms + live_span) : data.end_ms; };
    const auto follow_now = [&] {
        if (follow == Follow::off) return;
        const double span = options.to_ms - options.from_ms;
        if (follow == Follow::whole) {
            options.from_ms = data.start_ms;
            options.to_ms = std::max(data.end_ms, data.start_ms + 10.0 * data.dt);
        } else {
            options.to_ms = std::max(data.end_ms, data.start_ms + span);
            options.from_ms = options.to_ms - span;
        }
    };
    while (window.isOpen()) {
        if (live) {
            if (live->poll(*growing)) {
                fresh_data = true;
                follow_now();
            }
            if (live->close_requested()) window.close();
            if (live->finished() && !finished_shown) finished_shown = fresh_data = true;
        }
        const sf::Vector2u size = window.getSize();
        const std::vector<PanelBox> layout = plot_layout(options, static_cast<float>(size.x), static_cast<float>(size.y));
        const sf::FloatRect time_box = layout.front().box;  // all time panels share x
        const double span = options.to_ms - options.from_ms;
        const auto time_at = [&](float x) { return options.from_ms + (x - time_box.left) / time_box.width * span; };
        bool input = false;
        for (sf::Event event; window.pollEvent(event);) {
            input = true;
            switch (event.type) {
                case sf::Event::Closed: window.close(); break;
                case sf::Event::Resized:
                    window.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(event.size.width),
                                                          static_cast<float>(event.size.height))));
                    dirty = true;
                    break;
                case sf::Event::MouseWheelScrolled: {
                    const double factor = event.mouseWheelScroll.delta > 0 ? 0.8 : 1.25;
                    if (follow != Follow::off) {
                        // Following: the right edge stays at the simulated time.
                        options.from_ms = options.to_ms - (options.to_ms - options.from_ms) * factor;
                        follow = Follow::last_span;
                    } else {
                        // Zoom about the time under the mouse: it stays under the mouse.
                        const double t = std::clamp(time_at(static_cast<float>(event.mouseWheelScroll.x)), options.from_ms, options.to_ms);
                        options.from_ms = t - (t - options.from_ms) * factor;
                        options.to_ms = t + (options.to_ms - t) * factor;
                    }
                    clamp_window(data, options, extent_end());
                    follow_now();
                    dirty = true;
                    break;
                }
                case sf::Event::MouseButtonPressed:
                    if (event.mouseButton.button == sf::Mouse::Left) {
                        dragging = true;
                        drag_x = static_cast<float>(event.mouseButton.x);
                        drag_from = options.from_ms;
                    }
                    break;
                case sf::Event::MouseButtonReleased: dragging = false; break;
                case sf::Event::MouseMoved:
                    mouse = {static_cast<float>(event.mouseMove.x), static_cast<float>(event.mouseMove.y)};
                    if (dragging) {
                        const double shift = (drag_x - mouse.x) / time_box.width * span;
                        options.from_ms = drag_from + shift;
                        options.to_ms = options.from_ms + span;
                        clamp_window(data, options, extent_end());
                        follow = Follow::off;
                        dirty = true;
                    }
                    break;
                case sf::Event::KeyPressed: {
                    const auto key = event.key.code;
                    if (key == sf::Keyboard::Escape || key == sf::Keyboard::Q) window.close();
                    if (key == sf::Keyboard::Home) {
                        options.from_ms = data.start_ms, options.to_ms = data.start_ms + span;
                        follow = Follow::off;
                    }
                    if (key == sf::Keyboard::End) {
                        options.from_ms = data.end_ms - span, options.to_ms = data.end_ms;
                        if (live) follow = Follow::last_span;
                    }
                    if (key == sf::Keyboard::Num0) {
                        options.from_ms = data.start_ms, options.to_ms = data.end_ms;
                        if (live) follow = Follow::whole;
                    }
                    if ((key == sf::Keyboard::LBracket || key == sf::Keyboard::RBracket) && !data.weights.empty())
                        step_snapshot(data.weights[std::min(options.projection, data.weights.size() - 1)].times_ms, options,
                                      key == sf::Keyboard::RBracket ? 1 : -1);
                    if (key == sf::Keyboard::W && !data.weights.empty()) {
                        options.projection = (options.projection + 1) % data.weights.size();
                        options.weight_time_ms = -1.0;  // its last snapshot
                    }
                    if (key >= sf::Keyboard::Num1 && key <= sf::Keyboard::Num9) {
                        const auto p = static_cast<std::size_t>(key - sf::Keyboard::Num1);
                        if (p < options.hidden.size()) options.hidden[p] = !options.hidden[p];
                    }
                    clamp_window(data, options, extent_end());
                    follow_now();
                    dirty = true;
                    break;
                }
                default: break;
            }
        }
        if (!window.isOpen()) break;
        if (close_after_s > 0.0 && clock.getElapsedTime().asSeconds() > close_after_s) {
            window.close();
            break;
        }
        // New live data is drawn at most 10 times a second and at most a fifth of the time
        // (the gap is 4x the last drawing time), so a big network makes the window update
        // less often instead of taking the engine's cores.
        const sf::Time min_gap = std::max(sf::milliseconds(100), render_cost * 4.f);
        const bool render = dirty || (fresh_data && since_render.getElapsedTime() >= min_gap);
        // Nothing new to show: do not present the same picture again. With a software renderer
        // (Mesa on Xvfb, a remote X display) each present of a full window costs milliseconds of
        // CPU, 60 times a second, that a live run's engine would lose. Every 250 ms it is
        // presented anyway, in case the window was uncovered.
        if (!render && !input && since_present.getElapsedTime() < sf::milliseconds(250)) {
            sf::sleep(sf::milliseconds(10));
            continue;
        }
        since_present.restart();
        if (render) {
            if (cache.getSize() != size) cache.create(size.x, size.y);
            const sf::Clock render_clock;
            render_plot(cache, data, options, font);
            cache.display();
            render_cost = render_clock.getElapsedTime();
            since_render.restart();
            dirty = fresh_data = false;
        }
        window.clear(background);
        window.draw(sf::Sprite(cache.getTexture()));

        // Hover readout: a cursor line across the time panels, and the time (and, over the
        // raster, population and neuron) in the top margin.
        std::string readout = "wheel: zoom   drag: pan   Home/End   0: all   1-9: populations   [ ]: snapshot   W: projection   Q: quit";
        for (const PanelBox& panel : plot_layout(options, static_cast<float>(size.x), static_cast<float>(size.y))) {
            if (panel.kind == PanelKind::weights || panel.kind == PanelKind::fields || !panel.box.contains(mouse)) continue;
            char text[200];
            std::snprintf(text, sizeof text, "t = %.2f ms", time_at(mouse.x));
            readout = text;
            std::size_t p = 0;
            std::uint32_t neuron = 0;
            if (panel.kind == PanelKind::raster &&
                raster_neuron_at(data, options, panel.box.top, panel.box.height, mouse.y, p, neuron))
                readout += "   " + data.populations[p].name + " neuron " + std::to_string(neuron);
            sf::RectangleShape cursor({1.f, layout.back().box.top + layout.back().box.height - layout.front().box.top});
            cursor.setPosition(mouse.x, layout.front().box.top);
            cursor.setFillColor(sf::Color(0, 0, 0, 90));
            window.draw(cursor);
        }
        // The title repeats the hover readout (window lists show it, and scripts can read it).
        const bool hovering = readout.starts_with("t = ");
        const std::string new_title = title + (finished_shown ? " (finished)" : "") + (hovering ? "   " + readout : "");
        if (new_title != shown_title) window.setTitle(shown_title = new_title);
        sf::RectangleShape strip({static_cast<float>(size.x), margin_top - 2.f});
        strip.setFillColor(background);
        window.draw(strip);
        draw_label(window, font, readout, margin_left, 4.f, 0.f, 0.f);
        if (live) {
            char state[80];
            std::snprintf(state, sizeof state, "%s t = %.1f ms", live->finished() ? "finished:" : "running:", data.end_ms);
            std::string status = state;
            if (const std::uint64_t n = live->frames_dropped()) status += "   " + std::to_string(n) + " frames not drawn";
            draw_label(window, font, status, static_cast<float>(size.x) - 10.f, 4.f, 1.f, 0.f);
        }
        window.display();
    }
}

}  // namespace

void run_view_window(const RunData& data, PlotOptions options, unsigned width, unsigned height, const std::string& title,
                     double close_after_s) {
    window_loop(data, nullptr, nullptr, std::move(options), width, height, title, close_after_s);
}

void run_live_window(RunData& data, LiveSource& live, PlotOptions options, unsigned width, unsigned height,
                     const std::string& title, double close_after_s) {
    window_loop(data, &data, &live, std::move(options), width, height, title, close_after_s);
}

}  // namespace myelin::viewer
