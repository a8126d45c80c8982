// Connector algorithms (connectivity.hpp). Rows are generated in parallel blocks; a row's draws
// come from its own stream, so results do not depend on the thread count.
#include "sim/connectivity.hpp"

#include "sim/draw_value.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

namespace myelin::sim {
namespace {

using Orientation = Adjacency::Orientation;

// Runs body(row) for every row in parallel blocks within an arena of `threads` threads.
template <class Body>
void for_each_row(std::size_t rows, int threads, Body&& body) {
    tbb::task_arena arena(threads);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows, 256),
                          [&](const tbb::blocked_range<std::size_t>& block) {
                              for (std::size_t row = block.begin(); row != block.end(); ++row) body(row);
                          });
    });
}

void prefix_sum(std::vector<std::uint64_t>& offsets) {
    std::uint64_t total = 0;
    for (auto& o : offsets) {
        const std::uint64_t count = o;
        o = total;
        total += count;
    }
}

// Rows of a fixed number of distinct (or, with replacement, independent) partners drawn
// uniformly from `candidates`, skipping the row's own index when `skip_self`.
Adjacency fixed_number(std::size_t rows, std::size_t candidates, std::uint64_t n, bool skip_self,
                       bool with_replacement, const RandomKey& key, int threads) {
    Adjacency adjacency;
    adjacency.offsets.resize(rows + 1);
    for (std::size_t r = 0; r <= rows; ++r) adjacency.offsets[r] = r * n;
    adjacency.partners.resize(rows * n);
    const auto pool = static_cast<std::uint32_t>(candidates - (skip_self ? 1 : 0));
    const std::size_t words = (candidates + 63) / 64;
    tbb::enumerable_thread_specific<std::vector<std::uint64_t>> taken_per_thread(
        [&] { return std::vector<std::uint64_t>(words, 0); });
    for_each_row(rows, threads, [&](std::size_t row) {
        RandomStream stream(key, static_cast<std::uint32_t>(row), 0);
        std::uint32_t* out = adjacency.partners.data() + row * n;
        // Draws are in [0, pool); shifting those at or above the row's own index skips it
        // (the shift keeps the order).
        const auto shift = [&](std::uint32_t x) { return skip_self && x >= row ? x + 1 : x; };
        if (with_replacement) {
            for (std::uint64_t k = 0; k < n; ++k) out[k] = shift(stream.below(pool));
            std::sort(out, out + n);
            return;
        }
        // Floyd's algorithm: n distinct values with n draws, marked in a bitmap that is then
        // read out in increasing order (and left cleared for the next row): no sort needed.
        auto& taken = taken_per_thread.local();
        for (std::uint64_t j = pool - n; j < pool; ++j) {
            std::uint32_t t = stream.below(static_cast<std::uint32_t>(j + 1));
            if (taken[t / 64] >> (t % 64) & 1) t = static_cast<std::uint32_t>(j);
            taken[t / 64] |= std::uint64_t{1} << (t % 64);
        }
        std::uint64_t k = 0;
        for (std::size_t w = 0; w < words && k < n; ++w) {
            for (std::uint64_t bits = taken[w]; bits != 0; bits &= bits - 1)
                out[k++] = shift(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
            taken[w] = 0;
        }
    });
    return adjacency;
}

// Each (pre, post) pair independently with probability p, generated per post neuron by
// skipping geometric gaps, which costs one draw per connection rather than per pair.
Adjacency fixed_probability(std::size_t n_pre, std::size_t n_post, double p, bool skip_self,
                            const RandomKey& key, int threads) {
    Adjacency adjacency;
    adjacency.offsets.assign(n_post + 1, 0);
    if (p <= 0.0) return adjacency;
    const double log_q = std::log1p(-p);  // -inf for p = 1: every gap is 0
    // Pass 1 counts, pass 2 regenerates the same draws and writes: no second copy in memory.
    const auto generate = [&](std::size_t post, auto&& emit) {
        RandomStream stream(key, static_cast<std::uint32_t>(post), 0);
        double pre = -1.0;
        while (true) {
            const double gap = p >= 1.0 ? 0.0 : std::floor(std::log(stream.uniform_positive()) / log_q);
            pre += 1.0 + gap;
            if (pre >= static_cast<double>(n_pre)) break;
            const auto j = static_cast<std::uint32_t>(pre);
            if (skip_self && j == post) continue;
            emit(j);
        }
    };
    for_each_row(n_post, threads, [&](std::size_t post) {
        std::uint64_t count = 0;
        generate(post, [&](std::uint32_t) { ++count; });
        adjacency.offsets[post] = count;
    });
    prefix_sum(adjacency.offsets);
    adjacency.partners.resize(adjacency.offsets.back());
    for_each_row(n_post, threads, [&](std::size_t post) {
        std::uint32_t* out = adjacency.partners.data() + adjacency.offsets[post];
        generate(post, [&](std::uint32_t j) { *out++ = j; });
    });
    return adjacency;
}

// n (pre, post) pairs, each uniform over the pool with replacement. Determinism: pairs come
// in blocks of `block` pairs, block b drawn from its own stream (b), so the pairs do not depend
// on the thread count; they are then bucketed by post neuron (stable) and each row sorted.
Adjacency fixed_total_number(std::size_t n_pre, std::size_t n_post, std::uint64_t n, bool skip_self,
                             const RandomKey& key, int threads) {
    constexpr std::uint64_t block = 1u << 16;
    Adjacency adjacency;
    adjacency.offsets.assign(n_post + 1, 0);
    if (n == 0) return adjacency;
    const auto pool = static_cast<std::uint32_t>(n_pre - (skip_self ? 1 : 0));
    std::vector<std::uint32_t> pre(n), post(n);
    for_each_row((n + block - 1) / block, threads, [&](std::size_t b) {
        RandomStream stream(key, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32));
        for (std::uint64_t k = b * block; k < std::min(n, (b + 1) * block); ++k) {
            post[k] = stream.below(static_cast<std::uint32_t>(n_post));
            const std::uint32_t j = stream.below(pool);
            pre[k] = skip_self && j >= post[k] ? j + 1 : j;  // skips the post neuron itself
        }
    });
    for (const std::uint32_t p : post) ++adjacency.offsets[p];
    prefix_sum(adjacency.offsets);
    adjacency.offsets.back() = n;
    adjacency.partners.resize(n);
    std::vector<std::uint64_t> fill(adjacency.offsets.begin(), adjacency.offsets.end() - 1);
    for (std::uint64_t k = 0; k < n; ++k) adjacency.partners[fill[post[k]]++] = pre[k];
    for_each_row(n_post, threads, [&](std::size_t row) {
        std::sort(adjacency.partners.begin() + static_cast<std::ptrdiff_t>(adjacency.offsets[row]),
                  adjacency.partners.begin() + static_cast<std::ptrdiff_t>(adjacency.offsets[row + 1]));
    });
    return adjacency;
}

