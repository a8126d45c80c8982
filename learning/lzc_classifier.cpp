// Nearest-centroid classification of Lempel-Ziv complexity features (lzc_classifier.hpp).
#include "learning/lzc_classifier.hpp"

#include "sim/error.hpp"
#include "sim/lempel_ziv.hpp"

#include <cmath>
#include <limits>
#include <string>

namespace myelin::learning {

std::vector<double> lzc_features(const std::vector<std::vector<std::uint8_t>>& trains) {
    std::vector<double> out;
    out.reserve(trains.size());
    for (const auto& train : trains) out.push_back(sim::lz76_normalised(train, 2));
    return out;
}

void CentroidClassifier::fit(const std::vector<std::vector<double>>& features, const std::vector<int>& labels,
                             int classes) {
    if (features.empty() || features.size() != labels.size())
        throw ParamError("features", "the centroid classifier needs one label per sample and at least one sample");
    const std::size_t dims = features.front().size();
    centroids_.assign(static_cast<std::size_t>(classes), std::vector<double>(dims, 0.0));
    std::vector<std::size_t> counts(static_cast<std::size_t>(classes), 0);
    for (std::size_t s = 0; s < features.size(); ++s) {
        if (features[s].size() != dims) throw ParamError("features", "samples have different numbers of features");
        const auto c = static_cast<std::size_t>(labels[s]);
        ++counts[c];
        for (std::size_t d = 0; d < dims; ++d) centroids_[c][d] += features[s][d];
    }
    for (std::size_t c = 0; c < counts.size(); ++c) {
        if (counts[c] == 0) throw ParamError("labels", "class " + std::to_string(c) + " has no training sample");
        for (double& x : centroids_[c]) x /= static_cast<double>(counts[c]);
    }
    std::vector<double> squares(dims, 0.0);
    for (std::size_t s = 0; s < features.size(); ++s)
        for (std::size_t d = 0; d < dims; ++d) {
            const double deviation = features[s][d] - centroids_[static_cast<std::size_t>(labels[s])][d];
            squares[d] += deviation * deviation;
        }
    inverse_spread_.assign(dims, 1.0);
    const double degrees = static_cast<double>(features.size()) - static_cast<double>(classes);
    for (std::size_t d = 0; d < dims; ++d) {
        const double sd = degrees > 0 ? std::sqrt(squares[d] / degrees) : 0.0;
        // A feature with no spread inside classes would divide by zero: leave it unscaled.
        if (sd > 1e-12) inverse_spread_[d] = 1.0 / sd;
    }
}

int CentroidClassifier::predict(std::span<const double> feature) const {
    int best = 0;
    double best_distance = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < centroids_.size(); ++c) {
        double distance = 0.0;
        for (std::size_t d = 0; d < feature.size(); ++d) {
            const double z = (feature[d] - centroids_[c][d]) * inverse_spread_[d];
            distance += z * z;
        }
        if (distance < best_distance) {
            best_distance = distance;
            best = static_cast<int>(c);
        }
    }
    return best;
}

}  // namespace myelin::learning
