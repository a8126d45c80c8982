// Names of the spike-derivative estimators (spike_estimators.hpp).
#include "learning/spike_estimators.hpp"

#include "sim/error.hpp"
#include "sim/suggest.hpp"

namespace myelin::learning {

std::string estimator_name(SpikeEstimator estimator) {
    return estimator == SpikeEstimator::straight_through ? "straight_through" : "sigmoid_adjusted";
}

std::vector<std::string> estimator_names() { return {"straight_through", "sigmoid_adjusted"}; }

SpikeEstimator parse_estimator(const std::string& name) {
    if (name == "straight_through") return SpikeEstimator::straight_through;
    if (name == "sigmoid_adjusted") return SpikeEstimator::sigmoid_adjusted;
    throw ParamError("estimator", "estimator = \"" + name + "\" is not known" +
                                      sim::did_you_mean(name, estimator_names()) + "; known: " +
                                      sim::join(estimator_names()));
}

}  // namespace myelin::learning