Adjacency all_to_all(std::size_t n_pre, std::size_t n_post, bool skip_self) {
    Adjacency adjacency;
    adjacency.offsets.resize(n_post + 1, 0);
    for (std::size_t post = 0; post < n_post; ++post) {
        adjacency.offsets[post] = adjacency.partners.size();
        for (std::size_t pre = 0; pre < n_pre; ++pre)
            if (!(skip_self && pre == post)) adjacency.partners.push_back(static_cast<std::uint32_t>(pre));
    }
    adjacency.offsets[n_post] = adjacency.partners.size();
    return adjacency;
}

Adjacency one_to_one(std::size_t n) {
    Adjacency adjacency;
    adjacency.offsets.resize(n + 1);
    std::iota(adjacency.offsets.begin(), adjacency.offsets.end(), 0);
    adjacency.partners.resize(n);
    std::iota(adjacency.partners.begin(), adjacency.partners.end(), 0);
    return adjacency;
}

// A list given by the user: rows by pre neuron, partners sorted by post (stable, so repeated
// pairs keep their order), weights and delays carried along when the list has them.
Adjacency from_list(const ConnectorSpec& connect, std::size_t n_pre, double dt) {
    const auto& list = connect.list;
    std::vector<std::size_t> order(list.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return list[a].pre != list[b].pre ? list[a].pre < list[b].pre : list[a].post < list[b].post;
    });
    Adjacency adjacency;
    adjacency.orientation = Orientation::by_pre;
    adjacency.offsets.assign(n_pre + 1, 0);
    for (const auto& c : list) ++adjacency.offsets[c.pre];
    prefix_sum(adjacency.offsets);
    adjacency.offsets.back() = list.size();
    for (const std::size_t i : order) {
        adjacency.partners.push_back(list[i].post);
        if (connect.list_has_weight) adjacency.weights.push_back(static_cast<float>(list[i].weight));
        if (connect.list_has_delay)
            adjacency.delays.push_back(static_cast<std::uint16_t>(delay_steps(list[i].delay, dt)));
    }
    return adjacency;
}

