// myelin info: what a config would build, estimated from the spec without building it.
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "io/checkpoint.hpp"
#include "io/config.hpp"
#include "sim/connectivity.hpp"
#include "sim/network.hpp"

#include <tbb/info.h>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace myelin::cli {

int info_command(const std::string& config, const std::vector<std::string>& set, int threads_option) {
    const Catalogue catalogue;
    io::ConfigOverrides overrides{set};
    if (threads_option >= 0) overrides.set.push_back("simulation.threads=" + std::to_string(threads_option));
    // A checkpoint (a trained network, a paused run) describes its network as a config does.
    const io::RunSpec run = io::is_hdf5_file(config)
                                ? io::resume_spec(io::read_checkpoint(config), config, overrides, catalogue.models, catalogue.rules)
                                : io::load_config(config, overrides, catalogue.models, catalogue.rules);
    const int threads = run.threads > 0 ? run.threads : tbb::info::default_concurrency();
    const auto& net = run.network;
    const int parts = sim::parts_for(net, catalogue.models, threads);
    std::printf("%s: dt %g ms, duration %g ms (%lld steps), seed %llu, %d thread%s", config.c_str(), net.dt, run.duration,
                static_cast<long long>(std::llround(run.duration / net.dt)), static_cast<unsigned long long>(net.seed),
                threads, threads == 1 ? "" : "s");
    std::printf(parts == threads ? "\n" : " (%d parts: 2-byte post indices)\n", parts);
    std::printf("populations\n");
    double neurons = 0;
    for (const auto& p : net.populations) {
        const bool single = p.precision == sim::Precision::single_precision;
        std::printf("  %-22s %-20s %10llu%s\n", p.name.c_str(), p.model.c_str(), static_cast<unsigned long long>(p.size),
                    single ? "  single precision" : "");
        neurons += static_cast<double>(p.size);
    }
    const auto spec_of = [&](const std::string& name) -> const sim::PopulationSpec& {
        return *net.find_population(name);  // the config was validated
    };
    const auto size_of = [&](const std::string& name) { return static_cast<double>(spec_of(name).size); };
    std::printf("projections\n");
    double synapses = 0, bytes = 0;
    for (const auto& p : net.projections) {
        const double n_pre = size_of(p.pre), n = expected_synapses(p, n_pre, size_of(p.post));
        // Storage per synapse: post index, plus weight and delay when they vary, plus the
        // post->synapse index for plastic projections; and row offsets per part. Static
        // projections through the rings keep 2-byte post indices when a part of the post
        // population is at most 65536 neurons (sim::SynapseStore::build).
        const bool per_weight = !p.weight.is_constant() || p.connect.list_has_weight || p.plasticity;
        const bool per_delay = !p.delay.is_constant() || p.connect.list_has_delay;
        const bool narrow = std::ceil(size_of(p.post) / parts) <= 65536.0 &&
                            sim::static_through_rings(p, spec_of(p.post), catalogue.models, net.dt);
        const double per_synapse = (narrow ? 2.0 : 4.0) + (per_weight ? 4.0 : 0.0) + (per_delay ? 2.0 : 0.0) +
                                   (p.plasticity ? 8.0 : 0.0);
        bytes += n * per_synapse + 8.0 * (n_pre + 1) * parts;
        synapses += n;
        std::printf("  %-22s %s -> %s, %s, ~%.0f synapses%s\n", p.name.c_str(), p.pre.c_str(), p.post.c_str(),
                    p.receptor == sim::Receptor::excitatory ? "excitatory" : "inhibitory", n,
                    p.plasticity ? (", plastic (" + p.plasticity->rule + ", " + p.plasticity->weight_dependence + ")").c_str() : "");
    }
    for (const auto& in : net.poisson_inputs)
        std::printf("  poisson_input          -> %s, %g Hz per neuron, weight %g\n", in.target.c_str(), in.rate, in.weight);
    std::printf("total: %.0f neurons, ~%.4g synapses, ~%.1f MB of synapse storage\n", neurons, synapses, bytes / 1e6);
    return 0;
}

}  // namespace myelin::cli
