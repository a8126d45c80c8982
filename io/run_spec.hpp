// Everything a config asks for: the network, how long and how to run it, and what to record.
#pragma once

#include "sim/network_spec.hpp"

#include <string>
#include <vector>

namespace myelin::io {

struct StateRecordSpec {
    std::string population;
    bool spikes = false;
    std::vector<std::string> variables;  // state variables to sample
    std::vector<std::uint32_t> neurons;  // whose state is sampled; empty with all_neurons
    bool all_neurons = false;
    double interval = 0.0;               // ms between samples; 0 = every step
};

struct WeightRecordSpec {
    std::string projection;
    double interval = 0.0;  // ms between snapshots; 0 = at the start and the end only
};

struct RunSpec {
    sim::NetworkSpec network;
    double duration = 1000.0;  // ms
    int threads = 0;           // 0: all cores
    int batch = 1;             // independent copies of the network ([simulation] batch)
    std::string sweep_key;              // --sweep: the --set key that differs between copies
    std::vector<double> sweep_values;   // its value in each copy
    std::vector<StateRecordSpec> records;
    std::vector<WeightRecordSpec> weight_records;
    std::string output_file;   // empty: no recording
    std::string config_path;
    std::string config_text;   // the file as read
    std::vector<std::string> overrides;  // --set key=value, in order
};

}  // namespace myelin::io
