// What the gradient trainers (BPTT, TESS) report during and after an epoch, for progress lines
// and reports.
#pragma once

#include <cstddef>

namespace myelin::learning {

struct EpochProgress {
    std::size_t epoch = 0, samples_done = 0, samples_total = 0;
    double loss = 0.0, accuracy = 0.0, spike_rate = 0.0;  // running means over the epoch so far
};

struct Evaluation {
    double loss = 0.0, accuracy = 0.0, spike_rate = 0.0;  // means over the samples
};

}  // namespace myelin::learning
