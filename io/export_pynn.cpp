// Writing a PynnPlan as a SpiNNaker-ready directory (export_pynn.hpp; docs/export.md).
#include "io/export_pynn.hpp"

#include "sim/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace myelin::io {
namespace fs = std::filesystem;
namespace {

// Shortest text that reads back as the same double (Python and numpy parse it).
std::string number(double x) {
    char buffer[32];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, x);
        if (std::strtod(buffer, nullptr) == x) break;
    }
    return buffer;
}

// Weights come from floats: the shortest text that reads back as the same float ("0.09", not
// 0.09000000357627869); other values at full double precision.
std::string weight_text(double w) {
    const auto f = static_cast<float>(w);
    if (static_cast<double>(f) != w) return number(w);
    char buffer[32];
    for (int precision = 6; precision <= 9; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, static_cast<double>(f));
        if (std::strtof(buffer, nullptr) == f) break;
    }
    return buffer;
}

// A Python (and JSON) string literal.
std::string literal(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// File stems from names that may hold any character ("exc->inh"), unique within one export.
class FileNames {
public:
    std::string operator()(const std::string& prefix, const std::string& name) {
        std::string stem = prefix;
        for (const char c : name) stem += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ? c : '_';
        std::string unique = stem;
        for (int k = 2; !used_.insert(unique).second; ++k) unique = stem + "_" + std::to_string(k);
        return unique;
    }

private:
    std::set<std::string> used_;
};

std::string json_array(const std::vector<double>& values) {
    std::string s = "[";
    for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + number(values[i]);
    return s + "]";
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw IoError(path.string(), "cannot write the export file");
}

struct Files {
    std::map<std::string, std::string> connections;  // projection -> file name
    std::map<std::string, std::string> spikes;       // population -> file name
};

Files file_names(const PynnPlan& plan) {
    FileNames names;
    Files files;
    for (const auto& p : plan.populations)
        if (p.cell_type == "SpikeSourceArray") files.spikes[p.name] = names("spikes_", p.name) + ".json";
    for (const auto& p : plan.projections) files.connections[p.name] = names("conn_", p.name) + ".txt";
    return files;
}

// PyNN's StandardTextFile reads every leading "# name = [list]" line as metadata (and fails on
// any other comment), so the description is a list too.
std::string connection_file(const PynnProjection& projection) {
    std::string text = "# projection = [" + literal(projection.from) + ", " + literal(projection.pre) + ", " +
                       literal(projection.post) + ", " + literal(projection.receptor) + "]\n";
    text += "# columns = [\"i\", \"j\", \"weight\", \"delay\"]\n";
    for (const auto& c : projection.connections)
        text += std::to_string(c.pre) + " " + std::to_string(c.post) + " " + weight_text(c.weight) + " " + number(c.delay) + "\n";
    return text;
}

}  // namespace

