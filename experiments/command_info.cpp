// myelin info: what a config would build, estimated from the spec without building it.
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "io/checkpoint.hpp"
#include "io/config.hpp"
#include "sim/connectivity.hpp"

#include <tbb/info.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace myelin::cli {
namespace {

// Expected synapse count of a projection (exact except for fixed_probability).
double expected_synapses(const sim::ProjectionSpec& p, double n_pre, double n_post) {
    using Rule = sim::ConnectorSpec::Rule;
    const bool same = p.pre == p.post && !p.connect.allow_self;
    switch (p.connect.rule) {
        case Rule::all_to_all: return n_pre * n_post - (same ? n_post : 0.0);
        case Rule::one_to_one: return n_post;
        case Rule::fixed_probability: return p.connect.p * (n_pre * n_post - (same ? n_post : 0.0));
        case Rule::fixed_number_pre: return static_cast<double>(p.connect.n) * n_post;
        case Rule::fixed_number_post: return static_cast<double>(p.connect.n) * n_pre;
        case Rule::from_list: return static_cast<double>(p.connect.list.size());
        case Rule::fixed_total_number: return static_cast<double>(p.connect.n);
        case Rule::table: return static_cast<double>(p.connect.table->pre.size());
    }
    return 0.0;
}

// Whether the post population's model takes a receptor's input straight into a state column
// (sim::build then delivers directly, with 4-byte post indices) rather than through its rings.
bool takes_input_in_column(const sim::PopulationSpec& post, sim::Receptor receptor, const sim::ModelRegistry& models,
                           double dt) {
    sim::PopulationSpec one = post;
    one.size = 1;
    one.init.clear();
    const auto population = models.at(post.model).create(one, {dt, 0, 0});
    return population->channels() > 0 && static_cast<bool>(population->input_column(sim::channel_of(*population, receptor)));
}

}  // namespace

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
    std::printf("%s: dt %g ms, duration %g ms (%lld steps), seed %llu, %d thread%s\n", config.c_str(), net.dt, run.duration,
                static_cast<long long>(std::llround(run.duration / net.dt)), static_cast<unsigned long long>(net.seed),
                threads, threads == 1 ? "" : "s");
    std::printf("populations\n");
    double neurons = 0;
    for (const auto& p : net.populations) {
        const bool single = p.precision == sim::Precision::single_precision;
        std::printf("  %-22s %-20s %10llu%s\n", p.name.c_str(), p.model.c_str(), static_cast<unsigned long long>(p.size),
                    single ? "  single precision" : "");
        neurons += static_cast<double>(p.size);
    }
    const auto spec_of = [&](const std::string& name) -> const sim::PopulationSpec& {
        for (const auto& p : net.populations)
            if (p.name == name) return p;
        throw std::logic_error("unknown population " + name);  // the config was validated
    };
    const auto size_of = [&](const std::string& name) { return static_cast<double>(spec_of(name).size); };
    std::printf("projections\n");
    double synapses = 0, bytes = 0;
    for (const auto& p : net.projections) {
        const double n_pre = size_of(p.pre), n = expected_synapses(p, n_pre, size_of(p.post));
        // Storage per synapse: post index, plus weight and delay when they vary, plus the
        // post->synapse index for plastic projections; and row offsets per thread. Static
        // projections through the rings keep 2-byte post indices when a thread's share of
        // the post population is at most 65536 neurons (sim::narrow_post_indices).
        const bool per_weight = !p.weight.is_constant() || p.connect.list_has_weight || p.plasticity;
        const bool per_delay = !p.delay.is_constant() || p.connect.list_has_delay;
        const double post_share = std::ceil(size_of(p.post) / threads);
        const bool narrow = !p.plasticity && p.transmit.empty() && post_share <= 65536.0 &&
                            (per_delay || !takes_input_in_column(spec_of(p.post), p.receptor, catalogue.models, net.dt));
        const double per_synapse = (narrow ? 2.0 : 4.0) + (per_weight ? 4.0 : 0.0) + (per_delay ? 2.0 : 0.0) +
                                   (p.plasticity ? 8.0 : 0.0);
        bytes += n * per_synapse + 8.0 * (n_pre + 1) * threads;
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
