// The SNN-LZC read-out (ALGORITHMS.md 6.6, project reconstruction): the normalised LZ76
// complexity of each output spike train is a feature; a sample goes to the class whose centroid
// is nearest in that feature space, each feature scaled by its pooled within-class spread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace myelin::learning {

// C_norm = c(n) log2(n) / n of each train (sim/lempel_ziv.hpp): one feature per train.
std::vector<double> lzc_features(const std::vector<std::vector<std::uint8_t>>& trains);

class CentroidClassifier {
public:
    // features[s] of sample s with class labels[s] in [0, classes). Throws ParamError if a class
    // has no sample or the feature sizes differ.
    void fit(const std::vector<std::vector<double>>& features, const std::vector<int>& labels, int classes);
    int predict(std::span<const double> feature) const;  // lowest class index on ties
    const std::vector<std::vector<double>>& centroids() const { return centroids_; }
    const std::vector<double>& inverse_spread() const { return inverse_spread_; }

private:
    std::vector<std::vector<double>> centroids_;  // [class][feature]
    std::vector<double> inverse_spread_;          // [feature]: 1 / pooled within-class sd (1 if 0)
};

}  // namespace myelin::learning
