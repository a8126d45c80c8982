// Flattening a built network for the CUDA backend (make_plan.hpp). Everything a copy draws
// is keyed as on the CPU (sim/batch.hpp), so copy b here is copy b of `myelin run --batch`.
#include "sim/cuda/make_plan.hpp"

#include "models/lif_cond_exp.hpp"
#include "models/lif_curr_delta.hpp"
#include "models/lif_curr_exp.hpp"
#include "sim/batch.hpp"
#include "sim/error.hpp"
#include "sim/plastic_projection.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace myelin::sim::cuda {
namespace {

template <class T>
void append_bytes(std::vector<unsigned char>& out, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* bytes = reinterpret_cast<const unsigned char*>(&value);
    out.insert(out.end(), bytes, bytes + sizeof(T));
}

// Params then Propagators of every copy (sweeps give each copy its own).
template <class M>
void add_model(PopulationPlan& plan, const std::vector<NetworkSpec>& copies, std::size_t p, double dt) {
    plan.channels = M::receptors;
    plan.params_bytes = sizeof(typename M::Params);
    plan.propagators_bytes = sizeof(typename M::Propagators);
    for (const NetworkSpec& spec : copies) {
        const auto params = params_from<M>(spec.populations[p].params);
        append_bytes(plan.params, params);
        append_bytes(plan.params, M::prepare(params, dt));
    }
}

std::vector<std::uint32_t> table_of(const PoissonSampler& sampler, const std::string& what) {
    if (!sampler.uses_table())
        throw Error(what + ": a Poisson mean above " + std::to_string(static_cast<int>(PoissonSampler::table_limit)) +
                    " events per step is not supported on the GPU backend");
    return sampler.thresholds();
}

double param_or(const std::map<std::string, double>& params, const std::string& key, double fallback) {
    const auto it = params.find(key);
    return it == params.end() ? fallback : it->second;
}

// Pair STDP as the CPU's PlasticProjection runs it: the rule's parameters (defaults for keys the
// config leaves out), the trace decay tables and the incoming synapses of each post neuron.
StdpPlan stdp_plan(const std::string& name, const PlasticitySpec& spec, const ProjectionPlan& proj, std::uint32_t n_post, double dt) {
    if (spec.rule != "stdp")
        throw Error("projection \"" + name + "\": plasticity rule " + spec.rule + " is not on the GPU backend (pair \"stdp\" is)");
    if (!proj.delay.empty() && std::any_of(proj.delay.begin(), proj.delay.end(), [&](std::uint16_t d) { return d != proj.delay.front(); }))
        throw Error("projection \"" + name + "\": a plastic projection on the GPU needs one delay for every synapse");
    StdpPlan plan;
    if (spec.weight_dependence == "additive") plan.dependence = StdpPlan::Dependence::additive;
    else if (spec.weight_dependence == "multiplicative") plan.dependence = StdpPlan::Dependence::multiplicative;
    else if (spec.weight_dependence == "soft_bound") plan.dependence = StdpPlan::Dependence::soft_bound;
    else throw Error("projection \"" + name + "\": weight dependence " + spec.weight_dependence + " is not on the GPU backend");
    plan.nearest = spec.pairing == NearestPairing::name;
    for (const auto& field : learning::stdp_soft_bound_param_fields) {
        const auto it = spec.params.find(std::string(field.key));
        if (it != spec.params.end()) plan.params.*(field.member) = it->second;
    }
    for (const auto& [tau, table] : {std::pair{plan.params.tau_plus, &plan.pre_decay}, std::pair{plan.params.tau_minus, &plan.post_decay}}) {
        const DecayTable decay(tau, dt);
        *table = decay.fine();
        table->insert(table->end(), decay.coarse().begin(), decay.coarse().end());
    }
    plan.in_start.assign(static_cast<std::size_t>(n_post) + 1, 0);
    for (const std::uint32_t t : proj.target) ++plan.in_start[t + 1];
    for (std::size_t i = 1; i < plan.in_start.size(); ++i) plan.in_start[i] += plan.in_start[i - 1];
    plan.in_synapse.resize(proj.target.size());
    plan.in_pre.resize(proj.target.size());
    std::vector<std::uint64_t> fill(plan.in_start.begin(), plan.in_start.end() - 1);
    for (std::uint32_t pre = 0; pre + 1 < proj.row_start.size(); ++pre)
        for (std::uint64_t s = proj.row_start[pre]; s < proj.row_start[pre + 1]; ++s) {
            const std::uint64_t q = fill[proj.target[s]]++;
            plan.in_synapse[q] = s;
            plan.in_pre[q] = pre;
        }
    return plan;
}

}  // namespace

