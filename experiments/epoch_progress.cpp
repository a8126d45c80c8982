// Progress lines of the gradient trainers (epoch_progress.hpp).
#include "experiments/epoch_progress.hpp"

#include <cmath>
#include <cstdio>

namespace myelin::cli {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string duration_text(double seconds) {
    char text[32];
    const long s = std::lround(seconds);
    if (s >= 3600) std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, s / 60 % 60);
    else std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
    return text;
}

EpochProgressPrinter::EpochProgressPrinter(bool quiet, bool live, std::size_t epochs, std::size_t samples_per_epoch,
                                           std::string prefix)
    : quiet_(quiet), live_(live && !quiet), epochs_(epochs), samples_(samples_per_epoch), prefix_(std::move(prefix)) {}

void EpochProgressPrinter::start_epoch(std::size_t epoch) {
    epoch_ = epoch;
    next_mark_ = 1;
    epoch_start_ = Clock::now();
}

void EpochProgressPrinter::within(const learning::EpochProgress& p) {
    if (quiet_) return;
    const double fraction = static_cast<double>(p.samples_done) / static_cast<double>(p.samples_total);
    const bool mark = next_mark_ < 4 && fraction >= 0.25 * static_cast<double>(next_mark_);
    if (!mark && !live_) return;
    while (next_mark_ < 4 && fraction >= 0.25 * static_cast<double>(next_mark_)) ++next_mark_;
    const double rate = static_cast<double>(p.samples_done) / seconds_since(epoch_start_);
    const double done = static_cast<double>(epoch_ * samples_ + p.samples_done);
    const double total = static_cast<double>(epochs_) * static_cast<double>(samples_);
    const double eta = seconds_since(start_) / done * (total - done);
    std::printf("%s%sepoch %3zu/%zu %3.0f%%  loss %.4f  train %6.2f%%  spikes %.3f  %8.0f samples/s  ETA %s%s",
                live_ ? "\r" : "", prefix_.c_str(), p.epoch, epochs_, 100.0 * fraction, p.loss, 100.0 * p.accuracy,
                p.spike_rate, rate, duration_text(eta).c_str(), mark || !live_ ? "\n" : "");
    std::fflush(stdout);
}

double EpochProgressPrinter::done(const std::string& detail) {
    const double seconds = seconds_since(epoch_start_);
    if (!quiet_) {
        const double eta = seconds_since(start_) / static_cast<double>(epoch_ + 1) * static_cast<double>(epochs_ - epoch_ - 1);
        std::printf("%s%sepoch %3zu/%zu done  %s  %8.0f samples/s  %.1f s  ETA %s\n", live_ ? "\r" : "", prefix_.c_str(),
                    epoch_ + 1, epochs_, detail.c_str(), static_cast<double>(samples_) / seconds, seconds,
                    duration_text(eta).c_str());
        std::fflush(stdout);
    }
    return seconds;
}

}  // namespace myelin::cli
