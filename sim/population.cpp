// Input rings and Poisson drive for populations (population.hpp).
#include "sim/population.hpp"

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

void Population::apply_drives(const StepContext& ctx, std::size_t begin, std::size_t end) {
    for (const PoissonDrive& drive : drives_) {
        if (ctx.step < drive.start_step || ctx.step >= drive.stop_step) continue;
        float* row = input_.row(ctx.step, drive.channel);
        const auto step = static_cast<std::uint32_t>(ctx.step);
        if (drive.sampler.uses_table()) {
            // Determinism: neuron i uses word i % 4 of the draw for (i / 4, step), whatever
            // range this thread was given.
            for (std::size_t group = begin / 4; group * 4 < end; ++group) {
                const auto words = philox(drive.key, static_cast<std::uint32_t>(group), step, 0);
                for (std::size_t lane = 0; lane < 4; ++lane) {
                    const std::size_t i = group * 4 + lane;
                    if (i < begin || i >= end) continue;
                    row[i] += drive.weight * static_cast<float>(drive.sampler.from_word(words[lane]));
                }
            }
        } else {
            for (std::size_t i = begin; i < end; ++i) {
                RandomStream stream(drive.key, static_cast<std::uint32_t>(i), step);
                row[i] += drive.weight * static_cast<float>(drive.sampler.draw(stream));
            }
        }
    }
}

}  // namespace myelin::sim
