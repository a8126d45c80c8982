// The myelin command's subcommands. Each returns the process exit code; errors are thrown as
// myelin::Error and printed once by main().
#pragma once

#include <string>
#include <vector>

namespace myelin::cli {

inline constexpr int exit_usage = 2;        // bad config or command line; no output written
inline constexpr int exit_error = 1;        // any other Myelin error
inline constexpr int exit_internal = 3;     // a bug
inline constexpr int exit_interrupted = 130;

struct RunOptions {
    std::string config;
    std::string output;          // -o; empty: the config's [output] file or <config stem>.h5
    bool no_output = false;
    int threads = -1;            // -1: from the config
    long long seed = -1;         // -1: from the config
    std::vector<std::string> set;
    std::string report_json;     // path, or empty
    bool quiet = false;
};

struct ExportOptions {
    std::string input;           // config (TOML)
    std::string to;              // target: one of export_targets()
    std::string output;          // -o: directory (spinnaker)
    std::vector<std::string> set;
    long long seed = -1;         // -1: from the config
    double timestep = 0.0;       // ms; 0: chosen from dt
    int neurons_per_core = 0;    // 0: the target's default
    bool approximate = false;    // accept documented approximations
    bool quiet = false;
};

int run_command(const RunOptions& options);
int export_command(const ExportOptions& options);
std::vector<std::string> export_targets();
int info_command(const std::string& config, const std::vector<std::string>& set, int threads);
int models_command();

}  // namespace myelin::cli
