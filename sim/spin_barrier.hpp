// A barrier for the step loop's thread team. Threads spin briefly (a step lasts microseconds,
// and sleeping on a futex would cost more than the wait), then sleep until the last one
// arrives, so more threads than cores still make progress.
#pragma once

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
        for (int spins = 0; spins < 4000; ++spins) {
            if (generation_.load(std::memory_order_acquire) != generation) return;
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
        while (generation_.load(std::memory_order_acquire) == generation)
            generation_.wait(generation, std::memory_order_acquire);
    }

private:
    const int count_;
    alignas(64) std::atomic<int> waiting_{0};
    alignas(64) std::atomic<unsigned> generation_{0};
};

}  // namespace myelin::sim
