// The sym-STDP rule (ALGORITHMS.md 3.4, 3.9): both pairing orders potentiate by
// eta * a * exp(-|s|/tau), with the traces stepped as the network steps them (1.5 order).
#include "learning/sym_stdp.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace myelin::learning;

namespace {

// One synapse, traces decayed exactly each step, pre spike at step `pre`, post at step `post`:
// pre spikes see the post trace before this step's post spike, post spikes the pre trace after
// this step's pre spike, as in SymStdpNetwork's loop. Returns the total weight change from w = 0.
double pair_change(const SymStdpParams& p, int pre, int post, double dt = 0.5) {
    const auto decay = static_cast<float>(std::exp(-dt / p.tau_trace));
    const auto a = static_cast<float>(p.trace_increment);
    float x = 0.f, y = 0.f, w = 0.f;
    for (int k = 0; k <= std::max(pre, post); ++k) {
        x *= decay;
        y *= decay;
        if (k == pre) {
            w = sym_stdp_on_pre(p, w, y);
            x += a;
        }
        if (k == post) {
            w = sym_stdp_on_post(p, w, x);
            y += a;
        }
    }
    return w;
}

}  // namespace

TEST_CASE("sym-STDP potentiates pre-post and post-pre pairs at +-10 ms by the same eta*a*exp(-0.5)",
          "[learning][sym_stdp]") {
    const SymStdpParams p{.tau_trace = 20.0, .trace_increment = 0.1, .eta = 0.005, .w_max = 1.0};
    const double expected = 0.005 * 0.1 * std::exp(-0.5);
    // Float traces lose about 1e-7 relative per decay step; 20 steps stay well inside 1e-5.
    CHECK(pair_change(p, 10, 30) == Approx(expected).epsilon(1e-5));   // s = +10 ms
    CHECK(pair_change(p, 30, 10) == Approx(expected).epsilon(1e-5));   // s = -10 ms
}

TEST_CASE("the sym-STDP pair change follows the symmetric window at every lag", "[learning][sym_stdp]") {
    const SymStdpParams p{.tau_trace = 20.0, .trace_increment = 0.1, .eta = 0.02, .w_max = 1.0};
    for (const int lag : {1, 2, 10, 40, 80}) {   // steps of 0.5 ms: 0.5 to 40 ms
        CAPTURE(lag);
        const double s = lag * 0.5;
        CHECK(pair_change(p, 100, 100 + lag) == Approx(sym_stdp_window(p, s)).epsilon(1e-4));
        CHECK(pair_change(p, 100 + lag, 100) == Approx(sym_stdp_window(p, -s)).epsilon(1e-4));
    }
}

TEST_CASE("a coincident pre and post spike potentiates once, through the post branch", "[learning][sym_stdp]") {
    const SymStdpParams p{.tau_trace = 20.0, .trace_increment = 0.1, .eta = 0.04, .w_max = 8.0};
    CHECK(pair_change(p, 5, 5) == Approx(0.04 * 0.1).epsilon(1e-6));
}

TEST_CASE("sym-STDP clips at w_max and never lowers a weight", "[learning][sym_stdp]") {
    const SymStdpParams p{.tau_trace = 20.0, .trace_increment = 0.1, .eta = 0.5, .w_max = 1.0};
    CHECK(sym_stdp_on_post(p, 0.9f, 1.0f) == 1.0f);
    CHECK(sym_stdp_on_pre(p, 0.9f, 1.0f) == 1.0f);
    CHECK(sym_stdp_on_pre(p, 0.3f, 0.0f) == 0.3f);
    CHECK(sym_stdp_on_post(p, 0.3f, 0.2f) == Approx(0.4f));
}
