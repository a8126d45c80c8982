// Writing the meta-neuron training report (meta_report.hpp).
#include "experiments/meta_report.hpp"

#include "experiments/report_file.hpp"
#include "io/hdf5_util.hpp"
#include "sim/error.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>

namespace myelin::cli {
namespace {

H5::Group write_settings(H5::H5File& file, const TrainSpec& spec) {
    H5::Group meta = train_meta(file, spec);
    io::h5::set_attribute(meta, "rule", learning::rule_name(spec.meta.train.rule));
    io::h5::set_attribute(meta, "estimator", learning::estimator_name(spec.meta.train.estimator));
    io::h5::set_attribute(meta, "dt_ms", spec.meta.task.dt);
    return meta;
}

}  // namespace

void write_meta_report(const std::string& path, const TrainSpec& spec, const MetaRun& run) {
    write_report_whole(path, [&](H5::H5File& file) {
        H5::Group meta = write_settings(file, spec);
        io::h5::set_attribute(meta, "wall_seconds", run.seconds);
        std::vector<std::int64_t> epoch;
        std::vector<double> loss, accuracy;
        for (const auto& e : run.epochs) {
            epoch.push_back(static_cast<std::int64_t>(e.epoch));
            loss.push_back(e.loss);
            accuracy.push_back(e.train_accuracy);
        }
        H5::Group epochs = file.createGroup("/epochs");
        io::h5::write_vector(epochs, "epoch", epoch);
        io::h5::write_vector(epochs, "loss", loss);
        io::h5::write_vector(epochs, "train_accuracy", accuracy);
        H5::Group test = file.createGroup("/test");
        io::h5::set_attribute(test, "count_accuracy", run.evaluation.count_accuracy);
        io::h5::set_attribute(test, "lzc_accuracy", run.evaluation.lzc_accuracy);
        io::h5::set_attribute(test, "seconds_per_sample", run.evaluation.seconds_per_sample);
        io::h5::set_attribute(test, "synaptic_events", run.evaluation.synaptic_events);
        io::h5::set_attribute(test, "mean_rate_hz", run.evaluation.mean_rate_hz);
        const learning::MetaParameters& p = run.parameters;
        H5::Group root = file.openGroup("/");
        const std::vector<double> weights(p.values.begin(), p.values.begin() + static_cast<std::ptrdiff_t>(p.weight_count()));
        io::h5::write_vector(root, "weights", weights);
        H5::DataSet weight_set = root.openDataSet("weights");
        io::h5::set_attribute(weight_set, "neurons", static_cast<std::int64_t>(p.neurons()));
        io::h5::set_attribute(weight_set, "inputs", static_cast<std::int64_t>(p.inputs()));
        // The engine's MetaNeuron columns: beta = exp(-dt / tau_m).
        std::vector<double> tau_m, v_thresh, temperature;
        for (std::size_t k = 0; k < p.neurons(); ++k) {
            tau_m.push_back(-spec.meta.task.dt / std::log(p.decay(k)));
            v_thresh.push_back(p.threshold(k));
            temperature.push_back(p.temperature(k));
        }
        H5::Group intrinsics = file.createGroup("/intrinsics");
        io::h5::write_vector(intrinsics, "tau_m", tau_m);
        io::h5::write_vector(intrinsics, "v_thresh", v_thresh);
        io::h5::write_vector(intrinsics, "temperature", temperature);
    });
}

void write_meta_compare_report(const std::string& path, const TrainSpec& spec, const std::vector<MetaCompareRow>& rows) {
    write_report_whole(path, [&](H5::H5File& file) {
        write_settings(file, spec);
        std::vector<std::int32_t> learned;
        std::vector<std::int64_t> seed;
        std::vector<double> lzc, count, seconds;
        std::string rules;  // one attribute: the rule of each row, comma-separated
        for (const MetaCompareRow& row : rows) {
            if (!rules.empty()) rules += ",";
            rules += row.rule;
            learned.push_back(row.learned ? 1 : 0);
            seed.push_back(static_cast<std::int64_t>(row.seed));
            lzc.push_back(row.lzc_accuracy);
            count.push_back(row.rule_accuracy);
            seconds.push_back(row.seconds);
        }
        H5::Group compare = file.createGroup("/compare");
        io::h5::set_attribute(compare, "rule", rules);
        io::h5::write_vector(compare, "learned", learned);
        io::h5::write_vector(compare, "seed", seed);
        io::h5::write_vector(compare, "lzc_accuracy", lzc);
        io::h5::write_vector(compare, "rule_accuracy", count);
        io::h5::write_vector(compare, "seconds", seconds);
    });
}

}  // namespace myelin::cli
