// Building the raster's decimation levels (raster_levels.hpp).
#include "viewer/raster_levels.hpp"

#include <algorithm>
#include <bit>

namespace myelin::viewer {

RasterLevels build_raster_levels(const PopulationSpikes& population, double start_ms, double dt, unsigned neuron_shift,
                                 std::size_t max_words) {
    RasterLevels levels;
    levels.start_ms = start_ms;
    levels.dt = dt;
    levels.neuron_shift = neuron_shift;
    levels.covered = population.t.size();
    if (population.t.empty() || population.size == 0) return levels;
    levels.words = ((static_cast<std::size_t>(population.size - 1) >> neuron_shift) + 64) / 64;
    // The finest bins: a whole number of steps, doubled until the level fits max_words.
    const double extent = static_cast<double>(population.t.back()) - start_ms + dt;
    levels.base_ms = dt;
    while (std::ceil(extent / levels.base_ms) * static_cast<double>(levels.words) > static_cast<double>(max_words))
        levels.base_ms *= 2.0;
    std::vector<std::uint64_t> finest(static_cast<std::size_t>(std::ceil(extent / levels.base_ms)) * levels.words, 0);
    const std::size_t bins = finest.size() / levels.words;
    for (std::size_t i = 0; i < levels.covered; ++i) {
        const auto b = static_cast<std::size_t>(std::clamp<std::int64_t>(levels.bin_of(population.t[i], 0), 0,
                                                                         static_cast<std::int64_t>(bins) - 1));
        const std::uint32_t j = population.neuron[i] >> neuron_shift;
        finest[b * levels.words + j / 64] |= std::uint64_t{1} << (j % 64);
    }
    levels.bits.push_back(std::move(finest));
    // Each coarser level ORs pairs of bins of the one below, until one bin holds the run.
    while (levels.bins(levels.bits.size() - 1) > 1) {
        const std::vector<std::uint64_t>& fine = levels.bits.back();
        const std::size_t fine_bins = fine.size() / levels.words, coarse_bins = (fine_bins + 1) / 2;
        std::vector<std::uint64_t> coarse(coarse_bins * levels.words, 0);
        for (std::size_t b = 0; b < fine_bins; ++b)
            for (std::size_t w = 0; w < levels.words; ++w) coarse[(b / 2) * levels.words + w] |= fine[b * levels.words + w];
        levels.bits.push_back(std::move(coarse));
    }
    return levels;
}

const RasterLevels& raster_levels(const PopulationSpikes& population, double start_ms, double dt, unsigned neuron_shift) {
    const RasterLevels* current = population.levels.get();
    const bool stale = !current || current->neuron_shift != neuron_shift || current->start_ms != start_ms ||
                       population.t.size() - current->covered > current->covered / 4 + (std::size_t{1} << 16);
    if (stale)
        population.levels = std::make_shared<const RasterLevels>(build_raster_levels(population, start_ms, dt, neuron_shift));
    return *population.levels;
}

std::vector<std::uint8_t> raster_cells(const RunData& data, std::size_t p, double from_ms, double to_ms, int columns,
                                       int rows_px, double row0, double neuron_rows, std::size_t levels_above) {
    std::vector<std::uint8_t> lit(static_cast<std::size_t>(columns) * static_cast<std::size_t>(rows_px), 0);
    const PopulationSpikes& pop = data.populations[p];
    const double span = to_ms - from_ms, row_px = rows_px / neuron_rows;
    // Pixel row of the top of a neuron's band (rows counted from the bottom).
    const auto row_of = [&](std::uint32_t neuron) {
        const double top = rows_px - (row0 + neuron + 1) * row_px;
        return std::clamp(static_cast<int>(std::ceil(top - 1e-6)), 0, rows_px - 1);
    };
    const auto column_of = [&](double t) {
        return std::clamp(static_cast<int>((t - from_ms) / span * columns), 0, columns - 1);
    };
    const auto first = static_cast<std::size_t>(std::lower_bound(pop.t.begin(), pop.t.end(), static_cast<float>(from_ms)) - pop.t.begin());
    const auto last = static_cast<std::size_t>(std::upper_bound(pop.t.begin(), pop.t.end(), static_cast<float>(to_ms)) - pop.t.begin());
    const auto spikes_before = [&](double t) {
        return static_cast<std::size_t>(std::lower_bound(pop.t.begin(), pop.t.end(), static_cast<float>(t)) - pop.t.begin());
    };
    // Spikes in [first, head) and [tail, last) are placed one by one, those between from the levels.
    std::size_t head = last, tail = last;
    if (last > first && last - first > levels_above) {
        // Neuron bins no taller than a pixel row, time bins no wider than a column.
        unsigned shift = 0;
        while (static_cast<double>(std::uint64_t{2} << shift) <= neuron_rows / rows_px && shift < 31) ++shift;
        const RasterLevels& levels = raster_levels(pop, data.start_ms, data.dt, shift);
        const double column_ms = span / columns;
        std::size_t level = levels.bits.size();
        while (level > 0 && levels.bin_ms(level - 1) > column_ms) --level;
        if (level > 0 && levels.covered > 0) {
            --level;  // the coarsest level with bins no wider than a column
            // Only bins wholly inside the window and wholly built: the first bin starting at or
            // after `from`, up to the last ending by `to`, before the last built spike's bin
            // (a live run may still add spikes to it).
            const double width = levels.bin_ms(level), origin = levels.start_ms + 0.5 * data.dt;
            const auto b0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil((from_ms - origin) / width)));
            const std::int64_t b1 = std::min({static_cast<std::int64_t>(std::floor((to_ms - origin) / width)) - 1,
                                              levels.bin_of(pop.t[levels.covered - 1], level) - 1,
                                              static_cast<std::int64_t>(levels.bins(level)) - 1});
            if (b1 >= b0) {
                std::vector<int> bin_row((pop.size >> shift) + 1);
                for (std::size_t j = 0; j < bin_row.size(); ++j)
                    bin_row[j] = row_of(std::min<std::uint32_t>(static_cast<std::uint32_t>(j << shift), pop.size - 1));
                const std::vector<std::uint64_t>& bits = levels.bits[level];
                for (std::int64_t b = b0; b <= b1; ++b) {
                    const int column = column_of(origin + (static_cast<double>(b) + 0.5) * width);
                    const std::uint64_t* word = &bits[static_cast<std::size_t>(b) * levels.words];
                    for (std::size_t w = 0; w < levels.words; ++w)
                        for (std::uint64_t set = word[w]; set; set &= set - 1) {
                            const std::size_t j = w * 64 + static_cast<std::size_t>(std::countr_zero(set));
                            lit[static_cast<std::size_t>(bin_row[j]) * columns + column] = 1;
                        }
                }
                head = std::max(first, spikes_before(origin + static_cast<double>(b0) * width));
                tail = std::min(last, spikes_before(origin + static_cast<double>(b1 + 1) * width));
            }
        }
    }
    for (std::size_t i = first; i < head; ++i)
        lit[static_cast<std::size_t>(row_of(pop.neuron[i])) * columns + column_of(pop.t[i])] = 1;
    for (std::size_t i = tail; i < last; ++i)
        lit[static_cast<std::size_t>(row_of(pop.neuron[i])) * columns + column_of(pop.t[i])] = 1;
    return lit;
}

}  // namespace myelin::viewer
