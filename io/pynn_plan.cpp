// Mapping a built Myelin network onto PyNN for SpiNNaker (pynn_plan.hpp; docs/export.md).
#include "io/pynn_plan.hpp"

#include "io/spinnaker_limits.hpp"
#include "sim/error.hpp"
#include "sim/param_check.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

namespace myelin::io {
namespace {

using sim::format_number;

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The models SpiNNaker runs, with the PyNN names of their state variables. A model that is not
// here is refused by name: the model list grows on other branches, and each new model needs its
// own checked mapping (docs/export.md says how to add one).
struct CellMapping {
    std::string_view model, cell_type;
    std::array<std::pair<std::string_view, std::string_view>, 3> state;  // Myelin -> PyNN
};
constexpr std::array<CellMapping, 5> cell_mappings{{
    {"IF_curr_exp", "IF_curr_exp", {{{"v", "v"}, {"i_exc", "isyn_exc"}, {"i_inh", "isyn_inh"}}}},
    {"IF_cond_exp", "IF_cond_exp", {{{"v", "v"}, {"g_exc", "gsyn_exc"}, {"g_inh", "gsyn_inh"}}}},
    {"IF_curr_delta", "IF_curr_delta", {{{"v", "v"}, {}, {}}}},
    {"SpikeSourcePoisson", "SpikeSourcePoisson", {}},
    {"SpikeSourceArray", "SpikeSourceArray", {}},
}};

const CellMapping* find_mapping(std::string_view model) {
    for (const auto& m : cell_mappings)
        if (m.model == model) return &m;
    return nullptr;
}

std::string mapped_models() {
    std::string s;
    for (const auto& m : cell_mappings) s += (s.empty() ? "" : ", ") + std::string(m.model);
    return s;
}

std::string line(const char* format, auto... args) {
    char buffer[512];
    std::snprintf(buffer, sizeof buffer, format, args...);
    return buffer;
}

PynnPopulation map_population(const sim::PopulationSpec& spec, sim::Population& built, const sim::ModelInfo& info,
                              const CellMapping& mapping, const RunSpec& run, double timestep,
                              std::vector<std::string>& report) {
    PynnPopulation p;
    p.name = spec.name;
    p.cell_type = std::string(mapping.cell_type);
    p.size = spec.size;
    p.spike_source = info.spike_source;
    for (const auto& param : info.params) {
        const auto given = spec.params.find(param.key);
        p.params.emplace_back(param.key, given == spec.params.end() ? param.default_value : given->second);
    }
    for (const auto& variable : built.state()) {
        const auto* entry = std::find_if(mapping.state.begin(), mapping.state.end(),
                                         [&](const auto& e) { return e.first == variable.name; });
        const std::vector<double> values = variable.values.to_vector();
        const bool any_nonzero = std::any_of(values.begin(), values.end(), [](double x) { return x != 0.0; });
        if (entry == mapping.state.end() || entry->first.empty()) {
            if (any_nonzero)
                report.push_back("- population " + quoted(spec.name) + ": state variable " + quoted(variable.name) +
                                 " has no PyNN counterpart and starts from its default on SpiNNaker.");
            continue;
        }
        // v always (it is drawn from the config's init); synaptic state only when it is not at rest.
        if (entry->first == "v" || any_nonzero)
            p.initial.emplace_back(std::string(entry->second), values);
    }
    if (!spec.spike_times.empty()) {
        std::size_t dropped = 0;
        p.spike_times.resize(spec.spike_times.size());
        for (std::size_t i = 0; i < spec.spike_times.size(); ++i) {
            std::vector<std::int64_t> ticks;
            for (const double t : spec.spike_times[i]) ticks.push_back(std::max<std::int64_t>(1, std::llround(t / timestep)));
            std::sort(ticks.begin(), ticks.end());
            const auto end = std::unique(ticks.begin(), ticks.end());
            dropped += static_cast<std::size_t>(ticks.end() - end);
            for (auto it = ticks.begin(); it != end; ++it) p.spike_times[i].push_back(static_cast<double>(*it) * timestep);
        }
        if (dropped > 0)
            report.push_back(line("- SpikeSourceArray %s: %zu spike(s) shared a %g ms tick with another spike of the "
                                  "same source and were dropped (SpiNNaker and pyNN.brian2 emit at most one per tick).",
                                  quoted(spec.name).c_str(), dropped, timestep));
    }
    for (const auto& record : run.records) {
        if (record.population != spec.name) continue;
        if (std::find(record.variables.begin(), record.variables.end(), "v") == record.variables.end()) continue;
        p.record_v_all = p.record_v_all || record.all_neurons;
        p.record_v.insert(p.record_v.end(), record.neurons.begin(), record.neurons.end());
    }
    return p;
}

// Weight bounds per (post population, receptor) that size SpiNNaker's fixed-point scale.
struct WeightBounds {
    double largest = 0.0;             // largest single weight (or STDP w_max)
    std::vector<double> summed;       // per post neuron: every input in one tick
};

struct Receptors {
    bool conductance = false;  // weights are conductances: the receptor is the config's
    int channels = 2;
};

std::string receptor_name(int r) { return r == 0 ? "excitatory" : "inhibitory"; }

}  // namespace

std::string pynn_cell_type(std::string_view model) {
    const CellMapping* m = find_mapping(model);
    return m ? std::string(m->cell_type) : std::string();
}

PynnPlan plan_pynn_export(const RunSpec& run, const sim::Network& network, const sim::ModelRegistry& models,
                          const sim::PlasticityRegistry& rules, const PynnExportOptions& options) {
    const sim::NetworkSpec& spec = run.network;
    PynnPlan plan;
    plan.source = run.config_path;
    plan.seed = network.seed;
    plan.dt = network.dt;
    plan.duration = run.duration;
    plan.timestep = spinnaker::choose_timestep(network.dt, options.timestep);
    plan.neurons_per_core = options.neurons_per_core > 0 ? options.neurons_per_core : spinnaker::default_neurons_per_core;
    std::vector<std::string>& report = plan.report;
    const double timestep = plan.timestep;

    // Refusals first, so nothing half-maps.
    for (const auto& p : spec.populations)
        if (!find_mapping(p.model))
            throw Error("population " + quoted(p.name) + ": model " + quoted(p.model) +
                        " has no SpiNNaker equivalent and no documented approximation; the export maps " +
                        mapped_models() + " (docs/export.md)");
    for (const auto& p : spec.populations)
        if (p.reset)
            throw Error("population " + quoted(p.name) + ": a periodic state reset (reset) has no SpiNNaker equivalent");
    for (const auto& p : spec.populations)
        if (p.homeostasis && !options.approximate)
            throw Error("population " + quoted(p.name) + ": homeostasis (an adaptive threshold) has no SpiNNaker "
                        "equivalent; pass --approximate to export it with the fixed threshold v_thresh");

    report.push_back("## Timestep");
    if (std::abs(timestep - network.dt) > 1e-9 * timestep)
        report.push_back("- APPROXIMATION: Myelin ran with dt = " + format_number(network.dt) + " ms; SpiNNaker runs " +
                         format_number(timestep) + " ms ticks, so spike times, delays and the neurons' integration step change.");
    else
        report.push_back("- dt = " + format_number(timestep) + " ms is a SpiNNaker timestep; no change.");
    if (timestep < 1.0)
        report.push_back("- A " + format_number(timestep) + " ms tick is slower than real time on SpiNNaker: the script sets "
                         "time_scale_factor = " + format_number(1.0 / timestep) + ".");

    report.push_back("");
    report.push_back("## Populations and cores");
    std::vector<Receptors> receptors(spec.populations.size());
    for (std::size_t i = 0; i < spec.populations.size(); ++i) {
        const sim::PopulationSpec& p = spec.populations[i];
        const sim::ModelInfo& info = models.at(p.model);
        receptors[i] = {info.conductance_based, std::max(info.receptors, 1)};
        plan.populations.push_back(map_population(p, *network.populations[i], info, *find_mapping(p.model), run, timestep, report));
        const std::size_t cores = (p.size + plan.neurons_per_core - 1) / plan.neurons_per_core;
        report.push_back(line("- %s: %s, %zu neurons, %zu core(s) at %d neurons per core.", quoted(p.name).c_str(),
                              p.model.c_str(), static_cast<std::size_t>(p.size), cores, plan.neurons_per_core));
    }
    report.push_back("- Refractory countdowns are not exported: neurons start free (as in a fresh Myelin run).");
    for (const auto& p : spec.populations)
        if (p.homeostasis)
            report.push_back("- APPROXIMATION (--approximate): population " + quoted(p.name) + " adapts its threshold "
                             "(homeostasis); exported with the fixed threshold v_thresh, without theta.");

    // Receptor of one synapse on SpiNNaker: conductances keep the config's receptor; currents
    // and voltage jumps take it from the sign, as SpiNNaker ignores weight signs.
    const auto receptor_of = [&](std::size_t post, double w, int config_receptor) {
        return receptors[post].conductance ? config_receptor : (w < 0.0 ? 1 : 0);
    };

    std::map<std::pair<std::size_t, int>, WeightBounds> bounds;
    const auto bound_of = [&](std::size_t post, int receptor) -> WeightBounds& {
        WeightBounds& b = bounds[{post, receptor}];
        if (b.summed.empty()) b.summed.assign(spec.populations[post].size, 0.0);
        return b;
    };

    report.push_back("");
    report.push_back("## Projections, receptors and plasticity");
    std::size_t delays_rounded = 0, delays_clamped = 0;
    std::int64_t shortest = INT64_MAX, longest = 0;
    for (std::size_t k = 0; k < network.projections.size(); ++k) {
        const sim::Projection& built = *network.projections[k];
        const sim::ProjectionSpec& ps = spec.projections.at(k);
        MYELIN_ASSERT(ps.name == built.name());
        const std::size_t post = built.post();
        const sim::ConnectionTable table = built.connections();
        const int config_receptor = static_cast<int>(ps.receptor);
        if (!ps.transmit.empty())
            throw Error("projection " + quoted(ps.name) + ": graded transmission (transmit = " + quoted(ps.transmit) +
                        ") has no SpiNNaker equivalent: PyNN projections carry spikes");
        if (ps.release_probability < 1.0) {
            if (!options.approximate)
                throw Error("projection " + quoted(ps.name) + ": release_probability = " + format_number(ps.release_probability) +
                            " has no SpiNNaker equivalent; pass --approximate to export it with every event transmitted");
            report.push_back("- APPROXIMATION (--approximate): projection " + quoted(ps.name) + " transmits each event with "
                             "probability " + format_number(ps.release_probability) + "; exported with every event transmitted.");
        }

        std::optional<PynnStdp> stdp;
        if (ps.plasticity) {
            const sim::PlasticitySpec& plasticity = *ps.plasticity;
            const sim::PlasticityInfo* rule = rules.find(plasticity.rule, plasticity.weight_dependence);
            // PyNN's SpikePairRule pairs all-to-all; nearest pairing and soft bounds have no PyNN form.
            const bool pair_stdp = plasticity.rule == "stdp" && plasticity.pairing == "all_to_all" &&
                                   (plasticity.weight_dependence == "additive" || plasticity.weight_dependence == "multiplicative");
            const std::string label = plasticity.rule + "/" + plasticity.weight_dependence +
                                      (plasticity.pairing == "all_to_all" ? "" : ", pairing " + plasticity.pairing);
            if (pair_stdp && rule) {
                std::map<std::string, double> value;
                for (const auto& param : rule->params) value[param.key] = param.default_value;
                for (const auto& [key, v] : plasticity.params) value[key] = v;
                if (value["w_min"] < 0.0 || value["w_max"] <= 0.0)
                    throw Error("projection " + quoted(ps.name) + ": STDP with weights in [" + format_number(value["w_min"]) +
                                ", " + format_number(value["w_max"]) + "] has no SpiNNaker equivalent: SpiNNaker's STDP "
                                "acts on weight magnitudes >= 0 (use w_min >= 0, w_max > 0)");
                PynnStdp s;
                const bool additive = plasticity.weight_dependence == "additive";
                s.weight_dependence = additive ? "Additive" : "Multiplicative";
                s.tau_plus = value["tau_plus"];
                s.tau_minus = value["tau_minus"];
                s.w_min = value["w_min"];
                s.w_max = value["w_max"];
                // Myelin's additive amplitudes are in weight units; PyNN's are fractions of w_max.
                s.A_plus = additive ? value["A_plus"] / s.w_max : value["A_plus"];
                s.A_minus = additive ? value["A_minus"] / s.w_max : value["A_minus"];
                stdp = s;
                report.push_back("- " + quoted(ps.name) + ": pair STDP, " + plasticity.weight_dependence +
                                 " -> STDPMechanism(SpikePairRule, " + s.weight_dependence + "WeightDependence), A_plus = " +
                                 format_number(s.A_plus) + ", A_minus = " + format_number(s.A_minus) +
                                 (additive ? " (PyNN: fractions of w_max)." : "."));
                if (!additive)
                    report.push_back("  pyNN.brian2 0.10.1 accepts MultiplicativeWeightDependence but applies the additive "
                                     "rule (its STDPMechanism has one set of equations); SpiNNaker applies the multiplicative one.");
            } else if (options.approximate) {
                report.push_back("- APPROXIMATION (--approximate): projection " + quoted(ps.name) + " learns by " +
                                 quoted(label) + ", which SpiNNaker cannot run; exported static with its current weights.");
            } else {
                throw Error("projection " + quoted(ps.name) + ": plasticity rule " + quoted(label) +
                            " has no SpiNNaker equivalent (mapped: stdp/additive, stdp/multiplicative, all-to-all pairing); pass --approximate "
                            "to export it static with its current weights");
            }
        }

        std::array<PynnProjection, 2> parts;
        for (int r = 0; r < 2; ++r) {
            parts[r].from = ps.name;
            parts[r].pre = spec.populations[built.pre()].name;
            parts[r].post = spec.populations[post].name;
            parts[r].receptor = receptor_name(r);
            parts[r].negative_on_brian2 = r == 1 && !receptors[post].conductance;
            parts[r].stdp = stdp;
        }
        for (std::size_t s = 0; s < table.pre.size(); ++s) {
            const double w = table.weight[s];
            const int r = receptor_of(post, w, config_receptor);
            const spinnaker::DelayTicks d = spinnaker::delay_ticks(table.delay[s] * network.dt, timestep);
            delays_rounded += d.rounded;
            delays_clamped += d.clamped;
            shortest = std::min(shortest, static_cast<std::int64_t>(table.delay[s]));
            longest = std::max(longest, static_cast<std::int64_t>(table.delay[s]));
            parts[r].connections.push_back({table.pre[s], table.post[s], std::abs(w), static_cast<double>(d.ticks) * timestep});
            WeightBounds& b = bound_of(post, r);
            const double reach = stdp ? std::max(std::abs(w), stdp->w_max) : std::abs(w);
            b.largest = std::max(b.largest, reach);
            b.summed[table.post[s]] += reach;
        }
        const bool split = !parts[0].connections.empty() && !parts[1].connections.empty();
        for (int r = 0; r < 2; ++r) {
            if (parts[r].connections.empty()) continue;
            parts[r].name = split ? ps.name + (r == 0 ? "_exc" : "_inh") : ps.name;
            if (!receptors[post].conductance && receptors[post].channels > 1 && r != config_receptor)
                report.push_back(line("- APPROXIMATION: %zu synapse(s) of %s have the sign of the other receptor; SpiNNaker "
                                      "puts them on the %s receptor, with its time constant.",
                                      parts[r].connections.size(), quoted(ps.name).c_str(), receptor_name(r).c_str()));
        }
        if (split)
            report.push_back(line("- %s has weights of both signs: split into %s (%zu excitatory) and %s (%zu inhibitory).",
                                  quoted(ps.name).c_str(), quoted(parts[0].name).c_str(), parts[0].connections.size(),
                                  quoted(parts[1].name).c_str(), parts[1].connections.size()));
        for (int r = 0; r < 2; ++r)
            if (!parts[r].connections.empty()) {
                report.push_back(line("- %s: %s -> %s, %s receptor, %zu connection(s), %s.", quoted(parts[r].name).c_str(),
                                      parts[r].pre.c_str(), parts[r].post.c_str(), parts[r].receptor.c_str(),
                                      parts[r].connections.size(), stdp ? "STDP" : "static"));
                plan.projections.push_back(std::move(parts[r]));
            }
    }

    // Myelin's [[poisson_input]]: a SpikeSourcePoisson per target neuron, one to one. A source
    // gives at most one spike per tick on pyNN.brian2 (a Bernoulli draw of rate*tick), so a train
    // with more than 0.1 expected events per tick is split over several sources of lower rate.
    for (std::size_t k = 0; k < spec.poisson_inputs.size(); ++k) {
        const sim::PoissonInputSpec& in = spec.poisson_inputs[k];
        const std::size_t target = network.population_index(in.target);
        const double per_tick = in.rate * timestep / 1000.0;
        const auto copies = static_cast<std::size_t>(std::max(1.0, std::ceil(per_tick / 0.1)));
        PynnPopulation source;
        source.name = "poisson_input_" + std::to_string(k) + "_" + in.target;
        source.cell_type = "SpikeSourcePoisson";
        source.size = spec.populations[target].size * copies;
        source.spike_source = true;
        const double stop = in.stop < 0.0 ? run.duration : in.stop;
        source.params = {{"rate", in.rate / static_cast<double>(copies)}, {"start", in.start}, {"duration", std::max(0.0, stop - in.start)}};
        PynnProjection projection;
        const int r = receptor_of(target, in.weight, static_cast<int>(in.receptor));
        projection.name = source.name;
        projection.from = "poisson_input " + std::to_string(k);
        projection.pre = source.name;
        projection.post = in.target;
        projection.receptor = receptor_name(r);
        projection.negative_on_brian2 = r == 1 && !receptors[target].conductance;
        for (std::uint32_t i = 0; i < source.size; ++i)
            projection.connections.push_back({i, static_cast<std::uint32_t>(i / copies), std::abs(in.weight), timestep});
        WeightBounds& b = bound_of(target, r);
        b.largest = std::max(b.largest, std::abs(in.weight));
        for (auto& sum : b.summed) sum += std::abs(in.weight) * static_cast<double>(copies);
        report.push_back(line("- poisson_input %zu (%g Hz into each neuron of %s): %zu SpikeSourcePoisson source(s) of %g Hz per "
                              "neuron, one to one, delay one tick (Myelin adds the events in the step they are drawn: they "
                              "arrive one tick later here).",
                              k, in.rate, quoted(in.target).c_str(), copies, in.rate / static_cast<double>(copies)));
        plan.populations.push_back(std::move(source));
        plan.projections.push_back(std::move(projection));
    }

    report.push_back("");
    report.push_back("## Delays (SpiNNaker: 1.." + std::to_string(spinnaker::max_delay_ticks) + " ticks)");
    if (longest > 0)
        report.push_back("- Myelin delays span " + format_number(static_cast<double>(shortest) * network.dt) + ".." +
                         format_number(static_cast<double>(longest) * network.dt) + " ms.");
    report.push_back(line("- %zu delay(s) rounded to whole %g ms ticks.", delays_rounded, timestep));
    if (delays_clamped > 0) {
        const std::string what = line("%zu delay(s) lie outside 1..%lld ticks (%g..%g ms)", delays_clamped,
                                      static_cast<long long>(spinnaker::max_delay_ticks), timestep,
                                      static_cast<double>(spinnaker::max_delay_ticks) * timestep);
        if (!options.approximate)
            throw Error(what + "; pass --approximate to clamp them into that range (docs/export.md)");
        report.push_back("- APPROXIMATION (--approximate): " + what + "; clamped into the range.");
    }

    report.push_back("");
    report.push_back("## Weights in 16-bit fixed point");
    report.push_back("Per synapse type and post population SpiNNaker stores round(|w| * 2^(15 - s)) in 16 bits, with the "
                     "shift s sized from the input it must hold. Best case: s fits the largest single weight (STDP: w_max); "
                     "worst case: s fits every input of the busiest neuron in one tick. sPyNNaker's estimate lies between.");
    for (const auto& [key, b] : bounds) {
        const spinnaker::WeightFormat best = spinnaker::weight_format(b.largest);
        const spinnaker::WeightFormat worst =
            spinnaker::weight_format(*std::max_element(b.summed.begin(), b.summed.end()));
        double error_best = 0.0, error_worst = 0.0;
        std::size_t zero_best = 0, zero_worst = 0;
        for (const auto& projection : plan.projections) {
            if (projection.post != spec.populations[key.first].name || projection.receptor != receptor_name(key.second)) continue;
            for (const auto& c : projection.connections) {
                error_best = std::max(error_best, spinnaker::relative_error(c.weight, best));
                error_worst = std::max(error_worst, spinnaker::relative_error(c.weight, worst));
                zero_best += c.weight != 0.0 && spinnaker::quantize(c.weight, best) == 0.0;
                zero_worst += c.weight != 0.0 && spinnaker::quantize(c.weight, worst) == 0.0;
            }
        }
        plan.largest_weight_error = std::max(plan.largest_weight_error, error_best);
        plan.largest_weight_error_worst = std::max(plan.largest_weight_error_worst, error_worst);
        report.push_back(line("- %s, %s: shift %d..%d, largest relative error %.3g (best) .. %.3g (worst)%s",
                              quoted(spec.populations[key.first].name).c_str(), receptor_name(key.second).c_str(),
                              best.left_shift, worst.left_shift, error_best, error_worst,
                              zero_worst > 0 ? line("; %zu..%zu weight(s) round to zero", zero_best, zero_worst).c_str() : "."));
    }
    report.push_back(line("- Largest relative weight error: %.3g (best case), %.3g (worst case).", plan.largest_weight_error,
                          plan.largest_weight_error_worst));
    return plan;
}

}  // namespace myelin::io
