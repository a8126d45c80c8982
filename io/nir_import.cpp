// NIR graph -> Myelin config (nir_import.hpp). The inverse of nir_export.cpp's conversions
// (docs/export.md "NIR"): a spike through weight W into a CubaLIF makes its current jump by
// w_in W / tau_syn, into a LIF or LI its voltage by r W / tau; those jumps are Myelin weights.
#include "io/nir_import.hpp"

#include "io/staged_files.hpp"
#include "sim/error.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace myelin::io {
namespace {

// A non-spiking NIR neuron (LI, CubaLI) becomes a Myelin LIF whose threshold it never reaches.
constexpr double never_fires_mV = 1e30;

std::string number(double value) {
    if (!std::isfinite(value)) throw Error("a NIR parameter is not finite (" + std::to_string(value) + ")");
    // The shortest of 15 or 17 digits that reads back as the same double.
    char text[40];
    std::snprintf(text, sizeof text, "%.15g", value);
    if (std::strtod(text, nullptr) != value) std::snprintf(text, sizeof text, "%.17g", value);
    std::string out = text;
    if (out.find_first_of(".e") == std::string::npos) out += ".0";  // TOML: a float, not an integer
    return out;
}

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

// Population names as Myelin's --set syntax can address them: letters, digits, underscores.
std::string population_name(const std::string& node) {
    std::string out;
    for (const char c : node) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out.front()))) out = "n" + out;
    return out;
}

struct Target {
    std::size_t population = 0;
    int channel = -1;            // -1: by the weight's sign (both receptors share a time constant)
    std::vector<double> scale;   // per post neuron: Myelin weight per NIR weight
};

struct Population {
    std::string node, name, model;
    std::size_t size = 0;
    std::vector<std::pair<std::string, double>> params;
    std::map<std::string, std::vector<double>> init;
    std::vector<std::pair<double, double>> spikes;  // neuron, ms
    bool spiking = true, input = false, has_spike_data = false, recorded = false;
    std::string note;
    double index = 1e300;  // myelin_population_index when the file has it
};

struct Connection {
    std::uint32_t pre, post;
    double weight, delay;
};

class Importer {
public:
    Importer(const NirGraph& graph, std::string stem, const NirImportOptions& options)
        : graph_(graph), stem_(std::move(stem)), options_(options) {}

    NirImport run() {
        check_version();
        resolve_time_unit();
        for (const auto& [source, target] : graph_.edges)
            for (const auto& name : {source, target})
                if (!graph_.find(name)) throw Error("NIR edge (" + in_quotes(source) + ", " + in_quotes(target) + ") names a node that does not exist: " + in_quotes(name));
        find_synapse_nodes();
        for (const NirNode& node : graph_.nodes) add_population(node);
        order_populations();
        for (const auto& [source, target] : graph_.edges) {
            const auto it = population_of_.find(source);
            if (it == population_of_.end()) continue;
            Population& pre = populations_[it->second];
            if (!pre.spiking && graph_.find(target)->type == "Output") continue;  // a readout: recorded anyway
            if (!pre.spiking) throw Error("NIR node " + in_quotes(source) + " (" + graph_.find(source)->type + ") does not spike, but its output feeds " +
                                          in_quotes(target) + "; Myelin connects only spiking populations");
            follow(it->second, target, {}, std::nullopt, {}, 0);
        }
        return write();
    }

private:
    // ---- checks and units ----

    void check_version() const {
        const int major = std::atoi(graph_.version.c_str());
        if (major >= 2) throw Error("the file is NIR version " + graph_.version + ", newer than the 1.x layout Myelin reads");
    }

    std::optional<std::string> metadata_text(const std::string& key) const {
        const auto it = graph_.metadata.find(key);
        if (it == graph_.metadata.end() || !it->second.is_text) return std::nullopt;
        return it->second.text;
    }
    std::optional<double> metadata_number(const std::map<std::string, NirValue>& metadata, const std::string& key) const {
        const auto it = metadata.find(key);
        if (it == metadata.end() || it->second.is_text || it->second.array.size() != 1) return std::nullopt;
        return it->second.array.values.front();
    }

