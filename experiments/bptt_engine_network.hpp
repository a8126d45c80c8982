// A BPTT-trained network (learning/bptt_network.hpp) as a network the engine runs: the config
// text, the trained connection tables, and the checkpoint `myelin train --checkpoint` writes
// (docs/learning.md, "Running a trained network in the engine"). One test image per trial of T
// steps, the layers reset at the start of their trial, the readout an Integrator fed the soft
// spikes through graded projections, so the engine computes the trainer's logits.
#pragma once

#include "experiments/trained_network_parts.hpp"
#include "io/run_spec.hpp"
#include "learning/bptt_training.hpp"
#include "sim/model_registry.hpp"
#include "sim/plasticity_registry.hpp"

#include <cstdint>
#include <string>

namespace myelin::cli {

// Sample n's logits: the readout ("output") state v at t = first_sample_time + n * T ms
// (trial_timing with depth 2: input -> hidden -> output).
TrialTiming bptt_engine_timing(std::size_t steps, std::size_t count);

// The engine network's config: populations input (ImageSequenceEncoder), bias (one source that
// fires every step), hidden (the trained Ultra* layer), output (Integrator); each projection's
// text says weight 0, and bptt_engine_run replaces it with its trained connection table. Throws
// ParamError for the LIF baseline, which has no engine model.
std::string bptt_engine_config(const learning::BpttTrainer& trainer, std::uint64_t seed, const ImageEngineInput& input);

// The config parsed with the trained weights as connection tables: ready for sim::build.
io::RunSpec bptt_engine_run(const learning::BpttTrainer& trainer, std::uint64_t seed, const ImageEngineInput& input,
                            const sim::ModelRegistry& models, const sim::PlasticityRegistry& rules);

// Builds that network and writes it as a checkpoint at step 0 (io/checkpoint.hpp): whole or
// not at all. `myelin run PATH` then simulates the test images.
void write_bptt_engine_checkpoint(const std::string& path, const learning::BpttTrainer& trainer, std::uint64_t seed,
                                  const ImageEngineInput& input, const sim::ModelRegistry& models,
                                  const sim::PlasticityRegistry& rules);

}  // namespace myelin::cli
