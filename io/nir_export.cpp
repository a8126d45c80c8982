// Built network -> NIR graph (nir_export.hpp). The unit conversions are in docs/export.md "NIR";
// in short: NIR's CubaLIF is tau_mem dv/dt = (v_leak - v) + r I, tau_syn dI/dt = -I + w_in S,
// with S a sum of Dirac deltas times the Linear weights, so a spike of weight W makes I jump by
// w_in W / tau_syn. Myelin's IF_curr_exp makes i jump by its weight w (nA) and has
// tau_m dv/dt = (v_rest - v) + (tau_m/cm) (i + i_offset). Hence W = w, w_in = tau_syn,
// r = tau_m/cm and v_leak = v_rest + r i_offset: the weight matrices hold Myelin's weights as
// they are, and both time constants and w_in carry the file's time unit.
#include "io/nir_export.hpp"

#include "sim/error.hpp"
#include "sim/param_check.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#ifndef MYELIN_VERSION
#define MYELIN_VERSION "unknown"
#endif

namespace myelin::io {
namespace {

// The NIR layout version written to /version: the reference implementation's 1.x layout.
constexpr const char* nir_layout_version = "1.0.0";

NirArray filled(std::size_t n, double value) { return NirArray::vector(std::vector<double>(n, value)); }

// HDF5 group names cannot hold '/'.
std::string node_name(const std::string& name) {
    std::string out = name;
    std::replace(out.begin(), out.end(), '/', '_');
    return out.empty() ? "_" : out;
}

class Exporter {
public:
    Exporter(const RunSpec& run, const sim::Network& network, const sim::ModelRegistry& models,
             const NirExportOptions& options)
        : run_(run), network_(network), models_(models), options_(options),
          time_scale_(options.time_unit == NirTimeUnit::ms ? 1.0 : 1e-3) {}

    NirExport run() {
        refuse_what_nir_cannot_say();
        for (std::size_t p = 0; p < network_.populations.size(); ++p) add_population(p);
        for (const auto& projection : network_.projections) add_projection(*projection);
        add_outputs();
        NirGraph& graph = out_.graph;
        graph.version = nir_layout_version;
        graph.metadata["time_unit"] = NirValue(to_string(options_.time_unit));
        graph.metadata["dt"] = NirArray::scalar(network_.dt * time_scale_);
        graph.metadata["voltage_unit"] = NirValue("mV");
        graph.metadata["current_unit"] = NirValue("nA");
        graph.metadata["spike_convention"] = NirValue("dirac");
        graph.metadata["producer"] = NirValue("myelin " MYELIN_VERSION);
        graph.metadata["myelin_seed"] = NirArray::scalar(static_cast<double>(network_.seed), NirArray::Type::i64);
        graph.metadata["myelin_duration"] = NirArray::scalar(run_.duration * time_scale_);
        return std::move(out_);
    }

private:
    const sim::PopulationSpec& spec_of(std::size_t p) const { return run_.network.populations.at(p); }

    double param(std::size_t p, const std::string& key) const {
        const sim::PopulationSpec& spec = spec_of(p);
        if (const auto it = spec.params.find(key); it != spec.params.end()) return it->second;
        for (const auto& info : models_.at(spec.model).params)
            if (info.key == key) return info.default_value;
        throw InternalError("model " + spec.model + " has no parameter " + key);
    }

    void refuse_what_nir_cannot_say() const {
        for (std::size_t p = 0; p < network_.populations.size(); ++p) {
            const std::string model(network_.populations[p]->model());
            if (model != "IF_curr_exp" && model != "IF_curr_delta" && model != "SpikeSourceArray" &&
                model != "SpikeSourcePoisson")
                throw Error("population \"" + network_.populations[p]->name() + "\": model " + model +
                            " has no NIR equivalent; NIR export maps IF_curr_exp (CubaLIF), IF_curr_delta (LIF), "
                            "SpikeSourceArray and SpikeSourcePoisson (Input)");
        }
        for (const auto& population : run_.network.populations)
            if (population.homeostasis)
                throw Error("population \"" + population.name + "\": NIR has no adaptive threshold (homeostasis)");
        if (!run_.network.poisson_inputs.empty())
            throw Error("[[poisson_input]] into \"" + run_.network.poisson_inputs.front().target +
                        "\": NIR has no random drive; model it as a SpikeSourcePoisson population with a "
                        "projection, or remove it, to export to NIR");
        for (const auto& population : run_.network.populations)
            if (population.reset)
                throw Error("population \"" + population.name + "\": NIR has no periodic state reset (reset)");
        for (const auto& projection : run_.network.projections)
            if (!projection.transmit.empty())
                throw Error("projection \"" + projection.name + "\": NIR edges carry spikes; graded transmission (transmit = \"" +
                            projection.transmit + "\") has no NIR equivalent");
        for (const auto& projection : run_.network.projections)
            if (projection.release_probability < 1.0)
                throw Error("projection \"" + projection.name + "\": NIR has no unreliable synapses (release_probability = " +
                            std::to_string(projection.release_probability) + ")");
        if (run_.network.populations.size() != network_.populations.size())
            throw InternalError("network and its spec differ in population count");
    }

