// Peak resident set of a phase (peak_memory.hpp).
#include "experiments/peak_memory.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace myelin::cli {

bool reset_peak_resident() {
    std::ofstream out("/proc/self/clear_refs");
    if (!out) return false;
    out << "5";
    out.flush();
    return static_cast<bool>(out);
}

std::size_t peak_resident_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) {
            std::istringstream fields(line.substr(6));
            std::size_t kib = 0;
            fields >> kib;
            return kib;
        }
    return 0;
}

}  // namespace myelin::cli
