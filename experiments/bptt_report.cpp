// Writing the BPTT training report (bptt_report.hpp).
#include "experiments/bptt_report.hpp"

#include "experiments/report_file.hpp"
#include "io/hdf5_util.hpp"
#include "sim/error.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>

namespace myelin::cli {

void write_bptt_report(const std::string& path, const TrainSpec& spec, const BpttReport& report,
                       const learning::BpttTrainer& trainer) {
    const learning::BpttNetwork<float>& network = trainer.network();
    const learning::BpttShape& shape = network.shape();
    const learning::BpttLayout& layout = network.layout();
    write_report_whole(path, [&](H5::H5File& file) {
        H5::Group meta = train_meta(file, spec);
        io::h5::set_attribute(meta, "neuron", learning::bptt_neuron_name(shape.neuron));
        io::h5::set_attribute(meta, "encoding", learning::bptt_encoding_name(trainer.settings().encoding));
        io::h5::set_attribute(meta, "dataset", spec.bptt.dataset);
        io::h5::set_attribute(meta, "steps", static_cast<std::int64_t>(shape.steps));
        io::h5::set_attribute(meta, "hidden", static_cast<std::int64_t>(shape.hidden));
        io::h5::set_attribute(meta, "sparsity", shape.sparsity);
        io::h5::set_attribute(meta, "train_samples", static_cast<std::int64_t>(report.train_samples));
        io::h5::set_attribute(meta, "test_samples", static_cast<std::int64_t>(report.test_samples));
        io::h5::set_attribute(meta, "input_mean", trainer.input_mean());
        io::h5::set_attribute(meta, "input_std", trainer.input_std());
        io::h5::set_attribute(meta, "wall_seconds", report.seconds);

        H5::Group epochs = file.createGroup("/epochs");
        write_epoch_table(epochs, report.epochs);
        std::vector<double> eps;
        for (const BpttEpochRecord& e : report.epochs) eps.push_back(e.eps);
        io::h5::write_vector(epochs, "eps", eps);

        H5::Group net = file.createGroup("/network");
        const float* p = network.parameters().data();
        write_column_major(net, "w1", p + layout.w1, shape.hidden, shape.inputs);
        io::h5::write_vector(net, "b1", std::vector<float>(p + layout.b1, p + layout.b1 + shape.hidden));
        write_column_major(net, "w2", p + layout.w2, shape.classes, shape.hidden);
        io::h5::write_vector(net, "b2", std::vector<float>(p + layout.b2, p + layout.b2 + shape.classes));
        std::vector<double> tau(shape.hidden);
        for (std::size_t i = 0; i < shape.hidden; ++i) tau[i] = std::exp(static_cast<double>(network.log_tau(i)));
        io::h5::write_vector(net, "tau", tau);
        io::h5::write_vector(net, "eps", std::vector<double>{static_cast<double>(network.eps())});
    });
}

}  // namespace myelin::cli