std::string pynn_script(const PynnPlan& plan) {
    const Files files = file_names(plan);
    std::ostringstream py;
    std::set<std::string> cell_types;
    for (const auto& p : plan.populations)
        if (!p.spike_source) cell_types.insert(p.cell_type);

    py << "#!/usr/bin/env python3\n"
       << "# Exported by myelin from " << plan.source << " (seed " << plan.seed << ").\n"
       << "\"\"\"Runs the exported network on SpiNNaker (import pyNN.spiNNaker as sim) or, with\n"
       << "--backend brian2, on pyNN.brian2. report.md lists every approximation. Writes per population\n"
       << "<name>.pkl (PyNN's spikes, and v where recorded) and rates.json (mean rates, STDP mean weights)\n"
       << "into --output.\"\"\"\n"
       << "import argparse\nimport json\nimport os\n\nimport numpy as np\n\n"
       << "HERE = os.path.dirname(os.path.abspath(__file__))\n"
       << "TIMESTEP = " << number(plan.timestep) << "  # ms; SpiNNaker runs 1.0 or 0.1 ms ticks\n"
       << "DURATION = " << number(plan.duration) << "  # ms\n"
       << "NEURONS_PER_CORE = " << plan.neurons_per_core << "\n\n"
       << "parser = argparse.ArgumentParser(description=__doc__)\n"
       << "parser.add_argument(\"--backend\", choices=[\"spiNNaker\", \"brian2\"], default=\"spiNNaker\")\n"
       << "parser.add_argument(\"--duration\", type=float, default=DURATION, help=\"ms\")\n"
       << "parser.add_argument(\"--seed\", type=int, default=" << plan.seed << ", help=\"pyNN.brian2's seed (Poisson sources)\")\n"
       << "parser.add_argument(\"--output\", default=os.path.join(HERE, \"results\"))\n"
       << "args = parser.parse_args()\n"
       << "SPINNAKER = args.backend == \"spiNNaker\"\n\n"
       << "if SPINNAKER:\n"
       << "    import pyNN.spiNNaker as sim\n"
       << "    sim.setup(timestep=TIMESTEP, min_delay=TIMESTEP" << (plan.timestep < 1.0 ? ", time_scale_factor=" + number(1.0 / plan.timestep) : "") << ")\n";
    for (const auto& cell_type : cell_types)
        py << "    sim.set_number_of_neurons_per_core(sim." << cell_type << ", NEURONS_PER_CORE)\n";
    py << "else:\n"
       << "    import brian2\n"
       << "    import pyNN.brian2 as sim\n"
       << "    brian2.prefs.codegen.target = \"numpy\"  # runs without a compiler\n"
       << "    sim.setup(timestep=TIMESTEP, min_delay=TIMESTEP)\n"
       << "    brian2.seed(args.seed)\n"
       << "# sPyNNaker accepts only dendritic_delay_fraction = 1; pyNN.brian2 only 0 (all delay axonal).\n"
       << "DENDRITIC_DELAY_FRACTION = 1.0 if SPINNAKER else 0.0\n\n\n"
       << "def load(name):\n"
       << "    with open(os.path.join(HERE, name)) as f:\n"
       << "        return json.load(f)\n\n\n"
       << "def connector(name, negative_on_brian2):\n"
       << "    \"\"\"Weights are magnitudes: SpiNNaker takes the sign from receptor_type, pyNN.brian2\n"
       << "    wants inhibitory weights on current-based cells negative.\"\"\"\n"
       << "    path = os.path.join(HERE, name)\n"
       << "    if SPINNAKER or not negative_on_brian2:\n"
       << "        return sim.FromFileConnector(path)\n"
       << "    data = np.loadtxt(path, ndmin=2)\n"
       << "    data[:, 2] = -data[:, 2]\n"
       << "    return sim.FromListConnector(data, column_names=[\"weight\", \"delay\"])\n\n\n"
       << "def spike_times(name):\n"
       << "    trains = load(name)\n"
       << "    return trains if SPINNAKER else [sim.Sequence(t) for t in trains]\n\n\n"
       << "initial = load(\"initial_values.json\")\n"
       << "populations = {}\n"
       << "recorded = []  # populations whose spikes go into rates.json\n";
    for (const auto& p : plan.populations) {
        const std::string key = literal(p.name);
        py << "\n";
        std::string params;
        for (const auto& [name, value] : p.params) params += (params.empty() ? "" : ", ") + name + "=" + number(value);
        if (p.cell_type == "SpikeSourceArray")
            params = "spike_times=spike_times(" + literal(files.spikes.at(p.name)) + ")";
        py << "populations[" << key << "] = sim.Population(" << p.size << ", sim." << p.cell_type << "(" << params
           << "), label=" << key << ")\n";
        if (!p.initial.empty())
            py << "populations[" << key << "].initialize(**{k: np.array(v) for k, v in initial[" << key << "].items()})\n";
        if (p.name.rfind("poisson_input_", 0) != 0) {  // background drive: not recorded
            py << "populations[" << key << "].record(\"spikes\")\n";
            py << "recorded.append(" << key << ")\n";
        }
        if (p.record_v_all) {
            py << "populations[" << key << "].record(\"v\")\n";
        } else if (!p.record_v.empty()) {
            std::string ids;
            for (const auto i : p.record_v) ids += (ids.empty() ? "" : ", ") + std::to_string(i);
            py << "populations[" << key << "][[" << ids << "]].record(\"v\")\n";
        }
    }
    py << "\nprojections = {}\nplastic = []\n";
    for (const auto& p : plan.projections) {
        const std::string key = literal(p.name);
        py << "\n# " << p.from << "\n";
        std::string synapse = "sim.StaticSynapse()";
        if (p.stdp) {
            const PynnStdp& s = *p.stdp;
            synapse = "sim.STDPMechanism(\n"
                      "        timing_dependence=sim.SpikePairRule(tau_plus=" + number(s.tau_plus) + ", tau_minus=" +
                      number(s.tau_minus) + ", A_plus=" + number(s.A_plus) + ", A_minus=" + number(s.A_minus) + "),\n"
                      "        weight_dependence=sim." + s.weight_dependence + "WeightDependence(w_min=" + number(s.w_min) +
                      ", w_max=" + number(s.w_max) + "),\n"
                      "        weight=" + number(p.connections.front().weight) +
                      ", delay=TIMESTEP, dendritic_delay_fraction=DENDRITIC_DELAY_FRACTION)";
            py << "plastic.append(" << key << ")\n";
        }
        py << "projections[" << key << "] = sim.Projection(\n"
           << "    populations[" << literal(p.pre) << "], populations[" << literal(p.post) << "],\n"
           << "    connector(" << literal(files.connections.at(p.name)) << ", " << (p.negative_on_brian2 ? "True" : "False") << "),\n"
           << "    synapse_type=" << synapse << ",\n"
           << "    receptor_type=" << literal(p.receptor) << ", label=" << key << ")\n";
    }
    py << "\n\ndef mean_weight(name):\n"
       << "    connections = np.array(projections[name].get(\"weight\", format=\"list\"), dtype=float, ndmin=2)\n"
       << "    return float(np.mean(np.abs(connections[:, -1])))\n\n\n"
       << "summary = {\"backend\": args.backend, \"timestep_ms\": TIMESTEP, \"duration_ms\": args.duration,\n"
       << "           \"spikes\": {}, \"rate_hz\": {}, \"initial_mean_weight\": {}, \"mean_weight\": {}}\n"
       << "for name in plastic:\n"
       << "    summary[\"initial_mean_weight\"][name] = mean_weight(name)\n\n"
       << "sim.run(args.duration)\n\n"
       << "os.makedirs(args.output, exist_ok=True)\n"
       << "for name in recorded:\n"
       << "    population = populations[name]\n"
       << "    trains = population.get_data().segments[0].spiketrains\n"
       << "    count = int(sum(len(t) for t in trains))\n"
       << "    summary[\"spikes\"][name] = count\n"
       << "    summary[\"rate_hz\"][name] = count / (population.size * args.duration / 1000.0)\n"
       << "    population.write_data(os.path.join(args.output, name + \".pkl\"))  # .h5 fails on PyNN 0.10\n"
       << "for name in plastic:\n"
       << "    summary[\"mean_weight\"][name] = mean_weight(name)\n"
       << "    np.savetxt(os.path.join(args.output, \"weights_\" + name + \".txt\"),\n"
       << "               np.array(projections[name].get(\"weight\", format=\"list\")), header='columns = [\"i\", \"j\", \"weight\"]')\n"
       << "with open(os.path.join(args.output, \"rates.json\"), \"w\") as f:\n"
       << "    json.dump(summary, f, indent=2)\n"
       << "sim.end()\n";
    return py.str();
}

