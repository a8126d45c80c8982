// What the engine forms of the gradient-trained image classifiers share (bptt_engine_network,
// tess_engine_network; docs/learning.md "Running a trained network in the engine"): one test
// image per trial of T steps from an ImageSequenceEncoder, layers one synaptic step apart and
// reset at the start of their trial, dense trained layers as connection tables split by sign,
// and the checkpoint at step 0 that `myelin run` simulates.
#pragma once

#include "io/run_spec.hpp"
#include "sim/network_spec.hpp"
#include "sim/model_registry.hpp"
#include "sim/plasticity_registry.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>

namespace myelin::cli {

// Which images the engine network presents and what it is called.
struct ImageEngineInput {
    std::string dataset = "fashion-mnist";
    std::string directory;   // dataset folder; empty: the dataset's default
    std::size_t count = 0;   // test images 0 .. count-1
    std::string source;      // the training config, named in the header comment
    std::string output;      // [output] file of `myelin run`; empty: none
};

// Where sample n's readout appears: the readout ("output") state v recorded at
// t = (first_sample_time + n * T) * dt ms. Each layer adds one step of synaptic delay, so a
// readout `depth` projections behind the input completes trial n after step start + n*T + T +
// depth - 1; `start` = -depth mod T puts every completion on the recording grid (multiples of T).
struct TrialTiming {
    std::size_t steps = 1;        // T, the trial length
    std::size_t depth = 2;        // projections from the input to the readout
    std::size_t start = 0;        // the step the first image starts
    std::size_t duration = 0;     // steps in all
    std::size_t first_sample_time = 0;  // ms (dt = 1): when sample 0's readout is complete
    // The step at which the population `layer` projections behind the input is reset (every T).
    std::size_t reset_start(std::size_t layer) const { return start + layer; }
};
TrialTiming trial_timing(std::size_t steps, std::size_t depth, std::size_t count);

// Round-trips a double exactly (and a float widened to double).
std::string toml_exact(double x);
std::string toml_quoted(const std::string& s);

// The [simulation] table (dt = 1 ms: one engine step is one trainer step), the "input"
// population (population 0, so its rate code is the trainers' evaluation code,
// learning/image_encoding.hpp) and the "bias" population, which fires every step.
struct ImageInputCode {
    std::size_t inputs = 784, steps = 1;
    double rate_gain = 0.0;  // 0: the constant-current code (transmit = "current")
    double mean = 0.0, std = 1.0;
};
void write_image_input(std::ostream& out, const TrialTiming& timing, std::uint64_t seed, const ImageInputCode& code,
                       const ImageEngineInput& input);

// Two projections "pre->post+" (excitatory) and "pre->post-" (inhibitory), written all to all with
// weight 0: parse_with_tables() replaces each with the trained layer's connection table.
void write_projection_pair(std::ostream& out, const std::string& pre, const std::string& post,
                           const std::string& transmit = "");

// A dense block of trained weights, post x pre column-major (as Eigen keeps it):
// weights[pre * posts + post].
struct DenseLayer {
    const float* weights;
    std::size_t pres, posts;
};
// The synapses of `layer` with weights of one sign (>= 0 for the excitatory projection, < 0
// for the inhibitory one): per-synapse weights, delay one step, sorted by pre then post.
std::shared_ptr<const sim::ConnectionTable> signed_table(const DenseLayer& layer, bool negative);

// Parses `text` (named `path` in messages), replaces the connectivity of every projection pair
// "stem+"/"stem-" by the signed tables of layers.at(stem), and validates the network.
io::RunSpec parse_with_tables(const std::string& text, const std::string& path,
                              const std::map<std::string, DenseLayer>& layers, const sim::ModelRegistry& models,
                              const sim::PlasticityRegistry& rules);

// Builds `run` and writes it as a checkpoint at step 0 (io/checkpoint.hpp): whole or not at all.
void write_network_checkpoint(const std::string& path, const io::RunSpec& run, const sim::ModelRegistry& models,
                              const sim::PlasticityRegistry& rules);

}  // namespace myelin::cli
