// A trained meta-neuron layer written as an engine checkpoint (experiments/meta_engine_network.hpp)
// and run by the engine gives the trainer's output trains in law (issue 7: "train here, run
// anywhere"). The neurons are stochastic and the engine keys its Bernoulli draws by (seed,
// population, neuron, step), the trainer by (sample, step, neuron): the same law, other numbers.
// So the comparison is statistical, paired by test sample: for every neuron, the spike count and
// the LZ complexity of the engine's train minus the trainer's on the same sample have mean 0, and
// so have the read-outs' correctness differences; each tested at five standard errors of the
// paired mean (a false alarm once in ~1.7 million per statistic). A 10% higher threshold, which
// changes a neuron's rate by a few percent, must fail the same test.
#include "experiments/meta_engine_network.hpp"
#include "experiments/catalogue.hpp"
#include "experiments/meta_experiment.hpp"
#include "experiments/trained_network_parts.hpp"
#include "io/checkpoint.hpp"
#include "sim/network.hpp"
#include "sim/recorder.hpp"
#include "sim/simulation.hpp"

#include "learning/spike_estimators.hpp"
#include "support/scratch_dir.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace myelin;

namespace {

using Trains = std::vector<std::vector<std::vector<std::uint8_t>>>;  // [sample][neuron][step]

class SpikeCollector final : public sim::Recorder {
public:
    explicit SpikeCollector(std::size_t population) : population_(population) {}
    void after_step(const sim::Network&, std::int64_t step, std::span<const sim::SpikeLists> spikes) override {
        for (const auto& list : spikes[population_])
            for (const std::uint32_t i : list) {
                neuron.push_back(i);
                this->step.push_back(step);
            }
    }
    std::vector<std::uint32_t> neuron;
    std::vector<std::int64_t> step;

private:
    std::size_t population_;
};

Trains engine_trains(const std::string& path, int threads, const cli::MetaEngineTiming& timing, std::size_t neurons) {
    const cli::Catalogue catalogue;
    const io::Checkpoint checkpoint = io::read_checkpoint(path);
    const io::RunSpec run = io::resume_spec(checkpoint, path, {}, catalogue.models, catalogue.rules);
    sim::Network network = sim::build(run.network, catalogue.models, catalogue.rules, threads);
    sim::Simulation simulation(network);
    simulation.restore(checkpoint.state);
    SpikeCollector spikes(network.population_index("meta"));
    simulation.run(std::llround(run.duration / run.network.dt), &spikes);
    return cli::meta_engine_trains(spikes.neuron, spikes.step, neurons, timing);
}

// The paired mean of x - y over samples in standard errors (0 if every difference is 0).
double paired_z(const std::vector<double>& x, const std::vector<double>& y) {
    const auto n = static_cast<double>(x.size());
    double mean = 0.0, square = 0.0;
    for (std::size_t s = 0; s < x.size(); ++s) mean += (x[s] - y[s]) / n;
    for (std::size_t s = 0; s < x.size(); ++s) square += (x[s] - y[s] - mean) * (x[s] - y[s] - mean);
    const double se = std::sqrt(square / (n - 1.0) / n);
    return se > 0.0 ? mean / se : 0.0;
}

struct Statistics {
    std::vector<std::vector<double>> count, lzc;  // [neuron][sample]
    std::vector<double> count_correct, lzc_correct;  // [sample]: 1 if the read-out gives the label
};

Statistics statistics(const Trains& trains, const std::vector<learning::SpikeSample>& test,
                      const learning::CentroidClassifier& readout) {
    const std::size_t neurons = trains.front().size();
    Statistics out;
    out.count.assign(neurons, {});
    out.lzc.assign(neurons, {});
    for (std::size_t s = 0; s < trains.size(); ++s) {
        const std::vector<double> features = learning::lzc_features(trains[s]);
        std::vector<double> counts(neurons);
        for (std::size_t k = 0; k < neurons; ++k) {
            for (const std::uint8_t spike : trains[s][k]) counts[k] += spike;
            out.count[k].push_back(counts[k]);
            out.lzc[k].push_back(features[k]);
        }
        const auto predicted = std::max_element(counts.begin(), counts.end()) - counts.begin();
        out.count_correct.push_back(predicted == test[s].label ? 1.0 : 0.0);
        out.lzc_correct.push_back(readout.predict(features) == test[s].label ? 1.0 : 0.0);
    }
    return out;
}

// The trainer's equations (learning/meta_network.hpp: v = beta u + sum_i w_i x_i, spike with
// probability sigmoid((v - theta)/T), u = v (1 - s)) driven by the engine's uniform numbers: the
// spike draw of neuron k in engine step e is word 2 (k % 2) + 1 of philox(key, k / 2, e, 0), the
// key of population 1 (models/meta_neuron.hpp, sim/neuron_population.hpp).
Trains with_engine_draws(const learning::MetaParameters& params, const std::vector<learning::SpikeSample>& test,
                         std::uint64_t seed, const cli::MetaEngineTiming& timing) {
    const sim::RandomKey key = sim::RandomKey::make(seed, sim::RandomPurpose::neuron_model, 1);
    const std::size_t neurons = params.neurons();
    Trains trains(test.size(), std::vector<std::vector<std::uint8_t>>(neurons, std::vector<std::uint8_t>(timing.steps)));
    for (std::size_t n = 0; n < test.size(); ++n) {
        std::vector<double> u(neurons, 0.0);
        for (std::size_t t = 0; t < timing.steps; ++t) {
            const auto step = static_cast<std::uint32_t>(timing.first_step(n) + t);
            for (std::size_t k = 0; k < neurons; ++k) {
                double v = params.decay(k) * u[k];
                for (const std::uint32_t i : test[n].spikes_at(t)) v += params.weight(k, i);
                const double p = learning::sigmoid((v - params.threshold(k)) / params.temperature(k));
                const std::uint32_t word = sim::philox(key, static_cast<std::uint32_t>(k / 2), step, 0)[2 * (k % 2) + 1];
                const bool spike = (word + 0.5) * 0x1.0p-32 < p;
                trains[n][k][t] = spike;
                u[k] = spike ? 0.0 : v;
            }
        }
    }
    return trains;
}

double mean(const std::vector<double>& x) {
    double sum = 0.0;
    for (const double v : x) sum += v;
    return sum / static_cast<double>(x.size());
}

}  // namespace

