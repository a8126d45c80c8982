// Synapse storage and static delivery (projection.hpp).
#include "sim/projection.hpp"

#include "sim/cache_aligned.hpp"
#include "sim/error.hpp"

#include <algorithm>

#include <tbb/parallel_for.h>

namespace myelin::sim {
namespace {

// Direct projections (CUBA, COBA) have short rows (~64 post indices) that mostly stay in L2:
// fetching the next spike's row while this one is delivered is enough (a RowFetcher made CUBA
// slower).
inline void prefetch_row(const std::uint32_t* post, std::uint64_t row_begin, std::uint64_t row_end) {
    constexpr std::uint64_t per_line = cache_line_bytes / sizeof(std::uint32_t);
    const std::uint64_t last = std::min(row_end, row_begin + 8 * per_line);  // at most 8 lines ahead
    for (std::uint64_t s = row_begin; s < last; s += per_line) __builtin_prefetch(post + s);
}

// Fetches the rows of a spike list ahead of their delivery, a fixed number of cache lines ahead
// and across row ends into the next spikes' rows: a part's row is often only a few hundred
// bytes, too short for the hardware prefetcher to learn, and a fetch started one row ahead
// would come late after a short row and early before a long one.
template <class Index>
class RowFetcher {
public:
    static constexpr int lines_ahead = 16;
    static constexpr std::uint64_t per_line = cache_line_bytes / sizeof(Index);
    RowFetcher(const std::uint64_t* row_start, const Index* post, std::span<const std::uint32_t> pres)
        : row_start_(row_start), post_(post), pres_(pres) {
        for (int i = 0; i < lines_ahead; ++i) fetch_line();
    }
    // Fetches the next line not yet fetched (call once per line delivered).
    void fetch_line() {
        while (at_ >= end_) {
            if (next_ == pres_.size()) return;
            at_ = row_start_[pres_[next_]];
            end_ = row_start_[pres_[next_] + 1];
            ++next_;
            if (next_ < pres_.size()) __builtin_prefetch(row_start_ + pres_[next_]);
        }
        __builtin_prefetch(post_ + at_);
        at_ = (at_ | (per_line - 1)) + 1;  // the start of the next line
    }

private:
    const std::uint64_t* row_start_;
    const Index* post_;
    std::span<const std::uint32_t> pres_;
    std::size_t next_ = 0;
    std::uint64_t at_ = 0, end_ = 0;
};

// Delivery of one step's spikes into the rows of the post neurons this part owns. The four
// storage forms get their own loop so the common one (constant weight and delay) reads
// nothing but the post index per synapse; `post[s]` is an offset from `post_base` (narrowed
// parts) or the index itself (post_base 0).
template <bool PerSynapseWeight, bool PerSynapseDelay, class Index>
std::uint64_t deliver_part(const SynapsePart& part, const Index* post, std::uint32_t post_base,
                           const SynapseStore& store, std::int64_t spike_step, SpikeLists spikes, InputRing& ring,
                           int channel) {
    const std::uint64_t* row_start = part.row_start.data();
    const float* weight = part.weight.data();
    const std::uint16_t* delay = part.delay.data();
    float* row = ring.row(spike_step + store.constant_delay, channel) + post_base;
    const float constant_weight = store.constant_weight;
    std::uint64_t events = 0;
    for (const auto& list : spikes) {
        RowFetcher<Index> fetcher(row_start, post, list);
        for (const std::uint32_t pre : list) {
            const std::uint64_t end = row_start[pre + 1];
            events += end - row_start[pre];
            for (std::uint64_t s = row_start[pre]; s < end;) {
                const std::uint64_t line_end = std::min(end, (s | (RowFetcher<Index>::per_line - 1)) + 1);
                for (; s < line_end; ++s) {
                    const float w = PerSynapseWeight ? weight[s] : constant_weight;
                    if constexpr (PerSynapseDelay)
                        ring.row(spike_step + delay[s], channel)[post_base + post[s]] += w;
                    else
                        row[post[s]] += w;
                }
                fetcher.fetch_line();
            }
        }
    }
    return events;
}

template <class Index>
std::uint64_t deliver_part(const SynapsePart& part, const Index* post, std::uint32_t post_base,
                           const SynapseStore& store, std::int64_t spike_step, SpikeLists spikes, InputRing& ring,
                           int channel) {
    const bool per_weight = !part.weight.empty(), per_delay = !part.delay.empty();
    if (per_weight && per_delay)
        return deliver_part<true, true>(part, post, post_base, store, spike_step, spikes, ring, channel);
    if (per_weight) return deliver_part<true, false>(part, post, post_base, store, spike_step, spikes, ring, channel);
    if (per_delay) return deliver_part<false, true>(part, post, post_base, store, spike_step, spikes, ring, channel);
    return deliver_part<false, false>(part, post, post_base, store, spike_step, spikes, ring, channel);
}

// Direct delivery: spikes arriving now join the post neurons' input columns (double or float,
// as the population stores its state) after the update; constant or per-synapse weights, one
// constant delay.
template <class Column>
std::uint64_t deliver_direct(const SynapsePart& part, float constant_weight, std::span<const std::uint32_t> arriving,
                             Column* column) {
    const std::uint64_t* row_start = part.row_start.data();
    const std::uint32_t* targets = part.post.data();
    std::uint64_t events = 0;
    for (std::size_t k = 0; k < arriving.size(); ++k) {
        const std::uint32_t pre = arriving[k];
        if (k + 1 < arriving.size()) prefetch_row(targets, row_start[arriving[k + 1]], row_start[arriving[k + 1] + 1]);
        events += row_start[pre + 1] - row_start[pre];
        if (part.weight.empty())
            for (std::uint64_t s = row_start[pre]; s < row_start[pre + 1]; ++s) column[targets[s]] += constant_weight;
        else
            for (std::uint64_t s = row_start[pre]; s < row_start[pre + 1]; ++s) column[targets[s]] += part.weight[s];
    }
    return events;
}

}  // namespace

SynapseStore SynapseStore::build(Adjacency&& adjacency, std::size_t n_pre, const Partition& partition,
                                 float constant_weight, std::uint16_t constant_delay, bool keep_weights,
                                 bool narrow_posts) {
    SynapseStore store;
    store.constant_weight = constant_weight;
    store.constant_delay = constant_delay;
    store.max_delay = constant_delay;
    for (const std::uint16_t d : adjacency.delays) store.max_delay = std::max(store.max_delay, d);
    const bool per_weight = !adjacency.weights.empty() || keep_weights;
    const bool per_delay = !adjacency.delays.empty();
    const bool by_post = adjacency.orientation == Adjacency::Orientation::by_post;
    store.parts.resize(partition.parts());
    // Each part counts its synapses per pre neuron, then fills its rows. Scanning rows in
    // increasing order keeps every row sorted by post neuron.
    tbb::parallel_for(0, partition.parts(), [&](int t) {
        SynapsePart& part = store.parts[t];
        const std::size_t post_begin = partition.begin(t), post_end = partition.end(t);
        const auto for_each_connection = [&](auto&& visit) {  // visit(pre, post, index)
            if (by_post) {
                for (std::size_t post = post_begin; post < post_end; ++post)
                    for (std::uint64_t s = adjacency.offsets[post]; s < adjacency.offsets[post + 1]; ++s)
                        visit(adjacency.partners[s], static_cast<std::uint32_t>(post), s);
            } else {
                for (std::size_t pre = 0; pre < n_pre; ++pre)
                    for (std::uint64_t s = adjacency.offsets[pre]; s < adjacency.offsets[pre + 1]; ++s)
                        if (adjacency.partners[s] >= post_begin && adjacency.partners[s] < post_end)
                            visit(static_cast<std::uint32_t>(pre), adjacency.partners[s], s);
            }
        };
        part.row_start.assign(n_pre + 1, 0);
        for_each_connection([&](std::uint32_t pre, std::uint32_t, std::uint64_t) { ++part.row_start[pre + 1]; });
        for (std::size_t j = 0; j < n_pre; ++j) part.row_start[j + 1] += part.row_start[j];
        const std::uint64_t count = part.row_start[n_pre];
        const bool narrow = narrow_posts && post_end - post_begin <= std::size_t{UINT16_MAX} + 1;
        if (narrow) {
            part.post_base = static_cast<std::uint32_t>(post_begin);
            part.post_offset.resize(count);
        } else {
            part.post.resize(count);
        }
        if (per_weight) part.weight.resize(count);
        if (per_delay) part.delay.resize(count);
        std::vector<std::uint64_t> cursor(part.row_start.begin(), part.row_start.end() - 1);
        for_each_connection([&](std::uint32_t pre, std::uint32_t post, std::uint64_t s) {
            const std::uint64_t at = cursor[pre]++;
            if (narrow) part.post_offset[at] = static_cast<std::uint16_t>(post - post_begin);
            else part.post[at] = post;
            if (per_weight) part.weight[at] = adjacency.weights.empty() ? constant_weight : adjacency.weights[s];
            if (per_delay) part.delay[at] = adjacency.delays[s];
        });
    });
    adjacency = Adjacency{};  // release the generated copy before the caller builds the next one
    return store;
}

bool rows_sorted_by_post(const SynapseStore& store) {
    for (const auto& part : store.parts)
        for (std::size_t pre = 0; pre + 1 < part.row_start.size(); ++pre)
            for (std::uint64_t s = part.row_start[pre] + 1; s < part.row_start[pre + 1]; ++s)
                if (part.post[s] < part.post[s - 1]) return false;
    return true;
}

std::int64_t min_delay(const SynapseStore& store) {
    if (store.parts.empty() || store.parts.front().delay.empty()) return store.constant_delay;
    std::int64_t shortest = store.max_delay;
    for (const auto& part : store.parts)
        for (const std::uint16_t d : part.delay) shortest = std::min<std::int64_t>(shortest, d);
    return shortest;
}

std::size_t SynapseStore::size() const {
    std::size_t n = 0;
    for (const auto& part : parts) n += part.size();
    return n;
}

std::size_t SynapseStore::bytes() const {
    std::size_t n = 0;
    for (const auto& part : parts)
        n += part.row_start.size() * sizeof(std::uint64_t) + part.post.size() * sizeof(std::uint32_t) +
             part.post_offset.size() * sizeof(std::uint16_t) + part.weight.size() * sizeof(float) +
             part.delay.size() * sizeof(std::uint16_t);
    return n;
}

ConnectionTable connection_table(const SynapseStore& store) {
    ConnectionTable table;
    if (store.parts.empty()) return table;
    table.per_synapse_weight = !store.parts.front().weight.empty();
    table.per_synapse_delay = !store.parts.front().delay.empty();
    const std::size_t n_pre = store.parts.front().row_start.size() - 1;
    for (std::size_t pre = 0; pre < n_pre; ++pre)
        for (const auto& part : store.parts)  // parts cover increasing post ranges
            for (std::uint64_t s = part.row_start[pre]; s < part.row_start[pre + 1]; ++s) {
                table.pre.push_back(static_cast<std::uint32_t>(pre));
                table.post.push_back(part.post_at(s));
                table.weight.push_back(part.weight.empty() ? store.constant_weight : part.weight[s]);
                table.delay.push_back(part.delay.empty() ? store.constant_delay : part.delay[s]);
            }
    return table;
}

template <class Target>
std::uint64_t StaticProjection::deliver_unreliable(const SynapsePart& part, std::int64_t spike_step,
                                                   const std::vector<std::uint32_t>& pres, Target&& target) const {
    std::uint64_t transmitted = 0;
    for (const std::uint32_t pre : pres) {
        const std::uint64_t begin = part.row_start[pre], end = part.row_start[pre + 1];
        std::uint32_t ordinal = 0;
        for (std::uint64_t s = begin; s < end; ++s) {
            // Keyed by (emission step, pre, post), not by where the synapse is stored: the same
            // events fail on any thread count. Multapses (equal posts, adjacent in a row) take
            // successive words of their pair's draw (a fifth multapse reuses the first word).
            const std::uint32_t post = part.post_at(s);
            ordinal = s > begin && post == part.post_at(s - 1) ? ordinal + 1 : 0;
            const auto words = philox(release_key_, static_cast<std::uint32_t>(spike_step), pre, post);
            if (words[ordinal & 3] >= release_threshold_) continue;
            target(s, part.weight.empty() ? store_.constant_weight : part.weight[s]);
            ++transmitted;
        }
    }
    return transmitted;
}

void StaticProjection::deliver(int part_index, std::int64_t step, SpikeLists previous, Population& post) {
    const SynapsePart& part = store_.parts[part_index];
    if (release_threshold_ <= UINT32_MAX) {
        std::uint64_t events = 0;
        if (direct_) {
            events = post.input_column(channel()).visit([&](auto* column) {
                return deliver_unreliable(part, step - store_.constant_delay, queue_->arriving(step),
                                          [&](std::uint64_t s, float w) { column[part.post_at(s)] += w; });
            });
        } else {
            InputRing& ring = post.input();
            for (const auto& list : previous)
                events += deliver_unreliable(part, step - 1, list, [&](std::uint64_t s, float w) {
                    const std::int64_t delay = part.delay.empty() ? store_.constant_delay : part.delay[s];
                    ring.row(step - 1 + delay, channel())[part.post_at(s)] += w;
                });
        }
        count_events(part_index, events);
        return;
    }
    if (direct_) {
        // Spikes arriving now join the input columns after the update (constant weight or
        // per-synapse weights; the delay is one constant).
        const std::uint64_t events = post.input_column(channel()).visit([&](auto* column) {
            return deliver_direct(part, store_.constant_weight, queue_->arriving(step), column);
        });
        count_events(part_index, events);
        return;
    }
    const std::int64_t spike_step = step - 1;
    InputRing& ring = post.input();
    const std::uint64_t events =
        part.post_offset.empty()
            ? deliver_part(part, part.post.data(), 0, store_, spike_step, previous, ring, channel())
            : deliver_part(part, part.post_offset.data(), part.post_base, store_, spike_step, previous, ring, channel());
    count_events(part_index, events);
}

void StaticProjection::start_ranges(std::int64_t step) {
    const auto& arriving = queue_->arriving(step);
    const SynapsePart& part = store_.parts.front();
    cursors_.resize(arriving.size());
    for (std::size_t k = 0; k < arriving.size(); ++k) cursors_[k] = part.row_start[arriving[k]];
}

void StaticProjection::deliver_below(std::int64_t step, std::size_t end, Population& post) {
    const auto& arriving = queue_->arriving(step);
    const SynapsePart& part = store_.parts.front();
    const std::uint32_t* targets = part.post.data();
    const std::uint64_t events = post.input_column(channel()).visit([&](auto* column) {
        std::uint64_t n = 0;
        for (std::size_t k = 0; k < arriving.size(); ++k) {
            const std::uint64_t row_end = part.row_start[arriving[k] + 1];
            std::uint64_t s = cursors_[k];
            if (part.weight.empty())
                for (; s < row_end && targets[s] < end; ++s) column[targets[s]] += store_.constant_weight;
            else
                for (; s < row_end && targets[s] < end; ++s) column[targets[s]] += part.weight[s];
            n += s - cursors_[k];
            cursors_[k] = s;
        }
        return n;
    });
    count_events(0, events);
}

ConnectionTable StaticProjection::connections() const { return connection_table(store_); }

}  // namespace myelin::sim
