// Mini-batches of the gradient trainers (BPTT, TESS) whose results do not depend on the thread
// count: a Philox shuffle per epoch, batches cut into fixed parts summed in order, and
// evaluation in fixed chunks combined in order.
#pragma once

#include "learning/epoch_stats.hpp"
#include "sim/random.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

namespace myelin::learning {

// Determinism: a batch is cut into parts of this many samples whatever the thread count; each
// part's gradient is computed alone and the parts are added in order.
inline constexpr std::size_t minibatch_part_size = 32;

// 0..n-1 in a Fisher-Yates order drawn from Philox (key, epoch).
std::vector<std::uint32_t> shuffled_order(std::size_t n, const sim::RandomKey& key, std::uint32_t epoch);

// Calls part(begin, count, part_gradient) for the parts [begin, begin + count) of a batch of
// `size` samples, in parallel, each with its own zeroed gradient of gradient.size(); then sets
// `gradient` to their sum in part order. Returns each part's result, in order.
template <class Stats, class Part>
std::vector<Stats> run_batch_parts(std::size_t size, std::vector<float>& gradient, const Part& part) {
    const std::size_t parts = (size + minibatch_part_size - 1) / minibatch_part_size;
    std::vector<std::vector<float>> part_gradient(parts, std::vector<float>(gradient.size(), 0.0f));
    std::vector<Stats> stats(parts);
    tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t k) {
        const std::size_t begin = k * minibatch_part_size;
        stats[k] = part(begin, std::min(minibatch_part_size, size - begin), std::span<float>(part_gradient[k]));
    });
    std::fill(gradient.begin(), gradient.end(), 0.0f);
    for (std::size_t k = 0; k < parts; ++k)  // Determinism: fixed order
        for (std::size_t i = 0; i < gradient.size(); ++i) gradient[i] += part_gradient[k][i];
    return stats;
}

// Evaluation of a data set of `n` samples in chunks of 256, in parallel: run(indices, labels)
// gives a chunk's stats (summed loss, correct count and spike_sum, as BpttBatchStats and
// TessBatchStats have), combined in chunk order. `neuron_steps`: neurons x steps per sample, the
// spike rate's denominator.
template <class Run>
Evaluation evaluate_in_chunks(std::size_t n, std::span<const std::uint8_t> all_labels, double neuron_steps, const Run& run) {
    constexpr std::size_t chunk = 256;
    const std::size_t parts = (n + chunk - 1) / chunk;
    using Stats = decltype(run(std::vector<std::uint32_t>{}, std::vector<std::uint8_t>{}));
    std::vector<Stats> stats(parts);
    tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t part) {
        const std::size_t begin = part * chunk, count = std::min(chunk, n - begin);
        std::vector<std::uint32_t> indices(count);
        std::iota(indices.begin(), indices.end(), static_cast<std::uint32_t>(begin));
        const std::vector<std::uint8_t> labels(all_labels.begin() + static_cast<std::ptrdiff_t>(begin),
                                               all_labels.begin() + static_cast<std::ptrdiff_t>(begin + count));
        stats[part] = run(indices, labels);
    });
    Evaluation result;
    std::size_t correct = 0;
    double spikes = 0.0;
    for (const Stats& s : stats) {  // Determinism: fixed order
        result.loss += s.loss;
        correct += s.correct;
        spikes += s.spike_sum;
    }
    if (n == 0) return result;
    result.accuracy = static_cast<double>(correct) / static_cast<double>(n);
    result.spike_rate = spikes / (static_cast<double>(n) * neuron_steps);
    return result;
}

}  // namespace myelin::learning
