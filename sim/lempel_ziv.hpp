// Lempel-Ziv complexity (LZ76) of symbol sequences by the Kaspar-Schuster algorithm, its
// normalised form (an estimate of the entropy rate), and binning of spike trains into binary
// words. ALGORITHMS.md 6.3. Pure functions: used by encoders, classifiers and analyses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace myelin::sim {

// c(n): the number of phrases of the LZ76 parsing (Kaspar & Schuster 1987). n = 0 gives 0,
// n = 1 gives 1. Symbols are compared as bytes, so any alphabet of up to 256 symbols works.
std::size_t lz76_complexity(std::span<const std::uint8_t> symbols);

// c(n) * log_A(n) / n for alphabet size A >= 2: tends to the entropy rate (bits per symbol for
// A = 2) of a stationary ergodic source. 0 for n <= 1.
double lz76_normalised(std::span<const std::uint8_t> symbols, unsigned alphabet = 2);

// Bins spike times (ms) over [0, duration_ms) into bins of bin_ms: 1 where at least one spike
// falls in the bin, else 0. Spikes outside the window are ignored; the last bin may be short.
std::vector<std::uint8_t> binary_spike_train(std::span<const double> spike_times_ms, double duration_ms,
                                             double bin_ms = 1.0);

}  // namespace myelin::sim
