// The process's peak resident set over one phase of a run (Linux): reset the high-water mark
// (write "5" to /proc/self/clear_refs), run the phase, read VmHWM from /proc/self/status. Used by
// `myelin train` with algorithm = "tess" to measure the training alone, without the transient
// of loading the dataset (ALGORITHMS.md 4.9.2).
#pragma once

#include <cstddef>

namespace myelin::cli {

// False where the kernel does not support it (then peak_resident_kib() is the whole run's peak).
bool reset_peak_resident();
// VmHWM in KiB; 0 if /proc is not there.
std::size_t peak_resident_kib();

}  // namespace myelin::cli
