// Writing the TESS training report (tess_report.hpp).
#include "experiments/tess_report.hpp"

#include "experiments/report_file.hpp"
#include "io/hdf5_util.hpp"

#include <cstdint>

namespace myelin::cli {

void write_tess_report(const std::string& path, const TrainSpec& spec, const TessReport& report) {
    const learning::TessSettings& settings = spec.tess.settings;
    learning::TessShape shape = settings.shape;
    const learning::TessLayout layout(shape);
    write_report_whole(path, [&](H5::H5File& file) {
        H5::Group meta = train_meta(file, spec);
        io::h5::set_attribute(meta, "tess_mode", learning::tess_mode_name(settings.rule.mode));
        io::h5::set_attribute(meta, "encoding", learning::input_encoding_name(settings.encoding));
        io::h5::set_attribute(meta, "dataset", spec.tess.dataset);
        io::h5::set_attribute(meta, "steps", static_cast<std::int64_t>(shape.steps));
        const long delay = settings.rule.delay_ls < 0 ? static_cast<long>(shape.steps) : settings.rule.delay_ls;
        io::h5::set_attribute(meta, "delay_ls", static_cast<std::int64_t>(delay));
        io::h5::set_attribute(meta, "beta", shape.neuron.beta());
        io::h5::set_attribute(meta, "theta", shape.neuron.theta());
        const learning::TessFactors& f = settings.rule.factors;
        io::h5::set_attribute(meta, "lambda_post", f.lambda_post);
        io::h5::set_attribute(meta, "lambda_pre", f.lambda_pre);
        io::h5::set_attribute(meta, "alpha_post", f.alpha_post);
        io::h5::set_attribute(meta, "alpha_pre", f.alpha_pre);
        io::h5::set_attribute(meta, "batch", static_cast<std::int64_t>(settings.batch));
        io::h5::set_attribute(meta, "lr", settings.learning_rate);
        io::h5::set_attribute(meta, "train_samples", static_cast<std::int64_t>(report.train_samples));
        io::h5::set_attribute(meta, "test_samples", static_cast<std::int64_t>(report.test_samples));
        io::h5::set_attribute(meta, "input_mean", report.input_mean);
        io::h5::set_attribute(meta, "input_std", report.input_std);
        io::h5::set_attribute(meta, "wall_seconds", report.seconds);
        std::vector<std::int64_t> hidden;
        for (const std::size_t width : shape.hidden) hidden.push_back(static_cast<std::int64_t>(width));
        io::h5::write_vector(meta, "hidden", hidden);

        for (const TessRun& run : report.runs) {
            // (append, not operator+: GCC 12 warns falsely of an overlapping memcpy in the latter)
            const std::string name = std::string("/").append(learning::tess_learner_name(run.learner));
            H5::Group group = file.createGroup(name);
            io::h5::set_attribute(group, "peak_state_bytes", static_cast<std::int64_t>(run.peak_state_bytes));
            io::h5::set_attribute(group, "peak_resident_kib", static_cast<std::int64_t>(run.peak_resident_kib));
            io::h5::set_attribute(group, "best_test_accuracy", run.best_accuracy);
            io::h5::set_attribute(group, "best_epoch", static_cast<std::int64_t>(run.best_epoch));
            io::h5::set_attribute(group, "wall_seconds", run.seconds);
            H5::Group epochs = file.createGroup(std::string(name).append("/epochs"));
            write_epoch_table(epochs, run.epochs);
            H5::Group net = file.createGroup(std::string(name).append("/network"));
            std::size_t fan_in = shape.inputs;
            for (std::size_t l = 0; l < shape.hidden.size(); ++l) {
                write_column_major(net, std::string("w").append(std::to_string(l + 1)), run.parameters.data() + layout.weights[l],
                                   shape.hidden[l], fan_in);
                fan_in = shape.hidden[l];
            }
            write_column_major(net, "head_w", run.parameters.data() + layout.head_weights, shape.classes, fan_in);
            io::h5::write_vector(net, "head_b", std::vector<float>(run.parameters.begin() + static_cast<std::ptrdiff_t>(layout.head_bias),
                                                                   run.parameters.begin() + static_cast<std::ptrdiff_t>(layout.size)));
        }
        H5::Group lsg = file.createGroup("/lsg");
        for (std::size_t l = 0; l < shape.hidden.size(); ++l) {
            const Eigen::MatrixXf bm = learning::tess_projection(shape.classes, shape.hidden[l]).cast<float>();
            write_column_major(lsg, std::string("projection").append(std::to_string(l + 1)), bm.data(), shape.classes, shape.hidden[l]);
        }
    });
}

}  // namespace myelin::cli
