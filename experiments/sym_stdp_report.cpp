// Writing the sym-STDP training report (sym_stdp_report.hpp).
#include "experiments/sym_stdp_report.hpp"

#include "experiments/report_file.hpp"
#include "io/hdf5_util.hpp"
#include "sim/error.hpp"

#include <unistd.h>

#include <cstdint>
#include <filesystem>

namespace myelin::cli {
namespace {

template <class T>
void write_matrix(H5::Group& group, const std::string& name, const std::vector<T>& data, std::size_t columns) {
    H5::DataSet dataset = io::h5::create_growing<T>(group, name, columns, std::max<std::size_t>(data.size() / columns, 1));
    io::h5::append(dataset, data);
}

}  // namespace

void write_sym_stdp_report(const std::string& path, const TrainSpec& spec, const SymStdpReport& report,
                           const learning::SymStdpTrainer& trainer) {
    const learning::SymStdpNetworkParams& p = trainer.network().params();
    write_report_whole(path, [&](H5::H5File& file) {
        H5::Group meta = train_meta(file, spec);
        io::h5::set_attribute(meta, "format", std::string("myelin-train-report"));
        io::h5::set_attribute(meta, "dataset", spec.sym_stdp.data.dataset);
        io::h5::set_attribute(meta, "n_exc", static_cast<std::int64_t>(p.n_exc));
        io::h5::set_attribute(meta, "train_images", static_cast<std::int64_t>(report.train_images));
        io::h5::set_attribute(meta, "test_images", static_cast<std::int64_t>(report.test_images));
        io::h5::set_attribute(meta, "dt_ms", p.dt);
        io::h5::set_attribute(meta, "threads", static_cast<std::int64_t>(report.threads));
        io::h5::set_attribute(meta, "wall_seconds", report.seconds);
        io::h5::set_attribute(meta, "evaluated_on", report.evaluated_on);

        std::vector<std::int64_t> epoch, samples, presentations;
        std::vector<double> supervised, vote, train_vote, active, train_seconds, test_seconds, theta_mean, eta_scale, class_eta_scale;
        std::vector<std::int64_t> test_presentations, learned_hidden, learned_class, readouts_reset;
        std::vector<std::uint32_t> confusion_supervised, confusion_vote;
        for (const learning::SymStdpEpochResult& e : report.epochs) {
            epoch.push_back(static_cast<std::int64_t>(e.epoch));
            samples.push_back(static_cast<std::int64_t>(e.samples));
            presentations.push_back(static_cast<std::int64_t>(e.presentations));
            supervised.push_back(e.test.accuracy_supervised);
            vote.push_back(e.test.accuracy_vote);
            train_vote.push_back(e.train_vote_accuracy);
            active.push_back(e.median_active_exc);
            train_seconds.push_back(e.train_seconds);
            test_seconds.push_back(e.test.seconds);
            theta_mean.push_back(e.theta_mean);
            eta_scale.push_back(e.plasticity.input_eta_scale);
            class_eta_scale.push_back(e.plasticity.class_eta_scale);
            test_presentations.push_back(static_cast<std::int64_t>(e.test.presentations));
            learned_hidden.push_back(e.plasticity.hidden);
            learned_class.push_back(e.plasticity.classes);
            readouts_reset.push_back(e.readouts_reset);
            confusion_supervised.insert(confusion_supervised.end(), e.test.confusion_supervised.begin(),
                                        e.test.confusion_supervised.end());
            confusion_vote.insert(confusion_vote.end(), e.test.confusion_vote.begin(), e.test.confusion_vote.end());
        }
        H5::Group epochs = file.createGroup("/epochs");
        io::h5::write_vector(epochs, "epoch", epoch);
        io::h5::write_vector(epochs, "samples", samples);
        io::h5::write_vector(epochs, "presentations", presentations);
        io::h5::write_vector(epochs, "accuracy_supervised", supervised);
        io::h5::write_vector(epochs, "accuracy_vote", vote);
        io::h5::write_vector(epochs, "train_accuracy_vote", train_vote);
        io::h5::write_vector(epochs, "median_active_exc", active);
        io::h5::write_vector(epochs, "train_seconds", train_seconds);
        io::h5::write_vector(epochs, "test_seconds", test_seconds);
        io::h5::write_vector(epochs, "theta_mean", theta_mean);
        io::h5::write_vector(epochs, "eta_input_scale", eta_scale);
        io::h5::write_vector(epochs, "eta_class_scale", class_eta_scale);
        io::h5::write_vector(epochs, "test_presentations", test_presentations);
        io::h5::write_vector(epochs, "learned_hidden", learned_hidden);
        io::h5::write_vector(epochs, "learned_class", learned_class);
        io::h5::write_vector(epochs, "readouts_reset", readouts_reset);
        const std::size_t classes = p.n_classes;
        // Per epoch, a flattened [true][predicted] matrix per row; /confusion holds the last one.
        write_matrix(epochs, "confusion_supervised", confusion_supervised, classes * classes);
        write_matrix(epochs, "confusion_vote", confusion_vote, classes * classes);
        H5::Group confusion = file.createGroup("/confusion");
        if (!report.epochs.empty()) {
            write_matrix(confusion, "supervised", report.epochs.back().test.confusion_supervised, classes);
            write_matrix(confusion, "vote", report.epochs.back().test.confusion_vote, classes);
        }

        // Receptive fields: the network stores [pixel][neuron]; a reader wants one image per neuron.
        const learning::SymStdpWeights& w = trainer.network().weights();
        std::vector<float> fields(p.n_exc * p.n_input);
        for (std::size_t j = 0; j < p.n_input; ++j)
            for (std::size_t i = 0; i < p.n_exc; ++i) fields[i * p.n_input + j] = w.input_exc[j * p.n_exc + i];
        H5::Group weights = file.createGroup("/weights");
        write_matrix(weights, "input_exc", fields, p.n_input);
        H5::DataSet input_exc = weights.openDataSet("input_exc");
        io::h5::set_attribute(input_exc, "rows", static_cast<std::int64_t>(report.image_rows));
        io::h5::set_attribute(input_exc, "columns", static_cast<std::int64_t>(report.image_columns));
        write_matrix(weights, "exc_cls", w.exc_cls, classes);
        H5::Group root = file.openGroup("/");
        io::h5::write_vector(root, "theta", w.theta);
        const std::vector<int> assigned = trainer.assignments();
        io::h5::write_vector(root, "assignments", std::vector<std::int32_t>(assigned.begin(), assigned.end()));
    });
}

}  // namespace myelin::cli
