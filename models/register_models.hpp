// The one list of neuron models and spike sources a config can name.
#pragma once

#include "sim/model_registry.hpp"

namespace myelin::models {
void register_models(sim::ModelRegistry& registry);
}