    NirNode& add_node(const std::string& name, const std::string& type) {
        if (!names_.insert(name).second) throw Error("two NIR nodes would be named \"" + name + "\"; rename a population or projection");
        out_.graph.nodes.push_back({name, type, {}, {}});
        return out_.graph.nodes.back();
    }

    void add_population(std::size_t p) {
        sim::Population& population = *network_.populations[p];
        const std::string model(population.model());
        const std::size_t n = population.size();
        const std::string name = node_name(population.name());
        targets_.push_back({name, name});
        if (model == "SpikeSourceArray" || model == "SpikeSourcePoisson") {
            NirNode& node = add_node(name, "Input");
            node.fields["shape"] = NirArray::vector({static_cast<double>(n)}, NirArray::Type::i64);
            tag(node, p, model);
            if (model == "SpikeSourceArray") add_spike_times(node, p);
            else add_poisson(node, p);
            return;
        }
        const double tau_m = param(p, "tau_m"), cm = param(p, "cm");
        const double r = tau_m / cm;  // MOhm = mV/nA
        const double v_leak = param(p, "v_rest") + r * param(p, "i_offset");
        NirNode* membrane = nullptr;
        if (model == "IF_curr_delta") {
            // tau dv/dt = (v_leak - v) + r W S jumps v by r W / tau: r = tau keeps W in mV.
            membrane = &add_node(name, "LIF");
            membrane->fields["tau"] = filled(n, tau_m * time_scale_);
            membrane->fields["r"] = filled(n, tau_m * time_scale_);
            membrane->fields["v_leak"] = filled(n, param(p, "v_rest") + r * param(p, "i_offset"));
        } else if (param(p, "tau_syn_E") == param(p, "tau_syn_I")) {
            membrane = &add_node(name, "CubaLIF");
            const double tau_syn = param(p, "tau_syn_E") * time_scale_;
            membrane->fields["tau_syn"] = filled(n, tau_syn);
            membrane->fields["tau_mem"] = filled(n, tau_m * time_scale_);
            membrane->fields["r"] = filled(n, r);
            membrane->fields["v_leak"] = filled(n, v_leak);
            membrane->fields["w_in"] = filled(n, tau_syn);
        } else {
            // Two synaptic time constants: one CubaLIF cannot hold both, so each receptor's
            // current is an LI node (tau = r = tau_syn, v_leak = 0: i jumps by W) feeding a LIF.
            for (const auto& [suffix, key] : {std::pair{".syn_E", "tau_syn_E"}, std::pair{".syn_I", "tau_syn_I"}}) {
                NirNode& synapse = add_node(name + suffix, "LI");
                const double tau_syn = param(p, key) * time_scale_;
                synapse.fields["tau"] = filled(n, tau_syn);
                synapse.fields["r"] = filled(n, tau_syn);
                synapse.fields["v_leak"] = filled(n, 0.0);
                out_.graph.edges.emplace_back(name + suffix, name);
            }
            targets_.back() = {name + ".syn_E", name + ".syn_I"};
            membrane = &add_node(name, "LIF");
            membrane->fields["tau"] = filled(n, tau_m * time_scale_);
            membrane->fields["r"] = filled(n, r);
            membrane->fields["v_leak"] = filled(n, v_leak);
        }
        membrane->fields["v_threshold"] = filled(n, param(p, "v_thresh"));
        membrane->fields["v_reset"] = filled(n, param(p, "v_reset"));
        tag(*membrane, p, model);
        // NIR neurons have no refractory period: kept as metadata, which Myelin's import reads.
        const double tau_refrac = param(p, "tau_refrac");
        membrane->metadata["tau_refrac"] = NirArray::scalar(tau_refrac * time_scale_);
        if (std::llround(tau_refrac / network_.dt) > 0)
            out_.notes.push_back("population \"" + population.name() + "\": NIR neurons have no refractory period; tau_refrac = " +
                                 sim::format_number(tau_refrac) + " ms is kept in the node's metadata (Myelin's import restores it, other tools ignore it)");
        // The state the network is in now (initial values, or a checkpoint's): NIR has no
        // state, so it travels as metadata too.
        for (const auto& variable : population.state())
            membrane->metadata["initial_" + std::string(variable.name)] =
                NirArray::vector(variable.values.to_vector());
    }

    void tag(NirNode& node, std::size_t p, const std::string& model) const {
        node.metadata["myelin_model"] = NirValue(model);
        node.metadata["myelin_population_index"] = NirArray::scalar(static_cast<double>(p), NirArray::Type::i64);
    }

    void add_spike_times(NirNode& node, std::size_t p) {
        const sim::PopulationSpec& spec = spec_of(p);
        std::vector<double> neuron, time;
        for (std::size_t i = 0; i < spec.size; ++i) {
            const auto& times = spec.spike_times.size() == 1 ? spec.spike_times.front()
                                : i < spec.spike_times.size() ? spec.spike_times[i] : std::vector<double>{};
            for (const double t : times) {
                neuron.push_back(static_cast<double>(i));
                time.push_back(t * time_scale_);
            }
        }
        node.metadata["spike_neuron"] = NirArray::vector(std::move(neuron), NirArray::Type::i64);
        node.metadata["spike_time"] = NirArray::vector(std::move(time));
        out_.notes.push_back("population \"" + spec.name + "\": a NIR Input carries no data; its spike times are kept in the node's metadata");
    }

