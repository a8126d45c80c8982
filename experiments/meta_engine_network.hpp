// A trained layer of meta neurons (learning/meta_network.hpp) as a network the engine runs:
// `myelin train CONFIG --checkpoint FILE` with algorithm = "meta" (docs/learning.md, "Meta
// neurons in the engine"). A SpikeSourceArray plays the test samples one after another, one per
// trial of S steps; the layer is the engine's MetaNeuron with the trained weights and per-neuron
// intrinsics (tau_m = -dt/ln(beta), v_thresh = theta, temperature = T; v_rest = v_reset = 0),
// reset to v = 0 at the start of each trial, as the trainer starts every sample at u = 0.
// The neurons are stochastic and the engine draws its own Bernoulli numbers (keyed by seed,
// population, neuron and step), not the trainer's: the engine reproduces the trainer's output
// trains in law, not spike for spike (tests/experiments/test_meta_engine_network.cpp).
#pragma once

#include "io/run_spec.hpp"
#include "learning/lzc_classifier.hpp"
#include "learning/meta_network.hpp"
#include "sim/model_registry.hpp"
#include "sim/plasticity_registry.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace myelin::cli {

// Sample n arrives at the layer in steps [first_step(n), first_step(n) + steps): its spikes are
// emitted one step earlier (the synaptic delay), from step n * steps on.
struct MetaEngineTiming {
    double dt = 1.0;          // ms, the samples' bin
    std::size_t steps = 0;    // S, a sample's length in steps
    std::size_t count = 0;    // test samples
    std::size_t duration = 0; // steps in all
    std::size_t first_step(std::size_t n) const { return 1 + n * steps; }
};
MetaEngineTiming meta_engine_timing(double dt, std::size_t steps, std::size_t count);

// The SNN-LZC read-out (ALGORITHMS.md 6.6) of a trained layer: nearest centroid of the output
// trains' normalised LZ complexities, fitted on the training samples' trains. The draws are the
// checkpoint writer's own (seed, purpose trainer, object 0x4E1): the same law as the trainer's
// evaluation, other numbers.
learning::CentroidClassifier fit_meta_readout(const learning::MetaParameters& params,
                                              const std::vector<learning::SpikeSample>& train, int classes,
                                              std::uint64_t seed);

struct MetaEngineInput {
    std::string source;  // the training config, named in the header comment
    std::string output;  // [output] file of `myelin run`; empty: none
};

// The config: population "inputs" (SpikeSourceArray: the test samples), "meta" (MetaNeuron), two
// projections inputs->meta+ / inputs->meta- with the trained weights as connection tables; the
// read-out (centroids, spread, labels) in comment lines `# readout.KEY = VALUE` (TOML values)
// that experiments/meta_engine_accuracy.py reads back from the run's recording.
std::string meta_engine_config(const learning::MetaParameters& params, const std::vector<learning::SpikeSample>& test,
                               double dt, const learning::CentroidClassifier& readout, std::uint64_t seed,
                               const MetaEngineInput& input);

io::RunSpec meta_engine_run(const learning::MetaParameters& params, const std::vector<learning::SpikeSample>& test,
                            double dt, const learning::CentroidClassifier& readout, std::uint64_t seed,
                            const MetaEngineInput& input, const sim::ModelRegistry& models,
                            const sim::PlasticityRegistry& rules);

// Each sample's output trains, [sample][neuron][step] (0/1), from the layer's spikes
// (neuron[j] spiked in step[j]) as the engine recorded them.
std::vector<std::vector<std::vector<std::uint8_t>>> meta_engine_trains(const std::vector<std::uint32_t>& neuron,
                                                                       const std::vector<std::int64_t>& step,
                                                                       std::size_t neurons,
                                                                       const MetaEngineTiming& timing);

// `myelin train --checkpoint PATH` for algorithm = "meta": the layer trained by `run` on the
// test samples of `data`, with the read-out fitted on its training samples; prints where the
// samples play unless `quiet`.
struct MetaRun;
struct MetaDataset;
struct MetaSpec;
void write_meta_engine_checkpoint(const std::string& path, const MetaSpec& spec, const MetaDataset& data,
                                  const MetaRun& run, std::uint64_t seed, const std::string& source, bool quiet);

}  // namespace myelin::cli