    void resolve_time_unit() {
        std::optional<NirTimeUnit> from_file;
        if (const auto unit = metadata_text("time_unit")) from_file = parse_time_unit(*unit, "the file's metadata time_unit");
        if (from_file && options_.time_unit && *from_file != *options_.time_unit)
            throw Error(std::string("--time-unit ") + to_string(*options_.time_unit) + " contradicts the file's metadata, which says its times are in " +
                        to_string(*from_file));
        if (!from_file && !options_.time_unit) {
            double low = 1e300, high = 0.0;
            for (const NirNode& node : graph_.nodes)
                for (const char* key : {"tau", "tau_mem", "tau_syn", "delay"})
                    if (node.has(key) && !node.fields.at(key).is_text)
                        for (const double t : node.array(key).values) low = std::min(low, t), high = std::max(high, t);
            std::string hint;
            char span[80];
            std::snprintf(span, sizeof span, " (its time constants and delays span %.3g to %.3g)", low, high);
            if (high > 0.0) hint = span;
            throw Error("the file does not say its time unit" + hint +
                        ": NIR has none, and producers differ (snnTorch, Norse and Rockpool write seconds); pass --time-unit s or --time-unit ms");
        }
        unit_ = from_file ? *from_file : *options_.time_unit;
        to_ms_ = unit_ == NirTimeUnit::ms ? 1.0 : 1000.0;
        if (const auto convention = metadata_text("spike_convention"); convention && *convention != "dirac")
            throw Error("the file's metadata says spike_convention = " + in_quotes(*convention) + "; Myelin reads NIR's Dirac-delta spikes only");
        if (options_.dt) dt_ = *options_.dt;
        else if (const auto dt = metadata_number(graph_.metadata, "dt")) dt_ = *dt * to_ms_;
        else throw Error("the file does not say its time step: NIR has none; pass --dt (ms)");
        if (!(dt_ > 0.0) || !std::isfinite(dt_)) throw Error("--dt = " + number(dt_) + " must be > 0 (ms)");
    }

    // The single value of a per-neuron parameter that Myelin keeps per population.
    double uniform(const NirNode& node, const std::string& key) const {
        const NirArray& array = node.array(key);
        if (array.values.empty()) throw Error("NIR node " + in_quotes(node.name) + ": " + key + " is empty");
        const auto [low, high] = std::minmax_element(array.values.begin(), array.values.end());
        if (*low != *high)
            throw Error("NIR node " + in_quotes(node.name) + " (" + node.type + "): " + key + " differs between neurons (" + number(*low) + " to " +
                        number(*high) + "); Myelin keeps one " + key + " per population, so split the node by value to import it");
        return *low;
    }
    double uniform_or(const NirNode& node, const std::string& key, double fallback) const {
        return node.has(key) ? uniform(node, key) : fallback;
    }
    std::size_t size_of(const NirNode& node, const std::string& key) const { return node.array(key).size(); }

    // ---- nodes ----

    // LI nodes with v_leak = 0 whose only outputs go to one LIF are that LIF's synaptic
    // currents (the shape nir_export gives an IF_curr_exp with two synaptic time constants).
    void find_synapse_nodes() {
        for (const NirNode& node : graph_.nodes) {
            if (node.type != "LI") continue;
            std::set<std::string> targets;
            for (const auto& [source, target] : graph_.edges)
                if (source == node.name) targets.insert(target);
            if (targets.size() != 1) continue;
            const NirNode* lif = graph_.find(*targets.begin());
            const auto& leak = node.array("v_leak").values;
            if (lif->type == "LIF" && std::all_of(leak.begin(), leak.end(), [](double v) { return v == 0.0; }))
            {
                synapses_of_[lif->name].push_back(node.name);
                synapse_owner_[node.name] = lif->name;
            }
        }
    }

