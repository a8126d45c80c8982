// Per-epoch tables and weight matrices of the trainers' reports (epoch_report.hpp).
#include "experiments/epoch_report.hpp"

#include "io/hdf5_util.hpp"

#include <cstdint>

namespace myelin::cli {

void write_epoch_table(H5::Group& group, const std::vector<EpochRecord>& records) {
    std::vector<std::int64_t> epoch;
    std::vector<double> loss, train_accuracy, spike_rate, test_loss, test_accuracy, test_spike_rate, seconds;
    for (const EpochRecord& e : records) {
        epoch.push_back(static_cast<std::int64_t>(e.epoch));
        loss.push_back(e.train.loss);
        train_accuracy.push_back(e.train.accuracy);
        spike_rate.push_back(e.train.spike_rate);
        test_loss.push_back(e.test.loss);
        test_accuracy.push_back(e.test.accuracy);
        test_spike_rate.push_back(e.test.spike_rate);
        seconds.push_back(e.seconds);
    }
    io::h5::write_vector(group, "epoch", epoch);
    io::h5::write_vector(group, "loss", loss);
    io::h5::write_vector(group, "train_accuracy", train_accuracy);
    io::h5::write_vector(group, "spike_rate", spike_rate);
    io::h5::write_vector(group, "test_loss", test_loss);
    io::h5::write_vector(group, "test_accuracy", test_accuracy);
    io::h5::write_vector(group, "test_spike_rate", test_spike_rate);
    io::h5::write_vector(group, "seconds", seconds);
}

void write_column_major(H5::Group& group, const std::string& name, const float* column_major, std::size_t rows,
                        std::size_t columns) {
    std::vector<float> row_major(rows * columns);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < columns; ++c) row_major[r * columns + c] = column_major[c * rows + r];
    const hsize_t dims[2] = {rows, columns};
    H5::DataSet set = group.createDataSet(name, H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, dims));
    set.write(row_major.data(), H5::PredType::NATIVE_FLOAT);
}

}  // namespace myelin::cli
