// A trained Tempotron (learning/tempotron.hpp) as a network the engine runs: `myelin train
// experiments/tempotron.toml --checkpoint FILE` (docs/learning.md, "Tempotron"). The kernel
// V0 (exp(-s/tau) - exp(-s/tau_s)) is the PSP of IF_curr_exp with tau_m = tau and
// tau_syn = tau_s, so one IF_curr_exp neuron with scaled weights has the Tempotron's V(t), in mV.
// The patterns play one after another, one per trial, the neuron reset at the start of each.
#pragma once

#include "io/run_spec.hpp"
#include "learning/tempotron.hpp"
#include "sim/model_registry.hpp"
#include "sim/plasticity_registry.hpp"

#include <string>
#include <vector>

namespace myelin::cli {

// Trial p is [start + p * trial, start + p * trial + duration) ms; the gap after each pattern
// lets the last PSPs decay before the next trial's reset.
struct TempotronEngineTiming {
    double dt = 0.1;         // ms
    double duration = 0.0;   // ms, the pattern length T
    double trial = 0.0;      // ms: duration + gap
    double start = 1.0;      // ms, trial 0's start
    std::size_t patterns = 0;
};
// The gap is ten kernel time constants `tau` (ms): the PSPs have decayed to e^-10 by the next trial.
TempotronEngineTiming tempotron_engine_timing(double duration_ms, double tau_ms, std::size_t patterns);

// spike_times[p][i]: afferent i's spike times in pattern p (ms from the pattern's start).
io::RunSpec tempotron_engine_run(const learning::TempotronParams& params, const std::vector<double>& weights,
                                 const std::vector<std::vector<std::vector<double>>>& spike_times,
                                 const TempotronEngineTiming& timing, const sim::ModelRegistry& models,
                                 const sim::PlasticityRegistry& rules);

// The engine's decision per trial: did the output neuron spike within the pattern's window?
// `output_spike_steps`: the steps at which it spiked, ascending.
std::vector<bool> tempotron_engine_decisions(const std::vector<std::int64_t>& output_spike_steps,
                                             const TempotronEngineTiming& timing);

// Builds that network and writes it as a checkpoint at step 0 (io/checkpoint.hpp): whole or not at all.
void write_tempotron_engine_checkpoint(const std::string& path, const io::RunSpec& run, const sim::ModelRegistry& models,
                                       const sim::PlasticityRegistry& rules);

}  // namespace myelin::cli
