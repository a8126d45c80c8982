// The one list of plasticity rules a config can name.
#include "learning/register_rules.hpp"

#include "learning/stdp.hpp"
#include "learning/stdp_symmetric.hpp"

namespace myelin::learning {

void register_rules(sim::PlasticityRegistry& registry) {
    registry.add<StdpAdditive>();
    registry.add<StdpMultiplicative>();
    registry.add<StdpSoftBound>();
    registry.add<StdpSymmetric>();
}

}  // namespace myelin::learning
