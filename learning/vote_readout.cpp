// The vote readout (vote_readout.hpp).
#include "learning/vote_readout.hpp"

#include "sim/error.hpp"

#include <algorithm>

namespace myelin::learning {

VoteReadout::VoteReadout(std::size_t neurons, std::size_t classes, double memory)
    : neurons_(neurons), classes_(classes), keep_(keep_of(memory)),
      sums_(neurons * classes, 0.0), samples_(classes, 0.0) {}

void VoteReadout::add(std::span<const std::uint16_t> counts, int label) {
    MYELIN_ASSERT(counts.size() == neurons_ && label >= 0 && static_cast<std::size_t>(label) < classes_);
    for (double& s : sums_) s *= keep_;
    for (double& n : samples_) n *= keep_;
    const auto c = static_cast<std::size_t>(label);
    samples_[c] += 1.0;
    for (std::size_t i = 0; i < neurons_; ++i) sums_[i * classes_ + c] += counts[i];
}

void VoteReadout::clear() {
    std::fill(sums_.begin(), sums_.end(), 0.0);
    std::fill(samples_.begin(), samples_.end(), 0.0);
}

void VoteReadout::set_memory(double memory) { keep_ = keep_of(memory); }

double VoteReadout::total_weight() const {
    double total = 0.0;
    for (const double n : samples_) total += n;
    return total;
}

std::vector<int> VoteReadout::assignments() const {
    std::vector<int> assigned(neurons_, -1);
    for (std::size_t i = 0; i < neurons_; ++i) {
        double best = 0.0;
        for (std::size_t c = 0; c < classes_; ++c) {
            if (samples_[c] <= 0.0) continue;
            const double mean = sums_[i * classes_ + c] / samples_[c];
            if (mean > best) {
                best = mean;
                assigned[i] = static_cast<int>(c);
            }
        }
    }
    return assigned;
}

int VoteReadout::predict(std::span<const std::uint16_t> counts, const std::vector<int>& assignments,
                         std::size_t classes) {
    std::vector<double> sum(classes, 0.0), members(classes, 0.0);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (assignments[i] < 0) continue;
        sum[static_cast<std::size_t>(assignments[i])] += counts[i];
        members[static_cast<std::size_t>(assignments[i])] += 1.0;
    }
    int best = 0;
    double best_score = -1.0;
    for (std::size_t c = 0; c < classes; ++c) {
        const double score = members[c] > 0.0 ? sum[c] / members[c] : 0.0;
        if (score > best_score) {
            best_score = score;
            best = static_cast<int>(c);
        }
    }
    return best;
}

}  // namespace myelin::learning
