// myelin view: a window on a recording (docs/viewer.md).
#include "experiments/viewer_input.hpp"
#include "viewer/display.hpp"
#include "viewer/view_window.hpp"

#include <regex>

namespace myelin::cli {

int view_command(const PlotRequest& request) {
    std::smatch size;
    if (!std::regex_match(request.size, size, std::regex("([0-9]{3,5})x([0-9]{3,5})")))
        throw UsageError("--size " + request.size + ": expected WIDTHxHEIGHT in pixels, e.g. 1600x900");
    const viewer::RunData data = load_for_viewing(request.input, request.copy);
    const viewer::PlotOptions options = plot_options(data, request);
    viewer::require_display("myelin view " + request.input);
    viewer::run_view_window(data, options, static_cast<unsigned>(std::stoul(size[1])), static_cast<unsigned>(std::stoul(size[2])),
                            "myelin view " + request.input, request.close_after_s);
    return 0;
}

}  // namespace myelin::cli
