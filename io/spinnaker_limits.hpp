// SpiNNaker's limits as the export applies them (docs/export.md "SpiNNaker"): the two timesteps
// sPyNNaker runs, its 1..144-tick delay range, and its 16-bit fixed-point weights with one
// power-of-two scale per synapse type and post population.
#pragma once

#include <cstdint>

namespace myelin::io::spinnaker {

inline constexpr std::int64_t min_delay_ticks = 1;    // a spike needs at least one tick
inline constexpr std::int64_t max_delay_ticks = 144;  // 16 on the core, the rest via delay extensions
inline constexpr int default_neurons_per_core = 256;  // sPyNNaker's default for the IF models
inline constexpr int weight_bits = 16;                // per-synapse weight word (unsigned)

// The export timestep: `requested` (0: none) must be 0.1 or 1.0 ms; without one, dt when it is one
// of those, else the one nearer to dt on a log scale. Throws Error for another requested value.
double choose_timestep(double dt, double requested);

// Fixed-point format of one synapse type onto one population: a weight w is stored as the
// integer round(|w| * scale), scale = 2^(15 - left_shift), in 16 bits. The shift is the smallest
// s >= 0 with bound <= 2^s (sPyNNaker's ceil(log2) rule), where `bound` is the largest value the
// synapse type must hold: the largest single weight at best, the largest summed input per tick
// at worst (sPyNNaker sizes it from an estimate between the two).
struct WeightFormat {
    int left_shift = 0;
    double scale = 32768.0;  // integer units per weight unit
};
WeightFormat weight_format(double bound);

// The weight SpiNNaker would apply for w (sign kept; saturates at the 16-bit maximum).
double quantize(double w, const WeightFormat& format);
// |quantize(w) - w| / |w|; 0 for w = 0.
double relative_error(double w, const WeightFormat& format);

// A delay in ms as whole ticks of `timestep`, rounded to the nearest tick, then clamped into
// [min_delay_ticks, max_delay_ticks].
struct DelayTicks {
    std::int64_t ticks = 1;
    bool rounded = false;  // the delay was not a whole number of ticks
    bool clamped = false;  // it lay outside 1..144 ticks
};
DelayTicks delay_ticks(double delay_ms, double timestep);

}  // namespace myelin::io::spinnaker
