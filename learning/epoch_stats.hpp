// What the gradient trainers (BPTT, TESS) report during and after an epoch, for progress lines
// and reports.
#pragma once

#include <cstddef>
#include <vector>

namespace myelin::learning {

struct EpochProgress {
    std::size_t epoch = 0, samples_done = 0, samples_total = 0;
    double loss = 0.0, accuracy = 0.0, spike_rate = 0.0;  // running means over the epoch so far
};

struct Evaluation {
    double loss = 0.0, accuracy = 0.0, spike_rate = 0.0;  // means over the samples
};

// The running sums of an epoch, batch by batch: what the progress lines show and the epoch's
// result. Parts are added in their fixed order (determinism).
class EpochTally {
public:
    // neuron_steps: hidden neurons x steps per sample, the spike rate's denominator.
    EpochTally(std::size_t epoch, std::size_t samples_total, double neuron_steps)
        : neuron_steps_(neuron_steps) {
        progress_.epoch = epoch;
        progress_.samples_total = samples_total;
    }

    // One batch of `size` samples ending at sample `samples_done`; Stats has the batch-mean loss
    // contribution `loss`, `correct` and `spike_sum` of its part.
    template <class Stats>
    const EpochProgress& add_batch(const std::vector<Stats>& parts, std::size_t size, std::size_t samples_done) {
        for (const Stats& part : parts) {
            loss_sum_ += part.loss * static_cast<double>(size);
            correct_ += part.correct;
            spike_sum_ += part.spike_sum;
        }
        progress_.samples_done = samples_done;
        const double done = static_cast<double>(samples_done);
        progress_.loss = loss_sum_ / done;
        progress_.accuracy = static_cast<double>(correct_) / done;
        progress_.spike_rate = spike_sum_ / (done * neuron_steps_);
        return progress_;
    }

    Evaluation result() const { return {progress_.loss, progress_.accuracy, progress_.spike_rate}; }

private:
    EpochProgress progress_;
    double neuron_steps_, loss_sum_ = 0.0, spike_sum_ = 0.0;
    std::size_t correct_ = 0;
};

}  // namespace myelin::learning