    void add_population(const NirNode& node) {
        static const std::set<std::string> transforms{"Linear", "Affine", "Delay", "Flatten", "Output"};
        if (transforms.count(node.type) || synapse_owner_.count(node.name)) return;
        if (node.type == "NIRGraph")
            throw Error("NIR node " + in_quotes(node.name) + " is a nested NIRGraph; Myelin imports flat graphs only (flatten it first)");
        Population p;
        p.node = node.name;
        if (const auto index = metadata_number(node.metadata, "myelin_population_index")) p.index = *index;
        if (node.type == "Input") {
            add_input(node, p);
        } else if (node.type == "CubaLIF" || node.type == "CubaLI") {
            p.size = size_of(node, "tau_mem");
            const double tau_syn = uniform(node, "tau_syn") * to_ms_, tau_mem = uniform(node, "tau_mem") * to_ms_;
            const double r = uniform(node, "r");
            p.model = "IF_curr_exp";
            p.params = {{"tau_m", tau_mem}, {"cm", tau_mem / r}, {"tau_syn_E", tau_syn}, {"tau_syn_I", tau_syn},
                        {"v_rest", uniform(node, "v_leak")}};
            add_threshold(node, p, node.type == "CubaLIF");
            targets_[node.name] = {0, -1, ratio(node, "w_in", "tau_syn", p.size, 1.0)};
        } else if (node.type == "LIF" && synapses_of_.count(node.name)) {
            add_filtered_lif(node, p);
        } else if (node.type == "LIF" || node.type == "LI") {
            p.size = size_of(node, "tau");
            const double tau = uniform(node, "tau") * to_ms_;
            p.model = "IF_curr_delta";
            p.params = {{"tau_m", tau}, {"v_rest", uniform(node, "v_leak")}};
            add_threshold(node, p, node.type == "LIF");
            targets_[node.name] = {0, -1, ratio(node, "r", "tau", p.size, 1.0)};
        } else {
            throw Error("NIR node " + in_quotes(node.name) + " has type " + node.type +
                        ", which Myelin cannot import (it maps Input, Output, Linear, Affine, Delay, Flatten, CubaLIF, CubaLI, LIF and LI)");
        }
        population_of_[node.name] = populations_.size();
        populations_.push_back(std::move(p));
    }

    // Per neuron numerator/denominator (w_in/tau_syn, r/tau): the jump one unit of NIR weight causes.
    std::vector<double> ratio(const NirNode& node, const std::string& numerator, const std::string& denominator, std::size_t n,
                              double fallback) const {
        const std::vector<double> top = node.has(numerator) ? node.array(numerator).values : std::vector<double>(n, fallback);
        const std::vector<double>& bottom = node.array(denominator).values;
        if (top.size() != n || bottom.size() != n) throw Error("NIR node " + in_quotes(node.name) + ": its parameters have different sizes");
        std::vector<double> out(n);
        for (std::size_t i = 0; i < n; ++i) out[i] = top[i] / bottom[i];
        return out;
    }

    void add_threshold(const NirNode& node, Population& p, bool spiking) const {
        p.spiking = spiking;
        if (spiking) {
            p.params.emplace_back("v_thresh", uniform(node, "v_threshold"));
            // Files older than NIR 1.0 have no v_reset; the reference reads it as 0 then.
            p.params.emplace_back("v_reset", uniform_or(node, "v_reset", 0.0));
        } else {
            p.params.emplace_back("v_thresh", never_fires_mV);
            p.params.emplace_back("v_reset", 0.0);
            p.note = "non-spiking " + node.type + ": a LIF that never reaches v_thresh = 1e30 mV; read its v";
        }
        const double refrac = metadata_number(node.metadata, "tau_refrac").value_or(0.0) * to_ms_;
        p.params.emplace_back("tau_refrac", refrac);
        for (const auto& [key, value] : node.metadata)
            if (key.rfind("initial_", 0) == 0 && !value.is_text) p.init[key.substr(8)] = value.array.values;
    }

