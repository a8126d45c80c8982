// AdEx on Boost.Odeint: neuron steps per second through the engine's population code (against
// IF_cond_exp on the same drive), and the error of the step against a tight-tolerance
// reference integration, for the model's tolerance and two others. bench/README.md.
#include "models/adex.hpp"
#include "models/lif_cond_exp.hpp"
#include "sim/neuron_population.hpp"
#include "support/ode_reference.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <vector>

using myelin::models::AdEx;
using myelin::models::LifCondExp;

namespace {

struct Timing {
    double cpu_ns, wall_ns;  // per neuron and step
    double rate_hz;          // mean firing rate
};

// N neurons with a constant current above rheobase and initial v spread over [-70, -50],
// stepped `steps` times through NeuronPopulation (the engine's loop, no input rows).
template <class M>
Timing time_population(const typename M::Params& params, std::size_t n, int steps, double dt) {
    myelin::sim::NeuronPopulation<M> population("bench", n, params, dt);
    population.set_reads_input_ring(false);
    const auto v = population.state()[0].values;
    for (std::size_t i = 0; i < n; ++i) v.set(i, -70.0 + 20.0 * static_cast<double>(i) / static_cast<double>(n));
    std::vector<std::uint32_t> spikes;
    std::size_t count = 0;
    const auto wall0 = std::chrono::steady_clock::now();
    const std::clock_t cpu0 = std::clock();
    for (int s = 0; s < steps; ++s) {
        spikes.clear();
        population.update({s, dt}, 0, n, spikes);
        count += spikes.size();
    }
    const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    const double neuron_steps = static_cast<double>(n) * steps;
    return {cpu / neuron_steps * 1e9, wall / neuron_steps * 1e9,
            static_cast<double>(count) / static_cast<double>(n) / (steps * dt * 1e-3)};
}

struct Error {
    std::size_t spikes, reference_spikes;
    double worst_time, mean_time;  // ms
    double worst_v;                // mV, subthreshold
    double cpu_ns;                 // per step of this single neuron
};

// One neuron, 1 s of random conductance input; spike times and subthreshold V against the
// reference (Runge-Kutta-Fehlberg 7(8) at 1e-12, crossings by bisection).
Error error_against_reference(const AdEx::Params& p, double tolerance, double dt) {
    const int steps = static_cast<int>(1000.0 / dt);
    std::mt19937_64 engine(99);
    std::bernoulli_distribution exc(0.1), inh(0.05);
    std::vector<std::pair<double, double>> input(steps);
    for (auto& in : input) in = {exc(engine) ? 1.0 / 256 : 0.0, inh(engine) ? 1.0 / 128 : 0.0};

    AdEx::Propagators k = AdEx::prepare(p, dt);
    k.tolerance = {tolerance, tolerance};
    AdEx::Vector x{p.v_rest, 0.0, 0.0, 0.0};
    double refrac = 0.0;
    std::vector<double> times, v;
    const std::clock_t cpu0 = std::clock();
    for (int n = 0; n < steps; ++n) {
        const AdEx::Vector start = x;
        const auto result = AdEx::advance(p, k, x, refrac);
        x[2] = k.decay_exc * start[2] + input[n].first;
        x[3] = k.decay_inh * start[3] + input[n].second;
        if (result.spikes) times.push_back(n * dt + result.first_spike);
        v.push_back(x[0]);
    }
    const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;

    const double g_l = p.cm / p.tau_m;
    auto system = [&](bool held) {
        return myelin::test::ReferenceOde<4>([&p, g_l, held](const AdEx::Vector& y, AdEx::Vector& d) {
            const double vm = held ? p.v_reset : y[0];
            const double e = g_l * p.delta_T * std::exp((std::min(vm, p.v_spike) - p.v_thresh) / p.delta_T);
            d[0] = held ? 0.0
                        : (-g_l * (vm - p.v_rest) + e - y[1] + y[2] * (p.e_rev_E - vm) + y[3] * (p.e_rev_I - vm) +
                           p.i_offset) / p.cm;
            d[1] = (p.a * 1e-3 * (vm - p.v_rest) - y[1]) / p.tau_w;
            d[2] = -y[2] / p.tau_syn_E;
            d[3] = -y[3] / p.tau_syn_I;
        });
    };
    const auto free = system(false), held = system(true);
    AdEx::Vector r{p.v_rest, 0.0, 0.0, 0.0};
    double until = -1.0;
    std::vector<double> ref_times, ref_v;
    for (int n = 0; n < steps; ++n) {
        const double t_end = (n + 1) * dt;
        double t = n * dt;
        while (t < t_end) {
            if (until > t) {
                const double stop = std::min(until, t_end);
                r = held.integrate(r, stop - t);
                r[0] = p.v_reset;
                t = stop;
                continue;
            }
            const auto c = free.to_threshold(r, t_end - t, p.v_spike, dt / 10.0);
            if (!c) break;
            t += *c;
            ref_times.push_back(t);
            r[0] = p.v_reset;
            r[1] += p.b;
            until = t + p.tau_refrac;
        }
        r[2] += input[n].first;
        r[3] += input[n].second;
        ref_v.push_back(r[0]);
    }
    Error e{times.size(), ref_times.size(), 0.0, 0.0, 0.0, cpu / steps * 1e9};
    const std::size_t common = std::min(times.size(), ref_times.size());
    for (std::size_t i = 0; i < common; ++i) {
        const double d = std::abs(times[i] - ref_times[i]);
        e.worst_time = std::max(e.worst_time, d);
        e.mean_time += d / static_cast<double>(common);
    }
    for (int n = 0; n < steps; ++n)
        if (v[n] < p.v_thresh && ref_v[n] < p.v_thresh) e.worst_v = std::max(e.worst_v, std::abs(v[n] - ref_v[n]));
    return e;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
    const int steps = argc > 2 ? std::atoi(argv[2]) : 1000;
    const double dt = 0.1;

    AdEx::Params adex;     // PyNN defaults, above rheobase
    adex.i_offset = 0.8;
    adex.tau_refrac = 2.0;
    LifCondExp::Params lif;
    lif.i_offset = 1.0;
    lif.tau_refrac = 2.0;
    std::printf("population of %zu neurons, %d steps of %.1f ms, 1 thread\n", n, steps, dt);
    const Timing a = time_population<AdEx>(adex, n, steps, dt);
    const Timing l = time_population<LifCondExp>(lif, n, steps, dt);
    std::printf("AdEx        %8.1f ns/neuron-step CPU (%6.1f wall)  %7.2f M neuron-steps/s  rate %.1f Hz\n",
                a.cpu_ns, a.wall_ns, 1e3 / a.cpu_ns, a.rate_hz);
    std::printf("IF_cond_exp %8.1f ns/neuron-step CPU (%6.1f wall)  %7.2f M neuron-steps/s  rate %.1f Hz\n",
                l.cpu_ns, l.wall_ns, 1e3 / l.cpu_ns, l.rate_hz);
    std::printf("AdEx / IF_cond_exp cost: %.1f\n\n", a.cpu_ns / l.cpu_ns);

    std::printf("error against the reference (1 s, random conductance input, tau_refrac 2 ms)\n");
    std::printf("%-22s %-10s %8s %8s %14s %14s %12s %10s\n", "case", "tolerance", "spikes", "ref", "worst dt_spike",
                "mean dt_spike", "worst V sub", "ns/step");
    struct Case { const char* name; double v_spike; };
    for (const Case c : {Case{"v_spike -40 (PyNN)", -40.0}, Case{"v_spike 0 (NEST)", 0.0}}) {
        AdEx::Params p = adex;
        p.i_offset = 0.6;
        p.v_spike = c.v_spike;
        for (const double tol : {1e-4, 1e-6, 1e-8, 1e-10}) {
            const Error e = error_against_reference(p, tol, dt);
            std::printf("%-22s %-10.0e %8zu %8zu %11.2e ms %11.2e ms %9.2e mV %10.1f\n", c.name, tol, e.spikes,
                        e.reference_spikes, e.worst_time, e.mean_time, e.worst_v, e.cpu_ns);
        }
    }
    return 0;
}
