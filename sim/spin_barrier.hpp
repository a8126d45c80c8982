// A barrier for the step loop's thread team. A thread that arrives early spins for a while (a
// step lasts microseconds, and sleeping on a futex costs more than that), then sleeps until the
// last one arrives. How long it spins adapts: on a machine whose cores are busy with other
// work, a team member is often descheduled for a whole time slice, and spinning then only
// takes CPU time from the member being waited for (measured: 2 threads ran 2-3x slower than
// 1 on a loaded 2-core machine with a fixed long spin). So a wait that had to sleep halves the
// spin, and a wait that ended while spinning doubles it, within [min_spins, max_spins].
#pragma once

#include <algorithm>
#include <atomic>

namespace myelin::sim {

class SpinBarrier {
public:
    explicit SpinBarrier(int count) : count_(count) {}

    void wait() noexcept {
        const unsigned generation = generation_.load(std::memory_order_acquire);
        if (waiting_.fetch_add(1, std::memory_order_acq_rel) == count_ - 1) {
            waiting_.store(0, std::memory_order_relaxed);
            generation_.fetch_add(1, std::memory_order_release);  // publishes the reset too
            generation_.notify_all();
            return;
        }
        // Per thread: each member learns from its own waits (no shared counter to contend on).
        thread_local int spin_budget = max_spins;
        for (int spins = 0; spins < spin_budget; ++spins) {
            if (generation_.load(std::memory_order_acquire) != generation) {
                spin_budget = std::min(max_spins, spin_budget * 2);
                return;
            }
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
        spin_budget = std::max(min_spins, spin_budget / 2);
        while (generation_.load(std::memory_order_acquire) == generation)
            generation_.wait(generation, std::memory_order_acquire);
    }

private:
    static constexpr int min_spins = 32, max_spins = 4000;
    const int count_;
    alignas(64) std::atomic<int> waiting_{0};
    alignas(64) std::atomic<unsigned> generation_{0};
};

}  // namespace myelin::sim