void write_pynn_export(const PynnPlan& plan, const std::string& directory) {
    fs::path final_path = fs::absolute(directory).lexically_normal();
    if (!final_path.has_filename()) final_path = final_path.parent_path();  // "out/"
    const fs::path parent = final_path.parent_path();
    std::error_code ec;
    if (fs::exists(final_path, ec)) {
        if (!fs::is_directory(final_path, ec)) throw IoError(final_path.string(), "exists and is not a directory");
        const bool previous = fs::exists(final_path / "run.py") && fs::exists(final_path / "report.md");
        if (!previous && !fs::is_empty(final_path, ec))
            throw IoError(final_path.string(), "exists and is not a previous export (no run.py and report.md); "
                                               "choose a new directory");
    }
    if (!fs::is_directory(parent, ec)) throw IoError(parent.string(), "the output's parent directory does not exist");
    const fs::path staging = parent / ("." + final_path.filename().string() + ".export-tmp");
    fs::remove_all(staging, ec);
    if (!fs::create_directory(staging, ec) || ec)
        throw IoError(staging.string(), "cannot create the export directory: " + ec.message());
    try {
        const Files files = file_names(plan);
        write_file(staging / "run.py", pynn_script(plan));
        std::string initial = "{";
        bool first = true;
        for (const auto& p : plan.populations) {
            if (p.cell_type == "SpikeSourceArray") {
                std::string trains = "[";
                for (std::size_t i = 0; i < p.spike_times.size(); ++i) trains += (i ? ",\n " : "") + json_array(p.spike_times[i]);
                write_file(staging / files.spikes.at(p.name), trains + "]\n");
            }
            if (p.initial.empty()) continue;
            initial += (first ? "\n  " : ",\n  ") + literal(p.name) + ": {";
            first = false;
            for (std::size_t k = 0; k < p.initial.size(); ++k)
                initial += (k ? ", " : "") + literal(p.initial[k].first) + ": " + json_array(p.initial[k].second);
            initial += "}";
        }
        write_file(staging / "initial_values.json", initial + "\n}\n");
        for (const auto& p : plan.projections) write_file(staging / files.connections.at(p.name), connection_file(p));
        std::string report = "# SpiNNaker export of " + plan.source + "\n\n"
                             "Run `python3 run.py` on a SpiNNaker host (sPyNNaker), or `python3 run.py --backend brian2` "
                             "here. Every approximation and SpiNNaker limit hit:\n\n";
        for (const auto& line : plan.report) report += line + "\n";
        write_file(staging / "report.md", report);
    } catch (...) {
        fs::remove_all(staging, ec);
        throw;
    }
    fs::remove_all(final_path, ec);
    fs::rename(staging, final_path, ec);
    if (ec) {
        fs::remove_all(staging);
        throw IoError(final_path.string(), "cannot move the export into place: " + ec.message());
    }
}

}  // namespace myelin::io
