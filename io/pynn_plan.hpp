// What a Myelin network becomes in PyNN for SpiNNaker: cell types, connection lists split by
// receptor, STDP mechanisms and Poisson sources, and the report of every approximation and
// SpiNNaker limit hit (docs/export.md). Built from the BUILT network, so a checkpoint can feed it
// too; the writer (export_pynn.hpp) only turns a plan into files.
#pragma once

#include "io/run_spec.hpp"
#include "sim/model_registry.hpp"
#include "sim/network.hpp"
#include "sim/plasticity_registry.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace myelin::io {

struct PynnExportOptions {
    double timestep = 0.0;     // ms; 0: dt if SpiNNaker runs it (0.1 or 1.0), else the nearer one
    int neurons_per_core = 0;  // 0: sPyNNaker's default
    bool approximate = false;  // accept the documented approximations (docs/export.md)
};

struct PynnPopulation {
    std::string name, cell_type;  // cell_type: the PyNN class, e.g. "IF_curr_exp"
    std::size_t size = 0;
    bool spike_source = false;
    std::vector<std::pair<std::string, double>> params;                // PyNN names; PyNN units = ours
    std::vector<std::pair<std::string, std::vector<double>>> initial;  // PyNN variable, one per neuron
    std::vector<std::vector<double>> spike_times;  // SpikeSourceArray: ms, on the tick grid, one per tick
    std::vector<std::uint32_t> record_v;           // neurons whose v is recorded
    bool record_v_all = false;
};

struct PynnConnection {
    std::uint32_t pre = 0, post = 0;
    double weight = 0.0;  // magnitude: SpiNNaker takes the sign from the receptor
    double delay = 0.0;   // ms, whole ticks
};

// PyNN's STDPMechanism(SpikePairRule, Additive/MultiplicativeWeightDependence). PyNN's A_plus and
// A_minus are dimensionless: the additive rule scales them by w_max, the multiplicative one by
// (w_max - w) and (w - w_min).
struct PynnStdp {
    std::string weight_dependence;  // "Additive" or "Multiplicative"
    double tau_plus = 20.0, tau_minus = 20.0;  // ms
    double A_plus = 0.0, A_minus = 0.0;        // dimensionless (PyNN)
    double w_min = 0.0, w_max = 0.0;           // weight units
};

struct PynnProjection {
    std::string name;  // unique file stem; the parts of a split projection end in _exc / _inh
    std::string from;  // the Myelin projection or poisson_input it comes from
    std::string pre, post;
    std::string receptor;             // PyNN receptor_type: "excitatory" or "inhibitory"
    bool negative_on_brian2 = false;  // pyNN.brian2 wants inhibitory current weights negative
    std::vector<PynnConnection> connections;
    std::optional<PynnStdp> stdp;
};

struct PynnPlan {
    std::string source;         // the config (or checkpoint) it came from
    std::uint64_t seed = 0;
    double dt = 0.1;            // ms, Myelin's
    double timestep = 0.1;      // ms, the script's
    double duration = 0.0;      // ms
    int neurons_per_core = 0;
    std::vector<PynnPopulation> populations;
    std::vector<PynnProjection> projections;
    std::vector<std::string> report;  // markdown: every approximation and limit hit
    double largest_weight_error = 0.0;        // relative, shift sized by the largest weight
    double largest_weight_error_worst = 0.0;  // relative, shift sized by the largest summed input
};

// The cell type SpiNNaker runs for a Myelin model, or empty when there is none.
std::string pynn_cell_type(std::string_view model);

// Throws Error naming the population and model (or projection and rule) for what has no
// SpiNNaker equivalent and no accepted approximation.
PynnPlan plan_pynn_export(const RunSpec& run, const sim::Network& network, const sim::ModelRegistry& models,
                          const sim::PlasticityRegistry& rules, const PynnExportOptions& options);

}  // namespace myelin::io
