// The progress display of the gradient trainers (BPTT, TESS; docs/learning.md): within an epoch a
// permanent line at a quarter, half and three quarters and, on a terminal, a live line; then one
// line per epoch; each with samples/s and the ETA. Silent with -q.
#pragma once

#include "learning/epoch_stats.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace myelin::cli {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start);
std::string duration_text(double seconds);  // "4m05s", "1h02m"

class EpochProgressPrinter {
public:
    // `prefix` starts every line (e.g. "tess "); `live`: a terminal, so a \r line is kept updated.
    EpochProgressPrinter(bool quiet, bool live, std::size_t epochs, std::size_t samples_per_epoch, std::string prefix = "");

    void start_epoch(std::size_t epoch);              // 0-based
    void within(const learning::EpochProgress& p);    // after each batch
    // "epoch e/E done  <detail>  <samples/s>  <seconds> s  ETA ..."; returns the epoch's seconds.
    double done(const std::string& detail);

private:
    bool quiet_, live_;
    std::size_t epochs_, samples_;
    std::string prefix_;
    Clock::time_point start_ = Clock::now(), epoch_start_ = Clock::now();
    std::size_t epoch_ = 0, next_mark_ = 1;
};

}  // namespace myelin::cli
