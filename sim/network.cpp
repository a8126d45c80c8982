// Building a network from a validated description (network.hpp).
#include "sim/network.hpp"

#include "sim/batch.hpp"
#include "sim/draw_value.hpp"
#include "sim/error.hpp"
#include "sim/graded_projection.hpp"

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>

namespace myelin::sim {
namespace {

void set_initial_state(Population& population, const PopulationSpec& spec, std::uint64_t seed,
                       std::uint32_t population_index) {
    const RandomKey key = RandomKey::make(seed, RandomPurpose::initial_state, population_index);
    auto variables = population.state();
    for (std::uint32_t v = 0; v < variables.size(); ++v) {
        const auto it = spec.init.find(std::string(variables[v].name));
        if (it == spec.init.end()) continue;
        const ValueSpec& value = it->second;
        const StateColumn& column = variables[v].values;
        for (std::size_t i = 0; i < column.size(); ++i) {
            RandomStream stream(key, static_cast<std::uint32_t>(i), v);  // per (neuron, variable)
            column.set(i, value.kind == ValueSpec::Kind::values ? value.values[i] : draw_value(value, stream));
        }
    }
}

StateColumn state_column(Population& population, const std::string& name) {
    for (const auto& variable : population.state())
        if (variable.name == name) return variable.values;
    throw InternalError("state variable \"" + name + "\" of population \"" + population.name() + "\" was not validated");
}

void set_periodic_reset(Population& population, const PeriodicResetSpec& spec, double dt) {
    Population::PeriodicReset reset;
    reset.every_steps = std::llround(spec.every / dt);
    reset.start_steps = std::llround(spec.start / dt);
    for (const auto& [name, value] : spec.values) reset.columns.emplace_back(state_column(population, name), value);
    population.set_periodic_reset(std::move(reset));
}

}  // namespace

int channel_of(const Population& post, Receptor receptor) {
    // Single-channel models (delta synapses) take both receptors on channel 0.
    return std::min(static_cast<int>(receptor), post.channels() - 1);
}

namespace {

// Whether `post`'s model takes a receptor's input straight into a state column after the
// update (direct delivery of one-delay projections, see Population::input_column).
bool input_joins_column(Population& post, Receptor receptor) {
    return post.channels() > 0 && static_cast<bool>(post.input_column(channel_of(post, receptor)));
}

}  // namespace

bool static_through_rings(const ProjectionSpec& projection, const PopulationSpec& post, const ModelRegistry& models,
                          double dt) {
    if (projection.plasticity || !projection.transmit.empty()) return false;
    if (!projection.delay.is_constant() || projection.connect.list_has_delay) return true;
    PopulationSpec one = post;  // a one-neuron copy answers for the model
    one.size = 1;
    one.init.clear();
    return !input_joins_column(*models.at(post.model).create(one, {dt, 0, 0}), projection.receptor);
}

int parts_for(const NetworkSpec& spec, const ModelRegistry& models, int threads) {
    constexpr double narrow_span = 65536.0, shortest_rows = 32.0;
    constexpr int most_per_thread = 4;
    int per_thread = 1;
    for (const ProjectionSpec& projection : spec.projections) {
        const PopulationSpec* pre = spec.find_population(projection.pre);
        const PopulationSpec* post = spec.find_population(projection.post);
        const double n_pre = static_cast<double>(pre->size), n_post = static_cast<double>(post->size);
        const int needed = static_cast<int>(std::ceil(n_post / (narrow_span * threads)));
        if (needed <= per_thread || needed > most_per_thread) continue;
        const double row_length = expected_synapses(projection, n_pre, n_post) / (n_pre * threads * needed);
        if (row_length >= shortest_rows && static_through_rings(projection, *post, models, spec.dt)) per_thread = needed;
    }
    return threads * per_thread;
}

std::size_t Network::population_index(std::string_view name) const {
    for (std::size_t i = 0; i < populations.size(); ++i)
        if (populations[i]->name() == name) return i;
    throw Error("unknown population \"" + std::string(name) + "\"");
}

std::size_t Network::neuron_count() const {
    std::size_t n = 0;
    for (const auto& p : populations) n += p->size();
    return n;
}

std::size_t Network::synapse_count() const {
    std::size_t n = 0;
    for (const auto& p : projections) n += p->size();
    return n;
}

std::size_t Network::synapse_bytes() const {
    std::size_t n = 0;
    for (const auto& p : projections) n += p->bytes();
    return n;
}

std::size_t Network::state_bytes() const {
    std::size_t n = 0;
    for (const auto& p : populations) n += p->state_bytes() + p->input().bytes();
    return n;
}

Network build(const NetworkSpec& spec, const ModelRegistry& models, const PlasticityRegistry& rules, int parts,
              int threads) {
    MYELIN_ASSERT(parts >= 1);
    const int workers = std::min(threads > 0 ? threads : parts, tbb::info::default_concurrency());
    Network network;
    network.dt = spec.dt;
    network.seed = spec.seed;
    network.parts = parts;
    // Determinism: everything drawn while running (and initial values) is keyed by the copy's
    // seed; everything that is the network's structure by the config's seed.
    const std::uint64_t dynamics_seed = copy_seed(spec.seed, spec.copy);
    // Building uses at most one thread per core (results do not depend on it).
    tbb::task_arena arena(workers);
    arena.execute([&] {
        for (std::uint32_t i = 0; i < spec.populations.size(); ++i) {
            const PopulationSpec& p = spec.populations[i];
            network.populations.push_back(models.at(p.model).create(p, {spec.dt, dynamics_seed, i}));
            network.partitions.emplace_back(p.size, parts);
            set_initial_state(*network.populations.back(), p, dynamics_seed, i);
            if (p.reset) set_periodic_reset(*network.populations.back(), *p.reset, spec.dt);
        }
        // Input through the rings: the longest ring delay per population, or 0 if none.
        std::vector<std::int64_t> ring_delay(spec.populations.size(), 0);
        for (std::uint32_t i = 0; i < spec.projections.size(); ++i) {
            const ProjectionSpec& proj = spec.projections[i];
            const std::size_t pre = network.population_index(proj.pre);
            const std::size_t post = network.population_index(proj.post);
            Population& post_population = *network.populations[post];
            ConnectInput input;
            input.n_pre = network.populations[pre]->size();
            input.n_post = post_population.size();
            input.same_population = pre == post;
            input.seed = spec.seed;
            input.projection_index = i;
            input.dt = spec.dt;
            input.threads = workers;
            const float constant_weight = static_cast<float>(proj.weight.a);
            const auto constant_delay = static_cast<std::uint16_t>(delay_steps(proj.delay.a, spec.dt));
            Adjacency adjacency = connect(proj, input);
            const int channel = channel_of(post_population, proj.receptor);
            // One delay for every synapse and a model whose input joins a state column after
            // the update: deliver straight into that column (see Population::input_column).
            const bool one_delay = adjacency.delays.empty();
            const bool graded = !proj.transmit.empty();
            const bool direct = !graded && one_delay && input_joins_column(post_population, proj.receptor);
            const bool static_ring = !direct && !graded && !proj.plasticity;  // as static_through_rings decides
            SynapseStore store = SynapseStore::build(std::move(adjacency), input.n_pre, network.partitions[post],
                                                     constant_weight, constant_delay, proj.plasticity.has_value(),
                                                     static_ring);
            const std::int64_t delay = store.max_delay;
            std::unique_ptr<Projection> projection;
            if (graded) {
                projection = std::make_unique<GradedProjection>(proj.name, pre, post, channel, std::move(store),
                                                                state_column(*network.populations[pre], proj.transmit));
            } else if (proj.plasticity) {
                PlasticProjectionParts parts_of{proj.name, pre, post, channel, std::move(store), spec.dt,
                                                input.n_pre, input.n_post, network.partitions[post], direct};
                projection = rules.find(proj.plasticity->rule, proj.plasticity->weight_dependence)
                                 ->create(std::move(parts_of), *proj.plasticity);
            } else {
                auto static_projection = std::make_unique<StaticProjection>(proj.name, pre, post, channel, std::move(store), direct);
                if (proj.release_probability < 1.0)
                    static_projection->set_release(proj.release_probability,
                                                   RandomKey::make(dynamics_seed, RandomPurpose::synaptic_release, i));
                projection = std::move(static_projection);
            }
            if (!direct) ring_delay[post] = std::max(ring_delay[post], delay);
            projection->set_parts(parts);
            network.projections.push_back(std::move(projection));
        }
        for (std::size_t i = 0; i < network.populations.size(); ++i) {
            Population& p = *network.populations[i];
            // Populations that cannot take input in columns keep their rings (delta synapses,
            // and so Poisson drives onto them); the others have rings only if some input needs one.
            const bool needs_ring = ring_delay[i] > 0 || (p.channels() > 0 && !p.input_column(0));
            p.set_reads_input_ring(needs_ring);
            if (needs_ring) p.input().resize(p.size(), std::max(p.channels(), 1), std::max<std::int64_t>(ring_delay[i], 1));
        }
        for (std::uint32_t i = 0; i < spec.poisson_inputs.size(); ++i) {
            const PoissonInputSpec& in = spec.poisson_inputs[i];
            Population& target = *network.populations[network.population_index(in.target)];
            PoissonDrive drive;
            drive.channel = channel_of(target, in.receptor);
            drive.weight = static_cast<float>(in.weight);
            drive.start_step = std::llround(in.start / spec.dt);
            drive.stop_step = in.stop < 0.0 ? INT64_MAX : std::llround(in.stop / spec.dt);
            drive.sampler = PoissonSampler(in.rate * spec.dt / 1000.0);
            drive.key = RandomKey::make(dynamics_seed, RandomPurpose::poisson_input, i);
            target.add_drive(std::move(drive));
        }
    });
    return network;
}

}  // namespace myelin::sim
