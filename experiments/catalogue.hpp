// The registries main() fills and hands down: every model and rule a config can name.
#pragma once

#include "learning/register_rules.hpp"
#include "models/register_models.hpp"

namespace myelin::cli {

struct Catalogue {
    sim::ModelRegistry models;
    sim::PlasticityRegistry rules;
    Catalogue() {
        models::register_models(models);
        learning::register_rules(rules);
    }
};

}  // namespace myelin::cli