// A checkpoint's table (sorted by pre, then post) as it was stored: per-synapse weights and
// delays only where the original store had them, so the rebuilt store is the same.
Adjacency from_table(const ConnectionTable& table, std::size_t n_pre) {
    Adjacency adjacency;
    adjacency.orientation = Orientation::by_pre;
    adjacency.offsets.assign(n_pre + 1, 0);
    for (const std::uint32_t pre : table.pre) ++adjacency.offsets[pre];
    prefix_sum(adjacency.offsets);
    adjacency.offsets.back() = table.pre.size();
    adjacency.partners = table.post;
    if (table.per_synapse_weight) adjacency.weights = table.weight;
    if (table.per_synapse_delay) adjacency.delays = table.delay;
    return adjacency;
}

// One value per connection, drawn from the stream of the row it belongs to.
template <class T, class Convert>
std::vector<T> draw_per_connection(const Adjacency& adjacency, const ValueSpec& value,
                                   const RandomKey& key, int threads, Convert convert) {
    std::vector<T> out(adjacency.size());
    for_each_row(adjacency.rows(), threads, [&](std::size_t row) {
        RandomStream stream(key, static_cast<std::uint32_t>(row), 0);
        for (std::uint64_t s = adjacency.offsets[row]; s < adjacency.offsets[row + 1]; ++s)
            out[s] = convert(static_cast<float>(draw_value(value, stream)));
    });
    return out;
}

}  // namespace

std::int64_t delay_steps(double delay_ms, double dt) {
    return std::max<std::int64_t>(1, std::llround(delay_ms / dt));
}

Adjacency connect(const ProjectionSpec& spec, const ConnectInput& in) {
    const ConnectorSpec& c = spec.connect;
    const bool skip_self = in.same_population && !c.allow_self;
    const RandomKey key = RandomKey::make(in.seed, RandomPurpose::connectivity, in.projection_index);
    Adjacency adjacency;
    switch (c.rule) {
        case ConnectorSpec::Rule::all_to_all: adjacency = all_to_all(in.n_pre, in.n_post, skip_self); break;
        case ConnectorSpec::Rule::one_to_one: adjacency = one_to_one(in.n_post); break;
        case ConnectorSpec::Rule::fixed_probability:
            adjacency = fixed_probability(in.n_pre, in.n_post, c.p, skip_self, key, in.threads);
            break;
        case ConnectorSpec::Rule::fixed_number_pre:
            adjacency = fixed_number(in.n_post, in.n_pre, c.n, skip_self, c.allow_multiple, key, in.threads);
            break;
        case ConnectorSpec::Rule::fixed_number_post:
            adjacency = fixed_number(in.n_pre, in.n_post, c.n, skip_self, c.allow_multiple, key, in.threads);
            adjacency.orientation = Orientation::by_pre;
            break;
        case ConnectorSpec::Rule::fixed_total_number:
            adjacency = fixed_total_number(in.n_pre, in.n_post, c.n, skip_self, key, in.threads);
            break;
        case ConnectorSpec::Rule::from_list: adjacency = from_list(c, in.n_pre, in.dt); break;
        case ConnectorSpec::Rule::table: adjacency = from_table(*c.table, in.n_pre); break;
    }
    if (!spec.weight.is_constant() && adjacency.weights.empty())
        adjacency.weights = draw_per_connection<float>(
            adjacency, spec.weight, RandomKey::make(in.seed, RandomPurpose::weight, in.projection_index),
            in.threads, [](float w) { return w; });
    if (!spec.delay.is_constant() && adjacency.delays.empty())
        adjacency.delays = draw_per_connection<std::uint16_t>(
            adjacency, spec.delay, RandomKey::make(in.seed, RandomPurpose::delay, in.projection_index),
            in.threads, [&](float d) { return static_cast<std::uint16_t>(delay_steps(d, in.dt)); });
    return adjacency;
}

double expected_synapses(const ProjectionSpec& p, double n_pre, double n_post) {
    using Rule = ConnectorSpec::Rule;
    const bool same = p.pre == p.post && !p.connect.allow_self;
    switch (p.connect.rule) {
        case Rule::all_to_all: return n_pre * n_post - (same ? n_post : 0.0);
        case Rule::one_to_one: return n_post;
        case Rule::fixed_probability: return p.connect.p * (n_pre * n_post - (same ? n_post : 0.0));
        case Rule::fixed_number_pre: return static_cast<double>(p.connect.n) * n_post;
        case Rule::fixed_number_post: return static_cast<double>(p.connect.n) * n_pre;
        case Rule::from_list: return static_cast<double>(p.connect.list.size());
        case Rule::fixed_total_number: return static_cast<double>(p.connect.n);
        case Rule::table: return static_cast<double>(p.connect.table->pre.size());
    }
    return 0.0;
}

}  // namespace myelin::sim
