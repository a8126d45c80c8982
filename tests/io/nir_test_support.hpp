// Shared by the NIR tests: a scratch folder, the small network they export, and import helpers.
#pragma once

#include "support/scratch_dir.hpp"

#include "io/config.hpp"
#include "io/nir_import.hpp"
#include "support/simulate.hpp"

#include <unistd.h>

#include <filesystem>
#include <string>

namespace myelin::test {

inline std::string fixture(const std::string& name) { return std::string(MYELIN_SOURCE_DIR) + "/tests/fixtures/nir/" + name; }

// Imports `nir` into `dir`/cfg.toml and reads that config back as `myelin run` would.
inline io::RunSpec import_and_load(const std::string& nir, const ScratchDir& dir, const io::NirImportOptions& options) {
    io::import_nir(nir, dir / "cfg.toml", options);
    return io::load_config(dir / "cfg.toml", {}, catalogue().models, catalogue().rules);
}

// Every population kind and projection shape NIR can express exactly: spike-array and Poisson
// input (same population order, so the same random streams),
// CubaLIF (one synaptic time constant), LI+LIF (two), delta LIF; recurrence, inhibition, one
// delay and a spread of delays, constant input folded into v_leak, refractory periods.
inline const char* nir_network_toml = R"(
[simulation]
duration = 300.0
seed = 7
[[population]]
name = "in"
size = 4
model = "SpikeSourceArray"
params = { spike_times = [[5.0, 10.0, 50.0], [7.5, 20.0], [12.0], [3.0, 30.0, 60.0]] }
[[population]]
name = "a"
size = 30
model = "IF_curr_exp"
params = { cm = 0.25, tau_m = 15.0, tau_syn_E = 4.0, tau_syn_I = 4.0, v_rest = -60.0, v_reset = -65.0, v_thresh = -52.0, tau_refrac = 2.0, i_offset = 0.4 }
init = { v = { uniform = [-65.0, -53.0] } }
[[population]]
name = "b"
size = 10
model = "IF_curr_exp"
params = { cm = 0.2, tau_m = 20.0, tau_syn_E = 3.0, tau_syn_I = 8.0, v_rest = -60.0, v_reset = -60.0, v_thresh = -50.0, tau_refrac = 1.0, i_offset = 0.5 }
init = { v = { uniform = [-60.0, -51.0] } }
[[population]]
name = "d"
size = 10
model = "IF_curr_delta"
params = { tau_m = 10.0, v_rest = 0.0, v_reset = 5.0, v_thresh = 15.0, tau_refrac = 0.5, i_offset = 1.4 }
init = { v = { uniform = [0.0, 14.0] } }
[[population]]
name = "noise"
size = 5
model = "SpikeSourcePoisson"
params = { rate = 40.0, start = 20.0 }
[[projection]]
name = "noise_a"
pre = "noise"
post = "a"
connect = { rule = "fixed_probability", p = 0.3 }
weight = 0.4
delay = 0.5
[[projection]]
name = "in_a"
pre = "in"
post = "a"
connect = { rule = "fixed_probability", p = 0.5 }
weight = { uniform = [0.5, 1.5] }
delay = 1.0
[[projection]]
name = "a_a"
pre = "a"
post = "a"
connect = { rule = "fixed_probability", p = 0.2, allow_self = false }
weight = 0.2
delay = { uniform = [0.5, 2.0] }
[[projection]]
name = "a_b"
pre = "a"
post = "b"
connect = { rule = "fixed_probability", p = 0.3 }
weight = 0.3
delay = 1.5
[[projection]]
name = "b_a"
pre = "b"
post = "a"
receptor = "inhibitory"
connect = { rule = "all_to_all" }
weight = -0.1
[[projection]]
name = "b_d"
pre = "b"
post = "d"
connect = { rule = "all_to_all" }
weight = 2.0
delay = 0.3
[[projection]]
name = "d_b"
pre = "d"
post = "b"
receptor = "inhibitory"
connect = { rule = "one_to_one" }
weight = -0.2
delay = 0.2
)";

}  // namespace myelin::test
