// The live window's queue (viewer/bounded_queue.hpp): fixed capacity, a full queue refuses the
// new item (counted as dropped) and never blocks, kept items come out whole and in order, and a
// producer and consumer on two threads lose nothing but what was counted as dropped.
#include "viewer/bounded_queue.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using myelin::viewer::BoundedQueue;

namespace {

// An item whose payload can be checked whole: n copies of n.
std::vector<int> item(int n) { return std::vector<int>(static_cast<std::size_t>(n % 97 + 1), n); }

bool whole(const std::vector<int>& v) {
    if (v.empty()) return false;
    for (int x : v)
        if (x != v.front() || v.size() != static_cast<std::size_t>(v.front() % 97 + 1)) return false;
    return true;
}

}  // namespace

TEST_CASE("a full queue refuses new items, counts them as dropped and keeps the oldest", "[viewer][queue]") {
    BoundedQueue<std::vector<int>> queue(4);
    REQUIRE(queue.capacity() == 4);
    for (int n = 0; n < 4; ++n) CHECK(queue.try_push(item(n)));
    CHECK(queue.size() == 4);
    CHECK_FALSE(queue.try_push(item(4)));
    CHECK_FALSE(queue.try_push(item(5)));
    CHECK(queue.dropped() == 2);
    CHECK(queue.size() == 4);
    for (int n = 0; n < 4; ++n) {
        const auto popped = queue.try_pop();
        REQUIRE(popped);
        CHECK(*popped == item(n));
    }
    CHECK_FALSE(queue.try_pop());
}

TEST_CASE("the queue keeps first-in first-out order across the ring's wrap-around", "[viewer][queue]") {
    BoundedQueue<std::vector<int>> queue(3);
    int pushed = 0, expected = 0;
    // Two in, one out, 50 times: the ring wraps many times; refusals leave gaps, never reorder.
    for (int round = 0; round < 50; ++round) {
        queue.try_push(item(pushed++));
        queue.try_push(item(pushed++));
        const auto popped = queue.try_pop();
        REQUIRE(popped);
        CHECK(whole(*popped));
        CHECK(popped->front() >= expected);
        expected = popped->front() + 1;
    }
    CHECK(queue.dropped() + 50 + queue.size() == static_cast<std::uint64_t>(pushed));
}

TEST_CASE("a closed queue refuses pushes and still hands out what it holds", "[viewer][queue]") {
    BoundedQueue<std::vector<int>> queue(2);
    REQUIRE(queue.try_push(item(1)));
    queue.close();
    CHECK(queue.closed());
    CHECK_FALSE(queue.try_push(item(2)));
    const auto popped = queue.try_pop();
    REQUIRE(popped);
    CHECK(*popped == item(1));
}

TEST_CASE("a producer and a consumer on two threads lose only the items counted as dropped", "[viewer][queue]") {
    BoundedQueue<std::vector<int>> queue(8);
    constexpr int total = 100000;
    std::atomic<bool> done{false};
    std::vector<int> received;
    bool all_whole = true;
    std::thread consumer([&] {
        while (true) {
            const bool finished = done.load();  // read before popping: nothing pushed later is missed
            while (auto popped = queue.try_pop()) {
                all_whole = all_whole && whole(*popped);
                received.push_back(popped->front());
            }
            if (finished) break;
            std::this_thread::yield();
        }
    });
    int accepted = 0;
    for (int n = 0; n < total; ++n) accepted += queue.try_push(item(n));
    done.store(true);
    consumer.join();
    CHECK(all_whole);
    CHECK(static_cast<int>(received.size()) == accepted);
    CHECK(queue.dropped() == static_cast<std::uint64_t>(total - accepted));
    for (std::size_t i = 1; i < received.size(); ++i) REQUIRE(received[i] > received[i - 1]);
}
