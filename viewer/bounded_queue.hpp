// A fixed-capacity queue between the engine thread (producer) and the live window (consumer).
// The producer never waits for the consumer: when the queue is full, try_push refuses the new
// item and counts it as dropped, so a slow window loses frames and never slows the run. The
// items it keeps come out whole and in the order they went in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace myelin::viewer {

template <class T>
class BoundedQueue {
public:
    explicit BoundedQueue(std::size_t capacity) : slots_(capacity > 0 ? capacity : 1) {}

    // False (the item is dropped and counted) when the queue is full or closed. The lock is
    // held for a move and two index updates, never while the consumer works on an item.
    bool try_push(T&& item) {
        std::lock_guard lock(mutex_);
        if (closed_ || size_ == slots_.size()) {
            ++dropped_;
            return false;
        }
        slots_[(head_ + size_) % slots_.size()] = std::move(item);
        ++size_;
        return true;
    }

    // The oldest item, if any.
    std::optional<T> try_pop() {
        std::lock_guard lock(mutex_);
        if (size_ == 0) return std::nullopt;
        std::optional<T> item(std::move(slots_[head_]));
        slots_[head_] = T{};  // release what the moved-from slot may still hold
        head_ = (head_ + 1) % slots_.size();
        --size_;
        return item;
    }

    // After close() every push is refused: the consumer has gone, and the producer can skip
    // building items at all (closed()).
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    bool closed() const {
        std::lock_guard lock(mutex_);
        return closed_;
    }

    std::size_t capacity() const { return slots_.size(); }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return size_;
    }
    std::uint64_t dropped() const {
        std::lock_guard lock(mutex_);
        return dropped_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<T> slots_;
    std::size_t head_ = 0, size_ = 0;
    std::uint64_t dropped_ = 0;
    bool closed_ = false;
};

}  // namespace myelin::viewer
