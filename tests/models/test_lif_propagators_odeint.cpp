// IF_curr_exp's exact propagators (models/lif_propagators.hpp) against a numerical
// integration of its ODEs with Boost.Odeint at tight tolerance (ALGORITHMS.md 1.2; issue 3).
#include "models/lif_curr_exp.hpp"
#include "support/ode_reference.hpp"
#include "support/one_neuron.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>

using myelin::models::LifCurrExp;
using myelin::test::OneNeuron;
using myelin::test::ReferenceOde;

TEST_CASE("the IF_curr_exp propagator trajectory matches odeint's integration of its ODEs", "[models][lif][odeint]") {
    LifCurrExp::Params p;
    p.v_thresh = 1e9;  // subthreshold: the linear ODEs alone
    p.tau_syn_E = 5.0;
    p.tau_syn_I = 10.0;
    double h = 0.1;
    SECTION("synaptic input only") {}
    SECTION("with i_offset") { p.i_offset = 0.3; }  // nA: R*I = 6 mV
    SECTION("tau_syn_E equal to tau_m (the propagator's limit form), long steps") {
        p.tau_syn_E = p.tau_m;
        p.i_offset = -0.2;
        h = 1.0;
    }
    CAPTURE(p.i_offset, p.tau_syn_E, h);
    // cm dV/dt = -cm/tau_m (V - v_rest) + I_exc + I_inh + i_offset; dI/dt = -I/tau_syn.
    const ReferenceOde<3> ode(
        [p](const std::array<double, 3>& x, std::array<double, 3>& dxdt) {
            dxdt[0] = -(x[0] - p.v_rest) / p.tau_m + (x[1] + x[2] + p.i_offset) / p.cm;
            dxdt[1] = -x[1] / p.tau_syn_E;
            dxdt[2] = -x[2] / p.tau_syn_I;
        },
        1e-13);
    // Inputs (nA, exact in float) arriving in a step join the currents at its end.
    const std::map<int, std::pair<float, float>> inputs{
        {5, {0.5f, 0.0f}}, {40, {0.0f, -0.25f}}, {41, {0.5f, -0.25f}}, {300, {1.0f, 0.0f}}, {900, {0.0f, -0.75f}}};
    OneNeuron<LifCurrExp> cell(p, h);
    std::array<double, 3> x{p.v_rest, 0.0, 0.0};
    double worst = 0.0, scale = 0.0;
    for (int n = 0; n < 1500; ++n) {
        const auto in = inputs.count(n) ? inputs.at(n) : std::pair<float, float>{0.0f, 0.0f};
        cell.step(in.first, in.second);
        x = ode.integrate(x, h);
        x[1] += in.first;
        x[2] += in.second;
        worst = std::max(worst, std::abs(cell.v() - x[0]));
        scale = std::max(scale, std::abs(x[0] - p.v_rest));
    }
    REQUIRE(scale > 1.0);  // mV: the inputs moved V measurably
    // Relative to the largest excursion from rest. The propagators are exact, so what is left
    // is the reference's own error (1e-13 per step over 1500 steps) and rounding.
    CHECK(worst < 1e-9 * scale);
}
