// A TESS-trained network (learning/tess_network.hpp) as a network the engine runs: `myelin train
// experiments/tess_fashion.toml --checkpoint FILE` (docs/learning.md, "TESS in the engine").
// One test image per trial of T steps; the hidden layers are TessLIF populations (soft reset,
// models/tess_lif.hpp) joined by spike projections, each reset at the start of its trial; the
// head an Integrator with gain 1/T fed the last layer's spikes, plus a bias source, so its v at
// the end of a trial is the trainer's mean head output (the logits).
#pragma once

#include "experiments/trained_network_parts.hpp"
#include "learning/tess_training.hpp"

#include <cstdint>
#include <string>

namespace myelin::cli {

// input -> hidden1 -> ... -> hiddenL -> output: depth L + 1.
TrialTiming tess_engine_timing(const learning::TessShape& shape, std::size_t count);

// The engine network's config: populations input (ImageSequenceEncoder), bias, hidden1..hiddenL
// (TessLIF), output (Integrator); each projection's text says weight 0, and tess_engine_run replaces
// it with its trained connection table.
std::string tess_engine_config(const learning::TessTrainer& trainer, std::uint64_t seed, const ImageEngineInput& input);

// The config parsed with the trained weights as connection tables: ready for sim::build.
io::RunSpec tess_engine_run(const learning::TessTrainer& trainer, std::uint64_t seed, const ImageEngineInput& input,
                            const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules);

// Builds that network and writes it as a checkpoint at step 0: whole or not at all.
void write_tess_engine_checkpoint(const std::string& path, const learning::TessTrainer& trainer, std::uint64_t seed,
                                  const ImageEngineInput& input, const sim::ModelRegistry& models,
                                  const sim::PlasticityRegistry& rules);

}  // namespace myelin::cli
