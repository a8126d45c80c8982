// Input rings and Poisson drive for populations (population.hpp).
#include "sim/population.hpp"

#include <algorithm>
#include <bit>

namespace myelin::sim {

void InputRing::resize(std::size_t neurons, int channels, std::int64_t max_delay_steps) {
    // A delay of d steps writes slot step + d while slot step is being read: d + 1 slots,
    // rounded up to a power of two so the slot index is a mask.
    const std::size_t slots = std::bit_ceil(static_cast<std::size_t>(max_delay_steps) + 1);
    neurons_ = neurons;
    channels_ = channels;
    mask_ = slots - 1;
    data_.assign(slots * static_cast<std::size_t>(channels) * neurons, 0.0f);
}

namespace {

// Adds one drive's events of this step to target[i] for i in [begin, end): a float input row
// or a double state column.
template <class Target>
void add_drive_events(const PoissonDrive& drive, const StepContext& ctx, std::size_t begin, std::size_t end,
               Target* target) {
    const auto step = static_cast<std::uint32_t>(ctx.step);
    const auto weight = static_cast<Target>(drive.weight);
    if (!drive.sampler.uses_table()) {
        for (std::size_t i = begin; i < end; ++i) {
            RandomStream stream(drive.key, static_cast<std::uint32_t>(i), step);
            target[i] += weight * static_cast<Target>(drive.sampler.draw(stream));
        }
        return;
    }
    // Determinism: neuron i uses word i % 4 of the draw for counter (i / 4, step), whatever
    // range this thread has. Blocks of neurons: words by vectorised Philox, then counts as sums
    // of comparisons with the cumulative table, looping over neurons so that both vectorise.
    constexpr std::size_t block = 256;  // neurons, a multiple of 4
    std::uint32_t words[block];
    std::uint32_t counts[block];
    const auto& thresholds = drive.sampler.thresholds();
    for (std::size_t first = begin / 4 * 4; first < end; first += block) {
        const std::size_t n = std::min(block, (end - first + 3) / 4 * 4);
        philox_many(drive.key, static_cast<std::uint32_t>(first / 4), n / 4, step, 0, words);
        for (std::size_t j = 0; j < n; ++j) counts[j] = 0;
        for (const std::uint32_t threshold : thresholds)
            for (std::size_t j = 0; j < n; ++j) counts[j] += words[j] >= threshold;
        const std::size_t from = std::max(first, begin), to = std::min(first + n, end);
        for (std::size_t i = from; i < to; ++i) target[i] += weight * static_cast<Target>(counts[i - first]);
    }
}

}  // namespace

void Population::apply_drives(const StepContext& ctx, std::size_t begin, std::size_t end, bool after_update) {
    if (after_update == reads_input_ring_) return;  // the other call serves this population
    for (const PoissonDrive& drive : drives_) {
        if (ctx.step < drive.start_step || ctx.step >= drive.stop_step) continue;
        if (reads_input_ring_) add_drive_events(drive, ctx, begin, end, input_.row(ctx.step, drive.channel));
        else input_column(drive.channel).visit([&](auto* column) { add_drive_events(drive, ctx, begin, end, column); });
    }
}

void Population::save(Snapshot& snapshot, const std::string& prefix) const {
    if (!input_.values().empty()) snapshot.put(prefix + "/input_ring", input_.values());
}

void Population::restore(const Snapshot& snapshot, const std::string& prefix) {
    const std::string ring = prefix + "/input_ring";
    if (!input_.values().empty()) snapshot.copy_to(ring, input_.values());
    else if (snapshot.contains(ring)) throw Error("checkpoint has input in flight for \"" + name_ + "\", which takes no input through a ring here");
}

}  // namespace myelin::sim