NetworkPlan make_plan(const std::vector<NetworkSpec>& copies, const Network& first, std::int64_t steps,
                      const ModelRegistry& models, const PlasticityRegistry& rules) {
    MYELIN_ASSERT(!copies.empty());
    const NetworkSpec& spec = copies.front();
    NetworkPlan plan;
    plan.dt = spec.dt;
    plan.batch = static_cast<std::uint32_t>(copies.size());
    plan.steps = steps;
    const std::uint32_t batch = plan.batch;

    // Initial values of copies b > 0: their populations built without synapses (cheap).
    std::vector<Network> others;
    for (std::size_t b = 1; b < copies.size(); ++b) {
        NetworkSpec light = copies[b];
        light.projections.clear();
        light.poisson_inputs.clear();
        others.push_back(build(light, models, rules, 1));
    }
    for (std::size_t p = 0; p < spec.populations.size(); ++p) {
        const PopulationSpec& ps = spec.populations[p];
        PopulationPlan pop;
        pop.name = ps.name;
        pop.size = static_cast<std::uint32_t>(ps.size);
        if (ps.reset) throw Error("population \"" + ps.name + "\": reset is not on the GPU backend yet");
        if (ps.precision == Precision::single_precision || ps.homeostasis)
            throw Error("population \"" + ps.name + "\": precision = \"single\" and homeostasis are not on the GPU backend yet");
        if (ps.model == models::LifCurrExp::name) {
            pop.kind = Kind::curr_exp;
            add_model<models::LifCurrExp>(pop, copies, p, spec.dt);
        } else if (ps.model == models::LifCondExp::name) {
            pop.kind = Kind::cond_exp;
            add_model<models::LifCondExp>(pop, copies, p, spec.dt);
        } else if (ps.model == models::LifCurrDelta::name) {
            pop.kind = Kind::curr_delta;
            add_model<models::LifCurrDelta>(pop, copies, p, spec.dt);
        } else if (ps.model == "SpikeSourceArray") {
            pop.kind = Kind::spike_array;
            std::vector<std::vector<std::uint32_t>> by_step(static_cast<std::size_t>(steps));
            for (std::size_t i = 0; i < ps.spike_times.size(); ++i)
                for (const double t : ps.spike_times[i]) {
                    const std::int64_t step = std::llround(t / spec.dt) - 1;  // as models/spike_source_array.cpp
                    if (step >= 0 && step < steps) by_step[static_cast<std::size_t>(step)].push_back(static_cast<std::uint32_t>(i));
                }
            pop.array_offsets.push_back(0);
            for (auto& list : by_step) {
                std::sort(list.begin(), list.end());
                pop.array_neurons.insert(pop.array_neurons.end(), list.begin(), list.end());
                pop.array_offsets.push_back(pop.array_neurons.size());
            }
        } else if (ps.model == "SpikeSourcePoisson") {
            pop.kind = Kind::poisson_source;
            const double rate = param_or(ps.params, "rate", 1.0), start = param_or(ps.params, "start", 0.0);
            const double duration = param_or(ps.params, "duration", 1e10);
            pop.source_thresholds = table_of(PoissonSampler(rate * spec.dt / 1000.0), "population \"" + ps.name + "\"");
            pop.source_start = std::llround(start / spec.dt);
            pop.source_stop = std::llround(std::min(start + duration, 1e15) / spec.dt);
            for (std::uint32_t b = 0; b < batch; ++b)
                pop.source_keys.push_back(RandomKey::make(copy_seed(spec.seed, b), RandomPurpose::spike_source, static_cast<std::uint32_t>(p)));
        } else {
            throw Error("population \"" + ps.name + "\": model " + ps.model +
                        " is not supported on the GPU backend (IF_curr_exp, IF_cond_exp, IF_curr_delta, SpikeSourceArray, SpikeSourcePoisson)");
        }
        if (pop.kind == Kind::curr_exp || pop.kind == Kind::cond_exp || pop.kind == Kind::curr_delta) {
            // The model's variables in its own order; counters (refractory steps) start at 0.
            const auto variables = first.populations[p]->state();
            pop.variables = static_cast<int>(variables.size());
            pop.state.resize(static_cast<std::size_t>(pop.variables) * batch * pop.size);
            for (std::size_t v = 0; v < variables.size(); ++v)
                for (std::uint32_t b = 0; b < batch; ++b) {
                    const std::span<double> column =
                        (b == 0 ? variables[v].values : others[b - 1].populations[p]->state()[v].values).doubles();
                    std::memcpy(pop.state.data() + (v * batch + b) * pop.size, column.data(), pop.size * sizeof(double));
                }
        }
        plan.populations.push_back(std::move(pop));
    }
    for (std::size_t i = 0; i < spec.poisson_inputs.size(); ++i) {
        const PoissonInputSpec& in = spec.poisson_inputs[i];
        const std::size_t target = first.population_index(in.target);
        PopulationPlan& pop = plan.populations[target];
        DrivePlan drive;
        drive.channel = std::min(static_cast<int>(in.receptor), pop.channels - 1);
        drive.weight = static_cast<float>(in.weight);
        drive.start_step = std::llround(in.start / spec.dt);
        drive.stop_step = in.stop < 0.0 ? INT64_MAX : std::llround(in.stop / spec.dt);
        drive.thresholds = table_of(PoissonSampler(in.rate * spec.dt / 1000.0), "poisson_input onto \"" + in.target + "\"");
        for (std::uint32_t b = 0; b < batch; ++b)
            drive.keys.push_back(RandomKey::make(copy_seed(spec.seed, b), RandomPurpose::poisson_input, static_cast<std::uint32_t>(i)));
        pop.drives.push_back(std::move(drive));
    }
    std::int64_t longest = 1;
    for (std::size_t j = 0; j < first.projections.size(); ++j) {
        const Projection& projection = *first.projections[j];

        if (spec.projections[j].release_probability < 1.0)
            throw Error("projection \"" + projection.name() + "\": release_probability is not supported on the GPU backend");
        if (!spec.projections[j].transmit.empty())
            throw Error("projection \"" + projection.name() + "\": graded transmission (transmit) is not on the GPU backend yet");
        const ConnectionTable table = projection.connections();  // sorted by pre, then post
        ProjectionPlan proj;
        proj.name = projection.name();
        proj.pre = static_cast<std::uint32_t>(projection.pre());
        proj.post = static_cast<std::uint32_t>(projection.post());
        proj.channel = projection.channel();
        proj.row_start.assign(first.populations[proj.pre]->size() + 1, 0);
        for (const std::uint32_t pre : table.pre) ++proj.row_start[pre + 1];
        for (std::size_t r = 1; r < proj.row_start.size(); ++r) proj.row_start[r] += proj.row_start[r - 1];
        proj.target = table.post;
        proj.weight = table.weight;
        proj.delay = table.delay;
        for (const std::uint16_t d : proj.delay) longest = std::max<std::int64_t>(longest, d);
        if (projection.plastic()) proj.stdp = stdp_plan(projection.name(), *spec.projections[j].plasticity, proj, plan.populations[proj.post].size, spec.dt);
        plan.projections.push_back(std::move(proj));
    }
    plan.slots = static_cast<int>(longest + 1);
    return plan;
}

}  // namespace myelin::sim::cuda
