// What `myelin run --view` costs the engine (docs/viewer.md, "Speed"): a config run on one
// thread with no recorder, then with the live feed in front of none and a consumer thread that
// drains the frames into a RunData as the window does. Prints the loop's wall time and the
// engine thread's CPU time (the part a busy machine does not inflate) for each, alternating.
// Usage: live_feed_cost CONFIG [duration_ms] [repeats]
#include "experiments/catalogue.hpp"
#include "io/config.hpp"
#include "sim/simulation.hpp"
#include "viewer/live_feed.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

using namespace myelin;

namespace {

double thread_cpu_s() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

struct Cost {
    double wall = 0.0, cpu = 0.0;
    std::uint64_t frames = 0, spikes = 0;
};

Cost run_once(const io::RunSpec& run, const cli::Catalogue& catalogue, bool live) {
    sim::Network network = sim::build(run.network, catalogue.models, catalogue.rules, 1);
    sim::Simulation simulation(network);
    const auto steps = static_cast<std::int64_t>(std::llround(run.duration / run.network.dt));
    Cost cost;
    if (!live) {
        const double cpu = thread_cpu_s();
        cost.wall = simulation.run(steps).wall_seconds;
        cost.cpu = thread_cpu_s() - cpu;
        return cost;
    }
    viewer::LiveFeed feed(run, network, nullptr, 0);
    viewer::RunData data = feed.skeleton();
    std::atomic<bool> over{false};
    viewer::LiveReceiver receiver(feed.queue(), over, nullptr);
    std::thread window([&] {
        while (!receiver.finished()) {
            cost.frames += receiver.poll(data);
            std::this_thread::sleep_for(std::chrono::milliseconds(16));  // one display frame
        }
    });
    const double cpu = thread_cpu_s();
    cost.wall = simulation.run(steps, &feed).wall_seconds;
    cost.cpu = thread_cpu_s() - cpu;
    feed.finish(network);
    over.store(true);
    window.join();
    for (const auto& p : data.populations) cost.spikes += p.t.size();
    return cost;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: live_feed_cost CONFIG [duration_ms] [repeats]\n");
        return 2;
    }
    const cli::Catalogue catalogue;
    const std::string duration = argc > 2 ? argv[2] : "500";
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
    const io::RunSpec run = io::load_config(argv[1], {{"simulation.duration=" + duration}}, catalogue.models, catalogue.rules);
    std::printf("%s, %s ms, 1 thread: loop wall s / engine thread CPU s\n", argv[1], duration.c_str());
    for (int r = 0; r < repeats; ++r) {
        const Cost plain = run_once(run, catalogue, false), live = run_once(run, catalogue, true);
        std::printf("  plain %.3f / %.3f   live feed %.3f / %.3f   (%llu spikes in %llu polls)\n", plain.wall, plain.cpu,
                    live.wall, live.cpu, static_cast<unsigned long long>(live.spikes),
                    static_cast<unsigned long long>(live.frames));
    }
    return 0;
}
