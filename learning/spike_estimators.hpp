// Gradient estimators for stochastic binary (spiking) units (Bengio, Leonard & Courville 2013;
// ALGORITHMS.md 8.2-8.3): the straight-through estimator, its sigmoid-adjusted form with a slope
// (slope annealing, Chung et al. 2016), and REINFORCE with the minimum-variance baseline.
#pragma once

#include <cmath>
#include <string>
#include <vector>

namespace myelin::learning {

inline double sigmoid(double a) noexcept {
    // Two forms so that exp never overflows: exp(-|a|) <= 1.
    const double e = std::exp(-std::abs(a));
    return a >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}
inline double softplus(double a) noexcept { return a > 30.0 ? a : std::log1p(std::exp(a)); }
// The inverse of softplus, for initialising raw parameters from physical values (y > 0).
inline double inverse_softplus(double y) noexcept { return y > 30.0 ? y : std::log(std::expm1(y)); }
inline double logit(double p) noexcept { return std::log(p / (1.0 - p)); }

// A stochastic binary unit h = [z < sigmoid(a)]: what its backward pass uses for dh/da.
enum class SpikeEstimator {
    straight_through,  // dh/da := 1 (identity; 8.3 item 1)
    sigmoid_adjusted,  // dh/da := slope * s(1 - s) with s = sigmoid(slope * a) (8.3 item 2)
};

std::string estimator_name(SpikeEstimator estimator);
// "straight_through" or "sigmoid_adjusted"; throws ParamError (key "estimator") otherwise.
SpikeEstimator parse_estimator(const std::string& name);
std::vector<std::string> estimator_names();

inline double straight_through_derivative(double /*a*/) noexcept { return 1.0; }

// d/da sigmoid(slope * a). With slope = 1 this is p(1 - p), the derivative of the firing
// probability itself: the exact gradient of the expected (mean-field) unit.
inline double sigmoid_adjusted_derivative(double a, double slope) noexcept {
    const double s = sigmoid(slope * a);
    return slope * s * (1.0 - s);
}

inline double spike_derivative(SpikeEstimator estimator, double a, double slope) noexcept {
    return estimator == SpikeEstimator::straight_through ? straight_through_derivative(a)
                                                         : sigmoid_adjusted_derivative(a, slope);
}

// REINFORCE for one unit: g_a = (h - p)(L - b) is an unbiased estimate of d E[L] / da, because
// (h - p) = d log P(h) / da for h ~ Bernoulli(sigmoid(a)). 8.3 item 3.
inline double reinforce_gradient(int h, double p, double loss, double baseline) noexcept {
    return (static_cast<double>(h) - p) * (loss - baseline);
}

// The minimum-variance per-unit baseline b = E[(h-p)^2 L] / E[(h-p)^2], both expectations
// tracked as exponential moving averages (decay 0.99 by default).
class ReinforceBaseline {
public:
    explicit ReinforceBaseline(double decay = 0.99) : decay_(decay) {}
    double value() const noexcept { return denominator_ > 0.0 ? numerator_ / denominator_ : 0.0; }
    void update(int h, double p, double loss) noexcept {
        const double weight = (h - p) * (h - p);
        numerator_ = decay_ * numerator_ + (1.0 - decay_) * weight * loss;
        denominator_ = decay_ * denominator_ + (1.0 - decay_) * weight;
    }

private:
    double decay_, numerator_ = 0.0, denominator_ = 0.0;
};

}  // namespace myelin::learning
