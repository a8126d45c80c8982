// The live run (live_run.hpp).
#include "experiments/live_run.hpp"

#include "experiments/commands.hpp"

#include "viewer/live_feed.hpp"
#include "viewer/plot_options.hpp"
#include "viewer/view_window.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <iostream>
#include <thread>

namespace myelin::cli {

int run_with_view(const LiveView& view, const io::RunSpec& run, const sim::Network& network, std::int64_t start_step,
                  sim::Recorder* recording, const std::function<int(sim::Recorder*)>& simulate,
                  const std::atomic<bool>& interrupt) {
    viewer::LiveFeed feed(run, network, recording, start_step);
    viewer::RunData data = feed.skeleton();
    // Bad panel names or field shapes are bad command lines (exit 2), found before the run.
    viewer::PlotOptions options;
    try {
        if (!view.panels.empty()) options.panels = viewer::parse_panels(view.panels);
        if (!view.field_shape.empty()) viewer::parse_field_shape(view.field_shape, options);
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    try {
        options = viewer::resolve_live(data, options, view.span_ms);
    } catch (const Error& e) {
        throw UsageError(e.what());
    }

    std::atomic<bool> run_over{false}, run_failed{false};
    int code = 0;
    std::exception_ptr run_error, window_error;
    std::thread engine([&] {
        try {
            code = simulate(&feed);
        } catch (...) {
            run_error = std::current_exception();
            run_failed.store(true);
        }
        try {
            feed.finish(network);
        } catch (...) {  // the window only misses the last frame; the run's outcome stands
        }
        run_over.store(true);
    });
    // The window is the side that may lose: this thread (and the threads the OpenGL driver
    // starts from it, which inherit its priority) runs 10 nice levels below the engine, so on
    // a busy machine the window gets what the engine leaves. Raising one's nice value needs no
    // privilege; the engine thread, already started, keeps the priority the user gave.
    const pid_t window_thread = ::gettid();
    errno = 0;
    const int nice_now = ::getpriority(PRIO_PROCESS, static_cast<id_t>(window_thread));
    if (errno == 0) ::setpriority(PRIO_PROCESS, static_cast<id_t>(window_thread), std::min(19, nice_now + 10));
    viewer::LiveReceiver receiver(feed.queue(), run_over, &interrupt, &run_failed);
    try {
        viewer::run_live_window(data, receiver, options, view.width, view.height, view.title, view.close_after_s);
    } catch (...) {
        window_error = std::current_exception();
    }
    // From here the engine builds no more frames (closed queue: LiveFeed stops copying).
    feed.queue().close();
    if (!run_over.load() && !interrupt.load() && !run_failed.load())
        std::cerr << "myelin: the window was closed; the run goes on without it"
                  << (view.output.empty() ? std::string() : " and writes " + view.output) << "\n";
    engine.join();
    if (run_error) std::rethrow_exception(run_error);
    if (window_error) std::rethrow_exception(window_error);
    return code;
}

}  // namespace myelin::cli
