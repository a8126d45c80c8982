// The engine form of a trained Tempotron (tempotron_engine_network.hpp).
#include "experiments/tempotron_engine_network.hpp"

#include "experiments/trained_network_parts.hpp"
#include "io/config.hpp"
#include "sim/network.hpp"

#include <cmath>
#include <memory>
#include <sstream>

namespace myelin::cli {
namespace {

// The Tempotron's unit of potential (v_thresh - v_rest) in the engine, in mV, and its rest.
constexpr double unit_mv = 10.0, rest_mv = -70.0;
constexpr double cm_nf = 1.0;

// The synapses of one sign onto the single output neuron, delay one step.
std::shared_ptr<const sim::ConnectionTable> signed_table(const std::vector<double>& weights, double scale,
                                                         bool negative) {
    auto table = std::make_shared<sim::ConnectionTable>();
    table->per_synapse_weight = true;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if ((weights[i] < 0.0) != negative) continue;
        table->pre.push_back(static_cast<std::uint32_t>(i));
        table->post.push_back(0);
        table->weight.push_back(static_cast<float>(weights[i] * scale));
        table->delay.push_back(1);
    }
    return table;
}

}  // namespace

TempotronEngineTiming tempotron_engine_timing(double duration_ms, double tau_ms, std::size_t patterns) {
    TempotronEngineTiming timing;
    timing.duration = duration_ms;
    timing.trial = std::ceil(duration_ms + 10.0 * tau_ms);
    timing.patterns = patterns;
    return timing;
}

io::RunSpec tempotron_engine_run(const learning::TempotronParams& params, const std::vector<double>& weights,
                                 const std::vector<std::vector<std::vector<double>>>& spike_times,
                                 const TempotronEngineTiming& timing, const sim::ModelRegistry& models,
                                 const sim::PlasticityRegistry& rules) {
    const learning::PspKernel kernel(params.tau, params.tau_s);
    // IF_curr_exp's PSP for a weight W (nA): W / cm * tau tau_s / (tau - tau_s) * (e^-s/tau - e^-s/tau_s)
    // mV; the Tempotron's: w V0 (e^-s/tau - e^-s/tau_s) units of unit_mv.
    const double scale = unit_mv * kernel.v0() * cm_nf * (params.tau - params.tau_s) / (params.tau * params.tau_s);
    const double v_rest = rest_mv, v_thresh = rest_mv + unit_mv * (params.v_thresh - params.v_rest);
    std::ostringstream out;
    out.precision(17);
    out << "# A trained Tempotron (docs/learning.md, \"Tempotron\"): pattern p plays at " << timing.start << " + p*"
        << timing.trial << " ms; the neuron fired for it iff it spiked within " << timing.duration << " ms of that.\n"
        << "[simulation]\ndt = " << timing.dt << "\nduration = "
        << timing.start + timing.trial * static_cast<double>(timing.patterns) << "\nseed = 1\n\n"
        << "[[population]]\nname = \"afferents\"\nsize = " << weights.size()
        << "\nmodel = \"SpikeSourceArray\"\nparams = { spike_times = [";
    for (std::size_t i = 0; i < weights.size(); ++i) {
        out << (i ? ", [" : "[");
        bool first = true;
        for (std::size_t p = 0; p < spike_times.size(); ++p)
            for (const double t : spike_times[p][i]) {
                if (t >= timing.duration) continue;  // the trainer leaves these out too
                out << (first ? "" : ", ") << timing.start + static_cast<double>(p) * timing.trial + t;
                first = false;
            }
        out << "]";
    }
    out << "] }\n\n"
        << "[[population]]\nname = \"tempotron\"\nsize = 1\nmodel = \"IF_curr_exp\"\n"
        << "params = { cm = " << cm_nf << ", tau_m = " << params.tau << ", tau_syn_E = " << params.tau_s
        << ", tau_syn_I = " << params.tau_s << ", v_rest = " << v_rest << ", v_reset = " << v_rest
        << ", v_thresh = " << v_thresh << ", tau_refrac = " << timing.dt << " }\n"
        << "reset = { every = " << timing.trial << ", start = " << timing.start
        << ", values = { v = " << v_rest << ", i_exc = 0.0, i_inh = 0.0 } }\n\n";
    for (const char* sign : {"+", "-"})
        out << "[[projection]]\nname = \"afferents->tempotron" << sign << "\"\npre = \"afferents\"\npost = \"tempotron\"\n"
            << "receptor = \"" << (*sign == '+' ? "excitatory" : "inhibitory")
            << "\"\nconnect = { rule = \"all_to_all\" }\nweight = 0.0   # the trained weights: connection tables\n\n";
    out << "[[record]]\npopulation = \"tempotron\"\nspikes = true\n";
    io::RunSpec run = io::parse_config(out.str(), "tempotron.engine.toml", {}, models, rules);
    for (sim::ProjectionSpec& projection : run.network.projections) {
        projection.connect = sim::ConnectorSpec{};
        projection.connect.rule = sim::ConnectorSpec::Rule::table;
        projection.connect.table = signed_table(weights, scale, projection.name.back() == '-');
    }
    sim::validate(run.network, models, rules);
    return run;
}

std::vector<bool> tempotron_engine_decisions(const std::vector<std::int64_t>& output_spike_steps,
                                             const TempotronEngineTiming& timing) {
    std::vector<bool> fired(timing.patterns, false);
    for (const std::int64_t step : output_spike_steps) {
        const double t = static_cast<double>(step) * timing.dt - timing.start;
        if (t < 0.0) continue;
        const auto p = static_cast<std::size_t>(t / timing.trial);
        // The input arrives one step late (the synaptic delay), and the window's end with it.
        if (p < fired.size() && t - static_cast<double>(p) * timing.trial <= timing.duration + timing.dt) fired[p] = true;
    }
    return fired;
}

void write_tempotron_engine_checkpoint(const std::string& path, const io::RunSpec& run, const sim::ModelRegistry& models,
                                       const sim::PlasticityRegistry& rules) {
    write_network_checkpoint(path, run, models, rules);
}

}  // namespace myelin::cli
