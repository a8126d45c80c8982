// The one list of plasticity rules a config can name.
#pragma once

#include "sim/plasticity_registry.hpp"

namespace myelin::learning {
void register_rules(sim::PlasticityRegistry& registry);
}
