// The myelin command's subcommands. Each returns the process exit code; errors are thrown as
// myelin::Error and printed once by main().
#pragma once

#include "sim/error.hpp"

#include <string>
#include <vector>

namespace myelin::io {
struct RunSpec;
}

namespace myelin::cli {

struct Catalogue;

inline constexpr int exit_usage = 2;        // bad config or command line; no output written
inline constexpr int exit_error = 1;        // any other Myelin error
inline constexpr int exit_internal = 3;     // a bug
inline constexpr int exit_interrupted = 130;

struct RunOptions {
    std::string config;          // a TOML config, or a checkpoint to resume
    std::string duration;        // --duration, e.g. "500ms", "2s", "500" (ms); empty: the config's
    std::string checkpoint_at;   // --checkpoint-at, a simulated time as for --duration
    std::string checkpoint;      // --checkpoint file
    std::string output;          // -o; empty: the config's [output] file or <config stem>.h5
    bool no_output = false;
    int threads = -1;            // -1: from the config
    long long seed = -1;         // -1: from the config
    std::vector<std::string> set;
    std::string report_json;     // path, or empty
    bool quiet = false;
    bool view = false;           // --view: a live window (docs/viewer.md)
    std::string view_size = "1600x900";
    double view_span_ms = 1000.0;  // --view-span: simulated time shown while following the run
    double close_after_s = 0.0;  // --close-after: the live window closes itself (scripts, tests)
    std::string view_panels;     // --view-panels, as myelin plot's --panels
    std::string field_shape;     // --field-shape, as myelin plot's
    int batch = 0;               // --batch; 0: [simulation] batch
    std::string sweep;           // --sweep KEY=FROM:TO:COUNT, or empty
    std::string backend = "cpu"; // --backend cpu|cuda (docs/gpu.md)
    int gpu_chunk = 1000;        // --gpu-chunk: steps per launch (a CUDA graph, or one resident kernel)
    std::string gpu_kernel = "auto";  // --gpu-kernel: auto, interval or resident
};

// A time on the command line ("500ms", "0.5s", "500"), in ms; throws ConfigError naming `option`.
double parse_time_ms(const std::string& text, const std::string& option);

// Batched runs on the CPU (--batch, --sweep): the copies one after the other into one recording.
int run_batch_command(const RunOptions& options);
// The copies' specs of a batched run: the config with the command line's overrides and --sweep.
std::vector<io::RunSpec> batch_run_specs(const RunOptions& options, const Catalogue& catalogue);
// --backend cuda (docs/gpu.md): exits 2 with a clear message where no GPU (or no CUDA build) is.
int run_cuda_command(const RunOptions& options);

// A command line that parses but asks for something that does not exist: exit 2.
class UsageError : public Error {
public:
    using Error::Error;
};

struct ExportOptions {
    std::string input;             // config (TOML) or checkpoint (HDF5)
    std::string to;                // target: one of export_targets()
    std::string output;            // -o: directory (spinnaker) or file (nir)
    std::vector<std::string> set;
    long long seed = -1;           // -1: from the config
    bool quiet = false;
    // spinnaker
    double timestep = 0.0;         // ms; 0: chosen from dt
    int neurons_per_core = 0;      // 0: the target's default
    bool approximate = false;      // accept documented approximations
    // nir
    std::string time_unit = "ms";  // the unit of every time in the file
    long long max_dense = 0;       // entries per weight matrix; 0 = the default limit
};

struct ImportOptions {
    std::string input;       // .nir
    std::string output;      // config to write
    std::string time_unit;   // empty: from the file's metadata
    double dt = 0.0;         // ms; 0: from the file's metadata
    double duration = 0.0;   // ms; 0: from the file's metadata, else 1000
};

struct TrainOptions {
    std::string config;          // a TOML config with a [train] table (docs/learning.md)
    std::string output;          // -o; empty: the config's [output] file or <config stem>.h5
    bool no_output = false;
    long long seed = -1;         // -1: from the config
    long long cycles = -1;       // -1: from the config
    long long epochs = -1;       // bptt, tess: -1 from the config's [bptt] or [tess] epochs
    int threads = -1;            // -1: from the config
    std::size_t every = 0;       // print every this many cycles (and the last); 0: 1, sym_stdp: report_every samples
    bool quiet = false;
    bool capacity = false;       // the capacity curve instead of one training run
    bool compare = false;        // algorithm "meta": fixed against learned intrinsics, per rule, over seeds
    std::string checkpoint;      // bptt: also write the trained network as an engine checkpoint here
    int seeds = 10;
    std::vector<double> alphas{0.5, 1.0, 1.5, 2.0, 2.5, 3.0};
};

// myelin plot and myelin view (docs/viewer.md).
struct PlotRequest {
    std::string input;          // a recording
    std::string output;         // -o, a .png (plot only)
    double from_ms = -1.0, to_ms = -1.0;  // --from/--to; < 0: the run's start/end
    std::string panels;         // --panels, e.g. "raster,rate"; empty: all with data
    std::string populations;    // --populations, e.g. "exc,inh"; empty: all
    double weights_at_ms = -1.0;  // --weights-at; < 0: the last snapshot
    std::string projection;     // --projection: whose weights (and fields); empty: the first recorded
    std::string field_shape;    // --field-shape WxH for the fields panel; empty: square
    std::string size = "1600x900";
    unsigned copy = 0;          // --copy: which copy of a batched run
    bool quiet = false;
    double close_after_s = 0.0;  // view: close by itself after this long (scripts, tests)
};

int run_command(const RunOptions& options);
int train_command(const TrainOptions& options);
int plot_command(const PlotRequest& request);
int view_command(const PlotRequest& request);
int export_command(const ExportOptions& options);
int import_command(const ImportOptions& options);
std::vector<std::string> export_targets();
int info_command(const std::string& config, const std::vector<std::string>& set, int threads);
int models_command();
// Davies et al. spatial patterns (docs/learning.md): 0 when every row matches the paper.
int spatial_patterns_command(const std::string& config);

}  // namespace myelin::cli