TEST_CASE("a trained meta-neuron layer run from its checkpoint in the engine gives the trainer's output trains in law",
          "[experiments][meta][issue-7]") {
    cli::MetaSpec spec;
    spec.task.duration = 300.0;
    spec.task.train_per_class = 60;
    spec.task.test_per_class = 150;
    spec.train.learn = {true, true, true};
    const std::uint64_t seed = 4;
    const cli::MetaDataset data = cli::make_poisson_dataset(spec.task, seed);
    const cli::MetaRun trained = cli::run_meta(spec, data, seed, 8);
    const learning::MetaParameters& params = trained.parameters;
    const std::size_t neurons = params.neurons(), steps = spec.task.steps();
    const learning::CentroidClassifier readout = cli::fit_meta_readout(params, data.train, 3, seed);

    // The trainer's trains of the test samples: its own forward pass, its own draws.
    Trains trainer(data.test.size());
    for (std::size_t s = 0; s < data.test.size(); ++s) {
        const learning::MetaOutput out = learning::run_meta_layer(
            params, data.test[s], learning::ForwardMode::sample,
            sim::RandomKey::make(seed, sim::RandomPurpose::trainer, 0x7E57), static_cast<std::uint32_t>(s));
        for (std::size_t k = 0; k < neurons; ++k) trainer[s].push_back(out.train(k));
    }

    const cli::Catalogue catalogue;
    const test::ScratchDir dir("meta_engine");
    const auto write = [&](const learning::MetaParameters& p, const std::string& name) {
        const std::string path = dir / name;
        cli::write_network_checkpoint(path, cli::meta_engine_run(p, data.test, spec.task.dt, readout, seed, {}, catalogue.models, catalogue.rules),
                                      catalogue.models, catalogue.rules);
        return path;
    };
    const std::string checkpoint = write(params, "meta.ckpt.h5");
    const cli::MetaEngineTiming timing = cli::meta_engine_timing(spec.task.dt, steps, data.test.size());
    const Trains engine = engine_trains(checkpoint, 2, timing, neurons);
    REQUIRE(engine.size() == data.test.size());

    // Given the engine's random numbers, the trainer's equations give the engine's trains: the
    // mapping (decay -> tau_m, trial timing, resets, weights) is exact. Float weights and the
    // engine's float input rows move v by ~1e-8, which flips a draw only if it falls that close
    // to p: expected ~0.01 times in these 4e5 draws, so at most a few trains may differ.
    const Trains reference = with_engine_draws(params, data.test, seed, timing);
    std::size_t different = 0;
    for (std::size_t s = 0; s < engine.size(); ++s)
        for (std::size_t k = 0; k < neurons; ++k) different += engine[s][k] != reference[s][k];
    CHECK(different <= 2);

    const Statistics e = statistics(engine, data.test, readout), t = statistics(trainer, data.test, readout);
    for (std::size_t k = 0; k < neurons; ++k) {
        CAPTURE(k, mean(e.count[k]), mean(t.count[k]), mean(e.lzc[k]), mean(t.lzc[k]));
        CHECK(mean(t.count[k]) > 1.0);  // the neuron fires: the comparison is not of empty trains
        CHECK(std::fabs(paired_z(e.count[k], t.count[k])) < 5.0);
        CHECK(std::fabs(paired_z(e.lzc[k], t.lzc[k])) < 5.0);
    }
    CAPTURE(mean(e.lzc_correct), mean(t.lzc_correct), mean(e.count_correct), mean(t.count_correct));
    CHECK(mean(t.lzc_correct) > 0.6);  // trained: well above chance (1/3)
    CHECK(std::fabs(paired_z(e.lzc_correct, t.lzc_correct)) < 5.0);
    CHECK(std::fabs(paired_z(e.count_correct, t.count_correct)) < 5.0);

    // Determinism: the engine's spikes do not depend on the thread count.
    CHECK(engine_trains(checkpoint, 1, timing, neurons) == engine);

    // The test can fail: every threshold 10% higher moves some neuron's counts many standard
    // errors away from the trainer's.
    learning::MetaParameters higher = params;
    for (std::size_t k = 0; k < neurons; ++k) higher.set_threshold(k, 1.1 * params.threshold(k));
    const Statistics p = statistics(engine_trains(write(higher, "higher.ckpt.h5"), 2, timing, neurons), data.test, readout);
    double largest = 0.0;
    for (std::size_t k = 0; k < neurons; ++k) largest = std::max(largest, std::fabs(paired_z(p.count[k], t.count[k])));
    CAPTURE(largest);
    CHECK(largest > 5.0);
}
