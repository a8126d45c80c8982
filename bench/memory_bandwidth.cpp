// Memory bandwidth and random-update rate of this machine, to say how far each part of the step
// loop is from the hardware limit: sequential read (synapse rows), sequential read+write (neuron
// state), and scattered float additions into arrays of L1/L2/L3/DRAM size (spike delivery).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <random>
#include <vector>

namespace {

template <class F>
double best_seconds(F&& f, int repeats = 5) {
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

}  // namespace

int main() {
    const std::size_t big = std::size_t{1} << 27;  // 512 MiB of floats: far beyond every cache
    std::vector<float> a(big, 1.0f), b(big, 2.0f);
    double checksum = 0.0;  // printed, so no measured loop can be optimised away

    {  // integer sum: associative, so it vectorises and is not bound by one add's latency
        std::vector<std::uint32_t> words(big, 1);
        volatile std::uint32_t total = 0;
        const double read = best_seconds([&] { total = std::accumulate(words.begin(), words.end(), std::uint32_t{0}); });
        std::printf("sequential read        %6.1f GB/s\n", big * sizeof(std::uint32_t) / read / 1e9);
    }
    const double update = best_seconds([&] {
        for (std::size_t i = 0; i < big; ++i) a[i] = 0.99f * a[i] + b[i];
    });
    std::printf("sequential read+write  %6.1f GB/s (3 streams)\n", 3.0 * big * sizeof(float) / update / 1e9);

    // Scattered row[index[s]] += w, as in delivery: indices uniform over a target of each size.
    std::mt19937 random(1);
    const std::size_t events = std::size_t{1} << 25;
    std::vector<std::uint32_t> index(events);
    for (const std::size_t target_bytes : {std::size_t{32} << 10, std::size_t{1} << 20, std::size_t{16} << 20, std::size_t{256} << 20}) {
        const std::size_t n = target_bytes / sizeof(float);
        std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(n - 1));
        for (auto& i : index) i = pick(random);
        std::vector<float> row(n, 0.0f);
        const double t = best_seconds([&] {
            for (const std::uint32_t i : index) row[i] += 0.1f;
        }, 3);
        checksum += row[0];
        std::printf("scattered += into %8zu KiB: %6.2f ns/event\n", target_bytes >> 10, t / events * 1e9);
    }
    std::printf("(checksum %g)\n", checksum + a[big / 2]);
    return 0;
}