    void add_filtered_lif(const NirNode& node, Population& p) {
        p.size = size_of(node, "tau");
        const double tau = uniform(node, "tau") * to_ms_;
        const double r = uniform(node, "r");
        std::vector<std::string> synapses = synapses_of_.at(node.name);
        std::sort(synapses.begin(), synapses.end());
        for (const auto& [source, target] : graph_.edges)
            if (target == node.name && std::find(synapses.begin(), synapses.end(), source) == synapses.end())
                throw Error("NIR node " + in_quotes(node.name) + " (LIF) takes both synaptic-current (LI) input and direct input from " + in_quotes(source) +
                            "; Myelin's IF_curr_exp cannot mix them");
        std::vector<double> taus;
        for (const auto& name : synapses) {
            const NirNode& synapse = *graph_.find(name);
            if (size_of(synapse, "tau") != p.size) throw Error("NIR node " + in_quotes(name) + " (LI) and the LIF it feeds differ in size");
            const double t = uniform(synapse, "tau") * to_ms_;
            if (std::find(taus.begin(), taus.end(), t) == taus.end()) taus.push_back(t);
        }
        if (taus.size() > 2)
            throw Error("NIR node " + in_quotes(node.name) + " (LIF) has synaptic currents with " + std::to_string(taus.size()) +
                        " time constants; Myelin's IF_curr_exp has two (tau_syn_E, tau_syn_I)");
        p.model = "IF_curr_exp";
        p.params = {{"tau_m", tau}, {"cm", tau / r}, {"tau_syn_E", taus.front()}, {"tau_syn_I", taus.back()}, {"v_rest", uniform(node, "v_leak")}};
        add_threshold(node, p, true);
        for (const auto& name : synapses) {
            const NirNode& synapse = *graph_.find(name);
            const double t = uniform(synapse, "tau") * to_ms_;
            const int channel = taus.size() == 1 ? -1 : (t == taus.front() ? 0 : 1);
            // The LI's output is the current itself (r = 1 scale from LI to LIF input).
            targets_[name] = {0, channel, ratio(synapse, "r", "tau", p.size, 1.0)};
        }
    }

    void add_input(const NirNode& node, Population& p) {
        p.input = true;
        std::size_t n = 1;
        for (const double d : node.array("shape").values) n *= static_cast<std::size_t>(d);
        p.size = n;
        const auto model = node.metadata.find("myelin_model");
        if (model != node.metadata.end() && model->second.is_text && model->second.text == "SpikeSourcePoisson") {
            p.model = "SpikeSourcePoisson";
            p.params = {{"rate", metadata_number(node.metadata, "rate_hz").value_or(0.0)},
                        {"start", metadata_number(node.metadata, "start").value_or(0.0) * to_ms_},
                        {"duration", metadata_number(node.metadata, "duration").value_or(1e300 / to_ms_) * to_ms_}};
            return;
        }
        p.model = "SpikeSourceArray";
        const auto neuron = node.metadata.find("spike_neuron"), time = node.metadata.find("spike_time");
        if (neuron != node.metadata.end() && time != node.metadata.end() && !neuron->second.is_text && !time->second.is_text) {
            const auto& ns = neuron->second.array.values;
            const auto& ts = time->second.array.values;
            if (ns.size() != ts.size()) throw Error("NIR node " + in_quotes(node.name) + ": metadata spike_neuron and spike_time differ in length");
            for (std::size_t k = 0; k < ns.size(); ++k) p.spikes.emplace_back(ns[k], ts[k] * to_ms_);
            p.has_spike_data = true;
        } else {
            p.note = "NIR Input: no spike data in the file; put \"neuron time_ms\" lines into its spike_times_file";
        }
    }

