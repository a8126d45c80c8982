// myelin models: the catalogue, printed from the same registries the config reader uses.
#include "experiments/catalogue.hpp"
#include "experiments/commands.hpp"
#include "sim/param_check.hpp"

#include <iostream>

namespace myelin::cli {

int models_command() {
    const Catalogue catalogue;
    for (const auto& m : catalogue.models.models()) {
        std::cout << m.name << (m.spike_source ? "  (spike source)" : "") << ": " << m.description << "\n";
        for (const auto& p : m.params)
            std::cout << "    " << p.key << " = " << sim::format_number(p.default_value) << "  " << p.unit << "\n";
        if (!m.state.empty()) {
            std::cout << "    state (recordable, init):";
            for (const auto& s : m.state) std::cout << " " << s.name << " [" << s.unit << "]";
            std::cout << "\n";
        }
    }
    std::cout << "homeostasis (adaptive threshold; " << sim::join(catalogue.models.adaptive_threshold_names())
              << "; adds state theta [mV], rate [Hz]):\n";
    const sim::ThresholdHomeostasisParams homeostasis_defaults;
    for (const auto& f : sim::threshold_homeostasis_fields)
        std::cout << "    " << f.key << " = " << sim::format_number(homeostasis_defaults.*(f.member)) << "  " << f.unit << "\n";
    for (const auto& r : catalogue.rules.rules()) {
        std::cout << "plasticity rule = \"" << r.rule << "\", weight_dependence = \"" << r.weight_dependence
                  << "\", pairing = \"" << sim::join(sim::PlasticityRegistry::pairings(), "\" | \"") << "\"\n";
        for (const auto& p : r.params)
            std::cout << "    " << p.key << " = " << sim::format_number(p.default_value) << "  " << p.unit << "\n";
    }
    return 0;
}

}  // namespace myelin::cli
