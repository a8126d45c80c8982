// IF_cond_exp: exact relaxation without input, and a conductance PSP against a tight
// Dormand-Prince integration of the same ODE (Boost.Odeint), converging at first order in dt.
#include "models/lif_cond_exp.hpp"
#include "support/one_neuron.hpp"

#include <boost/numeric/odeint.hpp>
#include <catch2/catch.hpp>

#include <cmath>

using myelin::models::LifCondExp;
using myelin::test::OneNeuron;

namespace {

LifCondExp::Params cell_params() {
    LifCondExp::Params p;
    p.cm = 0.2;
    p.tau_m = 20.0;
    p.v_rest = -60.0;
    p.v_thresh = 1e9;  // subthreshold only
    p.e_rev_E = 0.0;
    p.tau_syn_E = 5.0;
    return p;
}

// Largest deviation of the simulated PSP from the reference over 50 ms after one input of w uS,
// relative to the PSP's peak.
double worst_psp_error(double h, double w) {
    const auto p = cell_params();
    OneNeuron<LifCondExp> cell(p, h);
    cell.step(w);  // joins g_exc at t0 = h
    const double t0 = h, g_leak = p.cm / p.tau_m;
    using State = std::array<double, 1>;
    State v{p.v_rest};
    double t = t0, worst = 0.0, peak = 0.0;
    auto stepper = boost::numeric::odeint::make_controlled<boost::numeric::odeint::runge_kutta_dopri5<State>>(1e-12, 1e-12);
    const auto rhs = [&](const State& x, State& dxdt, double time) {
        const double g = w * std::exp(-(time - t0) / p.tau_syn_E);
        dxdt[0] = (g_leak * (p.v_rest - x[0]) + g * (p.e_rev_E - x[0])) / p.cm;
    };
    for (int n = 1; (n + 1) * h <= 50.0 + 1e-9; ++n) {
        cell.step();
        boost::numeric::odeint::integrate_adaptive(stepper, rhs, v, t, (n + 1) * h, h / 4);
        t = (n + 1) * h;
        worst = std::max(worst, std::abs(cell.v() - v[0]));
        peak = std::max(peak, v[0] - p.v_rest);
    }
    return worst / peak;
}

}  // namespace

TEST_CASE("without input the membrane relaxes exactly towards v_rest + i_offset/g_leak", "[models][lif_cond]") {
    auto p = cell_params();
    p.i_offset = 0.05;  // nA
    const double h = 0.1, g_leak = p.cm / p.tau_m, v_inf = p.v_rest + p.i_offset / g_leak;
    OneNeuron<LifCondExp> cell(p, h);
    for (int n = 1; n <= 300; ++n) {
        cell.step();
        CHECK(cell.v() == Approx(v_inf + (p.v_rest - v_inf) * std::exp(-n * h / p.tau_m)).epsilon(1e-11));
    }
}

TEST_CASE("a conductance PSP matches a tight ODE integration to first order in dt", "[models][lif_cond]") {
    const double w = 0.01;  // uS: a PSP of about 10 mV
    const double coarse = worst_psp_error(0.1, w), fine = worst_psp_error(0.01, w);
    CAPTURE(coarse, fine);
    // Exponential Euler with conductances frozen over the step errs by O(dt/tau_syn) of the PSP
    // (dt/(2*tau_syn) = 1% at 0.1 ms), and the error falls ~10x with dt.
    CHECK(coarse < 0.02);
    CHECK(fine < coarse / 5.0);
}