    void add_poisson(NirNode& node, std::size_t p) {
        node.metadata["rate_hz"] = NirArray::scalar(param(p, "rate"));
        node.metadata["start"] = NirArray::scalar(param(p, "start") * time_scale_);
        node.metadata["duration"] = NirArray::scalar(param(p, "duration") * time_scale_);
        out_.notes.push_back("population \"" + spec_of(p).name + "\": SpikeSourcePoisson exported as an Input node (rate in its metadata); a NIR consumer must supply its spikes");
    }

    void add_projection(const sim::Projection& projection) {
        const sim::Population& pre = *network_.populations[projection.pre()];
        const sim::Population& post = *network_.populations[projection.post()];
        const std::size_t n_pre = pre.size(), n_post = post.size();
        if (n_pre * n_post > options_.max_dense_entries)
            throw Error("projection \"" + projection.name() + "\": its NIR weight matrix would have " + std::to_string(n_post) + " x " +
                        std::to_string(n_pre) + " = " + std::to_string(n_pre * n_post) + " entries, above the limit of " +
                        std::to_string(options_.max_dense_entries) + " (NIR weights are dense); raise it with --max-dense");
        if (projection.plastic())
            out_.notes.push_back("projection \"" + projection.name() + "\" is plastic; NIR has no plasticity, so its current weights are exported as fixed");
        const sim::ConnectionTable table = projection.connections();
        // One Linear + Delay pair per distinct delay: a Delay node delays whole signals, so
        // synapses with different delays need separate paths.
        std::map<std::uint16_t, std::vector<double>> weights_by_delay;
        for (std::size_t s = 0; s < table.pre.size(); ++s) {
            auto& matrix = weights_by_delay[table.delay[s]];
            if (matrix.empty()) matrix.assign(n_pre * n_post, 0.0);
            // Multapses with one delay act as one synapse with the summed weight.
            matrix[table.post[s] * n_pre + table.pre[s]] += table.weight[s];
        }
        const std::string base = node_name(projection.name());
        const auto& [exc_target, inh_target] = targets_.at(projection.post());
        const std::string& target = projection.channel() == 0 ? exc_target : inh_target;
        for (auto& [delay, matrix] : weights_by_delay) {
            const std::string name = weights_by_delay.size() == 1 ? base : base + ".d" + std::to_string(delay);
            NirNode& linear = add_node(name, "Linear");
            for (double& w : matrix) w = static_cast<float>(w);
            linear.fields["weight"] = NirArray{NirArray::Type::f32, {n_post, n_pre}, std::move(matrix)};
            // Myelin's delay (>= one step) is the time from the spike to the jump of the
            // synaptic current: exactly NIR's y(t) = x(t - delay) on the Linear's output.
            NirNode& delay_node = add_node(name + ".delay", "Delay");
            delay_node.fields["delay"] = filled(n_post, static_cast<double>(delay) * network_.dt * time_scale_);
            out_.graph.edges.emplace_back(node_name(pre.name()), name);
            out_.graph.edges.emplace_back(name, name + ".delay");
            out_.graph.edges.emplace_back(name + ".delay", target);
        }
    }

    // Output nodes for the populations whose spikes the config records (all neuron
    // populations when it records none).
    void add_outputs() {
        std::set<std::string> recorded;
        for (const auto& record : run_.records)
            if (record.spikes) recorded.insert(record.population);
        for (const auto& population : network_.populations) {
            if (population->channels() == 0) continue;
            if (!recorded.empty() && !recorded.count(population->name())) continue;
            const std::string name = node_name(population->name());
            NirNode& output = add_node(name + ".output", "Output");
            output.fields["shape"] = NirArray::vector({static_cast<double>(population->size())}, NirArray::Type::i64);
            out_.graph.edges.emplace_back(name, name + ".output");
        }
    }

    const RunSpec& run_;
    const sim::Network& network_;
    const sim::ModelRegistry& models_;
    const NirExportOptions& options_;
    const double time_scale_;  // file time units per ms
    NirExport out_;
    std::set<std::string> names_;
    std::vector<std::pair<std::string, std::string>> targets_;  // per population: exc, inh input node
};

}  // namespace

NirTimeUnit parse_time_unit(const std::string& text, const std::string& option) {
    if (text == "ms") return NirTimeUnit::ms;
    if (text == "s") return NirTimeUnit::s;
    throw Error(option + " = \"" + text + "\" must be \"s\" or \"ms\"");
}

const char* to_string(NirTimeUnit unit) { return unit == NirTimeUnit::ms ? "ms" : "s"; }

NirExport to_nir(const RunSpec& run, const sim::Network& network, const sim::ModelRegistry& models,
                 const NirExportOptions& options) {
    return Exporter(run, network, models, options).run();
}

}  // namespace myelin::io
