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
namespace {

// A [rows][columns] dataset from a column-major block of the parameter vector.
void write_matrix(H5::Group& group, const std::string& name, const float* column_major, std::size_t rows,
                  std::size_t columns) {
    std::vector<float> row_major(rows * columns);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < columns; ++c) row_major[r * columns + c] = column_major[c * rows + r];
    const hsize_t dims[2] = {rows, columns};
    H5::DataSet set = group.createDataSet(name, H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, dims));
    set.write(row_major.data(), H5::PredType::NATIVE_FLOAT);
}

}  // namespace

void write_bptt_report(const std::string& path, const TrainSpec& spec, const BpttReport& report,
                       const learning::BpttTrainer& trainer) {
    const learning::BpttNetwork<float>& network = trainer.network();
    const learning::BpttShape& shape = network.shape();
    const learning::BpttLayout& layout = network.layout();
    write_report_whole(path, [&](H5::H5File& file) {
        H5::Group meta = file.createGroup("/meta");
        io::h5::set_attribute(meta, "version", std::string(MYELIN_VERSION));
        io::h5::set_attribute(meta, "algorithm", spec.algorithm);
        io::h5::set_attribute(meta, "config", spec.text);
        io::h5::set_attribute(meta, "seed", static_cast<std::int64_t>(spec.seed));
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

        std::vector<std::int64_t> epoch;
        std::vector<double> loss, train_accuracy, spike_rate, test_loss, test_accuracy, test_spike_rate, eps, seconds;
        for (const BpttEpochRecord& e : report.epochs) {
            epoch.push_back(static_cast<std::int64_t>(e.epoch));
            loss.push_back(e.train.loss);
            train_accuracy.push_back(e.train.accuracy);
            spike_rate.push_back(e.train.spike_rate);
            test_loss.push_back(e.test.loss);
            test_accuracy.push_back(e.test.accuracy);
            test_spike_rate.push_back(e.test.spike_rate);
            eps.push_back(e.eps);
            seconds.push_back(e.seconds);
        }
        H5::Group epochs = file.createGroup("/epochs");
        io::h5::write_vector(epochs, "epoch", epoch);
        io::h5::write_vector(epochs, "loss", loss);
        io::h5::write_vector(epochs, "train_accuracy", train_accuracy);
        io::h5::write_vector(epochs, "spike_rate", spike_rate);
        io::h5::write_vector(epochs, "test_loss", test_loss);
        io::h5::write_vector(epochs, "test_accuracy", test_accuracy);
        io::h5::write_vector(epochs, "test_spike_rate", test_spike_rate);
        io::h5::write_vector(epochs, "eps", eps);
        io::h5::write_vector(epochs, "seconds", seconds);

        H5::Group net = file.createGroup("/network");
        const float* p = network.parameters().data();
        write_matrix(net, "w1", p + layout.w1, shape.hidden, shape.inputs);
        io::h5::write_vector(net, "b1", std::vector<float>(p + layout.b1, p + layout.b1 + shape.hidden));
        write_matrix(net, "w2", p + layout.w2, shape.classes, shape.hidden);
        io::h5::write_vector(net, "b2", std::vector<float>(p + layout.b2, p + layout.b2 + shape.classes));
        std::vector<double> tau(shape.hidden);
        for (std::size_t i = 0; i < shape.hidden; ++i) tau[i] = std::exp(static_cast<double>(network.log_tau(i)));
        io::h5::write_vector(net, "tau", tau);
        io::h5::write_vector(net, "eps", std::vector<double>{static_cast<double>(network.eps())});
    });
}

}  // namespace myelin::cli
