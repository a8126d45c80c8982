// The small networks the GPU tests hold the GPU to the CPU with (test_gpu_backend.cpp,
// test_gpu_recording.cpp), as config text.
#pragma once

#include <cmath>
#include <string>

namespace myelin::test {

// Feed-forward from spike arrays into the three LIF models, through constant and per-synapse
// delays. Weights are multiples of 2^-6, so every sum is exact in float, double and fixed
// point: any difference would be a difference in the step itself.
inline std::string feed_forward() {
    std::string times = "[";
    for (int i = 0; i < 100; ++i) {
        times += "[";
        for (int k = 0; k < 12; ++k) times += std::to_string(1.0 + std::fmod(i * 7.3 + k * 16.1, 190.0)) + (k < 11 ? ", " : "");
        times += i < 99 ? "], " : "]";
    }
    times += "]";
    return "[simulation]\nduration = 200.0\nseed = 3\n"
           "[[population]]\nname = \"input\"\nsize = 100\nmodel = \"SpikeSourceArray\"\nparams = { spike_times = " + times + " }\n"
           "[[population]]\nname = \"cuba\"\nsize = 60\nmodel = \"IF_curr_exp\"\nparams = { tau_m = 10.0, tau_syn_E = 2.0, tau_syn_I = 4.0 }\n"
           "init = { v = { uniform = [-65.0, -55.0] } }\n"
           "[[population]]\nname = \"coba\"\nsize = 60\nmodel = \"IF_cond_exp\"\n"
           "[[population]]\nname = \"delta\"\nsize = 60\nmodel = \"IF_curr_delta\"\nparams = { tau_refrac = 2.0 }\n"
           "[[projection]]\npre = \"input\"\npost = \"cuba\"\nconnect = { rule = \"fixed_probability\", p = 0.3 }\nweight = 1.25\ndelay = 1.0\n"
           "[[projection]]\nname = \"cuba_inh\"\npre = \"input\"\npost = \"cuba\"\nreceptor = \"inhibitory\"\nconnect = { rule = \"fixed_probability\", p = 0.1 }\nweight = -0.5\ndelay = { uniform = [0.5, 4.0] }\n"
           "[[projection]]\npre = \"input\"\npost = \"coba\"\nconnect = { rule = \"fixed_probability\", p = 0.3 }\nweight = 0.015625\ndelay = { uniform = [0.5, 4.0] }\n"
           "[[projection]]\npre = \"input\"\npost = \"delta\"\nconnect = { rule = \"fixed_number_pre\", n = 20 }\nweight = 2.5\ndelay = 2.0\n";
}

// Pair STDP feed-forward: 100 spike-array inputs whose spikes all fall in different steps (so a
// post neuron never sums two inputs in one step and every input sum is exact), onto two LIF
// populations through additive all-to-all and multiplicative nearest-spike STDP.
inline std::string plastic_feed_forward() {
    std::string times = "[";
    for (int i = 0; i < 100; ++i) {
        times += "[";
        for (int k = 0; k < 8; ++k) times += std::to_string(0.3 + 0.1 * ((i * 8 + k) * 37 % 2400)) + (k < 7 ? ", " : "");
        times += i < 99 ? "], " : "]";
    }
    times += "]";
    return "[simulation]\nduration = 260.0\nseed = 5\n"
           "[[population]]\nname = \"input\"\nsize = 100\nmodel = \"SpikeSourceArray\"\nparams = { spike_times = " + times + " }\n"
           "[[population]]\nname = \"add\"\nsize = 20\nmodel = \"IF_curr_exp\"\nparams = { tau_m = 10.0, tau_syn_E = 2.0 }\n"
           "init = { v = { uniform = [-65.0, -52.0] } }\n"
           "[[population]]\nname = \"mult\"\nsize = 20\nmodel = \"IF_curr_delta\"\nparams = { tau_refrac = 2.0 }\n"
           "[[projection]]\npre = \"input\"\npost = \"add\"\nconnect = { rule = \"fixed_probability\", p = 0.5 }\nweight = 1.5\ndelay = 1.0\n"
           "plasticity = { rule = \"stdp\", weight_dependence = \"additive\", A_plus = 0.1, A_minus = 0.12, w_min = 0.05, w_max = 3.0 }\n"
           "[[projection]]\npre = \"input\"\npost = \"mult\"\nconnect = { rule = \"fixed_probability\", p = 0.5 }\nweight = 4.0\ndelay = 0.5\n"
           "plasticity = { rule = \"stdp\", weight_dependence = \"multiplicative\", pairing = \"nearest\", A_plus = 0.05, A_minus = 0.06, w_min = 0.05, w_max = 8.0 }\n";
}

}  // namespace myelin::test