    void order_populations() {
        // Myelin's random streams are keyed by population index: keep the exporter's order.
        std::vector<std::size_t> order(populations_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return populations_[a].index < populations_[b].index; });
        std::vector<Population> sorted;
        std::set<std::string> used;
        for (const std::size_t i : order) {
            sorted.push_back(std::move(populations_[i]));
            std::string name = population_name(sorted.back().node);
            for (int k = 2; used.count(name); ++k) name = population_name(sorted.back().node) + "_" + std::to_string(k);
            used.insert(name);
            sorted.back().name = name;
        }
        populations_ = std::move(sorted);
        population_of_.clear();
        for (std::size_t i = 0; i < populations_.size(); ++i) population_of_[populations_[i].node] = i;
        for (auto& [name, target] : targets_) {
            const auto owner = synapse_owner_.find(name);
            target.population = population_of_.at(owner == synapse_owner_.end() ? name : owner->second);
        }
    }

    // ---- connections: from a spiking population along Delay/Flatten/Linear/Affine to a target ----

    struct Weights {
        std::vector<double> values;  // rows x columns, row-major
        std::size_t rows = 0, columns = 0;
    };

    void follow(std::size_t source, const std::string& name, std::vector<double> pre_delay, std::optional<Weights> weights,
                std::vector<double> post_delay, int depth) {
        if (depth > 32) throw Error("NIR path from " + in_quotes(populations_[source].node) + " through " + in_quotes(name) + " loops without a neuron");
        const NirNode& node = *graph_.find(name);
        const std::size_t n_pre = populations_[source].size;
        const std::size_t width = weights ? weights->rows : n_pre;
        const auto next = [&](auto&&... args) {
            for (const auto& [from, to] : graph_.edges)
                if (from == name) follow(source, to, args..., depth + 1);
        };
        if (node.type == "Output") {
            populations_[source].recorded = true;
        } else if (node.type == "Flatten") {
            next(pre_delay, weights, post_delay);
        } else if (node.type == "Delay") {
            const auto& delay = node.array("delay").values;
            if (delay.size() != width) throw Error("NIR node " + in_quotes(name) + " (Delay) has " + std::to_string(delay.size()) + " delays for a signal of " + std::to_string(width));
            auto& add_to = weights ? post_delay : pre_delay;
            if (add_to.empty()) add_to.assign(width, 0.0);
            for (std::size_t i = 0; i < width; ++i) add_to[i] += delay[i];
            next(pre_delay, weights, post_delay);
        } else if (node.type == "Linear" || node.type == "Affine") {
            if (weights) throw Error("NIR nodes " + in_quotes(name) + " follows another weight node on the path from " + in_quotes(populations_[source].node) + "; Myelin needs one weight matrix between two populations");
            const NirArray& w = node.array("weight");
            if (w.shape.size() != 2 || w.shape[1] != width)
                throw Error("NIR node " + in_quotes(name) + " (" + node.type + "): weight must be a matrix of " + std::to_string(width) + " columns");
            if (node.type == "Affine") {
                const auto& bias = node.array("bias").values;
                if (std::any_of(bias.begin(), bias.end(), [](double b) { return b != 0.0; }))
                    throw Error("NIR node " + in_quotes(name) + " (Affine) has a non-zero bias; Myelin has no per-neuron constant input to map it to");
            }
            next(pre_delay, Weights{w.values, w.shape[0], w.shape[1]}, post_delay);
        } else if (const auto target = targets_.find(name); target != targets_.end()) {
            connect(source, target->second, name, pre_delay, weights, post_delay);
        } else {
            throw Error("NIR edge into " + in_quotes(name) + " (" + node.type + ") from " + in_quotes(populations_[source].node) +
                        ": Myelin connects spiking populations to neuron nodes only");
        }
    }

    void connect(std::size_t source, const Target& target, const std::string& target_node, const std::vector<double>& pre_delay,
                 const std::optional<Weights>& weights, const std::vector<double>& post_delay) {
        const std::size_t n_pre = populations_[source].size, n_post = populations_[target.population].size;
        if (weights ? weights->rows != n_post : n_pre != n_post)
            throw Error("NIR path from " + in_quotes(populations_[source].node) + " to " + in_quotes(target_node) + " delivers " +
                        std::to_string(weights ? weights->rows : n_pre) + " signals to " + std::to_string(n_post) + " neurons");
        const auto add = [&](std::size_t j, std::size_t i, double w) {
            if (w == 0.0) return;
            double delay = ((pre_delay.empty() ? 0.0 : pre_delay[j]) + (post_delay.empty() ? 0.0 : post_delay[i])) * to_ms_;
            // NIR's zero delay is instantaneous; Myelin's shortest is one step.
            if (std::llround(delay / dt_) < 1) delay = dt_, ++zero_delays_;
            const double weight = w * target.scale[i];
            int channel = target.channel;
            if (channel < 0) channel = weight < 0.0 ? 1 : 0;
            else if ((channel == 0) != (weight > 0.0))
                throw Error("NIR node " + in_quotes(target_node) + " is the " + (channel == 0 ? "excitatory" : "inhibitory") +
                            " synaptic current of its LIF but receives a weight of the other sign (" + number(weight) + ")");
            connections_[{source, target.population, channel}].push_back(
                {static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i), weight, delay});
        };
        if (!weights) {
            for (std::size_t i = 0; i < n_pre; ++i) add(i, i, 1.0);
            return;
        }
        for (std::size_t i = 0; i < weights->rows; ++i)
            for (std::size_t j = 0; j < weights->columns; ++j) add(j, i, weights->values[i * weights->columns + j]);
    }

    // ---- output ----

    NirImport write() {
        NirImport out;
        std::ostringstream toml;
        toml << "# Imported from a NIR graph (version " << graph_.version << ") by myelin import; times were in "
             << to_string(unit_) << ". Units here: ms, mV, nA, nF.\n"
             << "# NIR node -> population:";
        for (const auto& p : populations_) toml << " " << in_quotes(p.node) << " -> " << p.name << ";";
        toml << "\n\n[simulation]\ndt = " << number(dt_) << "\n";
        const auto duration = options_.duration ? options_.duration : [&]() -> std::optional<double> {
            if (const auto d = metadata_number(graph_.metadata, "myelin_duration")) return *d * to_ms_;
            return std::nullopt;
        }();
        toml << "duration = " << number(duration.value_or(1000.0)) << "\n";
        toml << "seed = " << static_cast<long long>(metadata_number(graph_.metadata, "myelin_seed").value_or(42.0)) << "\n";
        for (const auto& p : populations_) {
            toml << "\n[[population]]\nname = " << in_quotes(p.name) << "\nsize = " << p.size << "\nmodel = " << in_quotes(p.model) << "\n";
            if (!p.note.empty()) toml << "# " << p.note << "\n";
            toml << "params = { ";
            bool first = true;
            for (const auto& [key, value] : p.params) {
                toml << (first ? "" : ", ") << key << " = " << number(value);
                first = false;
            }
            if (p.model == "SpikeSourceArray") {
                const std::string file = stem_ + "." + p.name + ".spikes.txt";
                toml << (first ? "" : ", ") << "spike_times_file = " << in_quotes(file);
                std::ostringstream spikes;
                spikes << "# neuron time_ms\n";
                for (const auto& [neuron, time] : p.spikes) spikes << static_cast<long long>(neuron) << " " << number(time) << "\n";
                out.side_files.emplace_back(file, spikes.str());
            }
            toml << " }\n";
            std::string init;
            for (const auto& [variable, values] : p.init) {
                if (values.size() != p.size) throw Error("NIR node " + in_quotes(p.node) + ": metadata initial_" + variable + " has " + std::to_string(values.size()) + " values for " + std::to_string(p.size) + " neurons");
                const std::string file = stem_ + "." + p.name + "." + variable + ".txt";
                std::ostringstream column;
                for (const double v : values) column << number(v) << "\n";
                out.side_files.emplace_back(file, column.str());
                init += (init.empty() ? "" : ", ") + variable + " = { file = " + in_quotes(file) + " }";
            }
            if (!init.empty()) toml << "init = { " << init << " }\n";
            if (!p.note.empty()) out.notes.push_back("population " + in_quotes(p.name) + ": " + p.note);
        }
        for (const auto& [key, list] : connections_) {
            const auto& [pre, post, channel] = key;
            const std::string name = populations_[pre].name + "_to_" + populations_[post].name + (channel == 1 ? "_inh" : "");
            const std::string file = stem_ + "." + name + ".conn.txt";
            std::ostringstream rows;
            rows << "# columns = [\"i\", \"j\", \"weight\", \"delay\"]\n";
            for (const Connection& c : list) rows << c.pre << " " << c.post << " " << number(c.weight) << " " << number(c.delay) << "\n";
            out.side_files.emplace_back(file, rows.str());
            toml << "\n[[projection]]\nname = " << in_quotes(name) << "\npre = " << in_quotes(populations_[pre].name) << "\npost = "
                 << in_quotes(populations_[post].name) << "\nreceptor = " << (channel == 1 ? "\"inhibitory\"" : "\"excitatory\"")
                 << "\nconnect = { rule = \"from_list\", file = " << in_quotes(file) << " }\n";
        }
        for (const auto& p : populations_) {
            if (p.input) continue;
            toml << "\n[[record]]\npopulation = " << in_quotes(p.name) << "\n";
            if (!p.spiking) toml << "spikes = false\nstate = [\"v\"]\n";
        }
        if (zero_delays_ > 0)
            out.notes.push_back(std::to_string(zero_delays_) + " connections had no NIR delay; Myelin's shortest delay is one step, so they got dt = " + number(dt_) + " ms");
        out.config_text = toml.str();
        return out;
    }

    const NirGraph& graph_;
    const std::string stem_;
    const NirImportOptions& options_;
    NirTimeUnit unit_ = NirTimeUnit::ms;
    double to_ms_ = 1.0, dt_ = 0.1;
    std::vector<Population> populations_;
    std::map<std::string, std::size_t> population_of_;          // node name -> population
    std::map<std::string, std::vector<std::string>> synapses_of_;  // LIF -> its synaptic LI nodes
    std::map<std::string, std::string> synapse_owner_;          // synaptic LI -> its LIF
    std::map<std::string, Target> targets_;                     // node name -> what input there means
    std::map<std::tuple<std::size_t, std::size_t, int>, std::vector<Connection>> connections_;
    std::size_t zero_delays_ = 0;
};

}  // namespace

NirImport from_nir(const NirGraph& graph, const std::string& config_stem, const NirImportOptions& options) {
    return Importer(graph, config_stem, options).run();
}

std::vector<std::string> import_nir(const std::string& nir_path, const std::string& config_path, const NirImportOptions& options) {
    namespace fs = std::filesystem;
    const NirGraph graph = read_nir(nir_path);
    const fs::path config(config_path);
    NirImport imported;
    try {
        imported = from_nir(graph, config.stem().string(), options);
    } catch (const IoError&) {
        throw;
    } catch (const Error& e) {
        throw Error(nir_path + ": " + e.what());
    }
    std::vector<std::pair<std::string, std::string>> files{{config_path, imported.config_text}};
    for (auto& [name, content] : imported.side_files) files.emplace_back((config.parent_path() / name).string(), std::move(content));
    write_files_atomically(files);
    return imported.notes;
}

}  // namespace myelin::io
