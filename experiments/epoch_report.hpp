// Pieces of the gradient trainers' HDF5 reports (BPTT, TESS): the per-epoch table and weight
// matrices, written into a file that report_file.hpp writes whole.
#pragma once

#include "learning/epoch_stats.hpp"

#include <H5Cpp.h>

#include <string>
#include <vector>

namespace myelin::cli {

struct EpochRecord {
    std::size_t epoch = 0;
    learning::Evaluation train;  // running means during the epoch
    learning::Evaluation test;   // after the epoch
    double eps = 0.0;            // BPTT: the Ultra layer's temperature after the epoch
    double seconds = 0.0;        // wall time of the epoch (training and test)
};

// <group>/{epoch, loss, train_accuracy, spike_rate, test_loss, test_accuracy, test_spike_rate, seconds}.
void write_epoch_table(H5::Group& group, const std::vector<EpochRecord>& records);

// A [rows][columns] dataset from a column-major block (Eigen's layout) of floats.
void write_column_major(H5::Group& group, const std::string& name, const float* column_major, std::size_t rows,
                        std::size_t columns);

}  // namespace myelin::cli
