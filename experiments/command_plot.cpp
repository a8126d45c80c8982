// myelin plot: a recording's raster, rate, traces and weights as a PNG (docs/viewer.md).
#include "experiments/viewer_input.hpp"
#include "viewer/display.hpp"
#include "viewer/png_output.hpp"

#include <cstdio>
#include <regex>

namespace myelin::cli {

viewer::RunData load_for_viewing(const std::string& path, unsigned copy) {
    try {
        return viewer::load_run(path, copy);
    } catch (const Error& e) {
        throw UsageError(e.what());  // bad input: exit 2, nothing written
    }
}

viewer::PlotOptions plot_options(const viewer::RunData& data, const PlotRequest& request) {
    viewer::PlotOptions options;
    try {
        if (request.from_ms >= 0.0 || request.to_ms >= 0.0) {
            options.whole_run = false;
            options.from_ms = request.from_ms >= 0.0 ? request.from_ms : data.start_ms;
            options.to_ms = request.to_ms >= 0.0 ? request.to_ms : data.end_ms;
            if (!(options.to_ms > options.from_ms))
                throw Error("empty time range: --from " + std::to_string(options.from_ms) + " ms is not before --to " +
                            std::to_string(options.to_ms) + " ms");
        }
        if (!request.panels.empty()) options.panels = viewer::parse_panels(request.panels);
        else if (data.weights_only) options.panels = {viewer::PanelKind::fields};   // a training report's receptive fields
        if (!request.populations.empty()) options.hidden = viewer::visible_only(data, request.populations);
        options.weight_time_ms = request.weights_at_ms;
        if (!request.projection.empty()) options.projection = viewer::projection_index(data, request.projection);
        if (!request.field_shape.empty()) viewer::parse_field_shape(request.field_shape, options);
        return viewer::resolve(data, options);
    } catch (const UsageError&) {
        throw;
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
}

int plot_command(const PlotRequest& request) {
    unsigned width = 0, height = 0;
    std::smatch size;
    if (!std::regex_match(request.size, size, std::regex("([0-9]{2,5})x([0-9]{2,5})")))
        throw UsageError("--size " + request.size + ": expected WIDTHxHEIGHT in pixels, e.g. 1600x900");
    width = static_cast<unsigned>(std::stoul(size[1]));
    height = static_cast<unsigned>(std::stoul(size[2]));
    if (width < 320 || height < 240 || width > 8192 || height > 8192)
        throw UsageError("--size " + request.size + ": width and height must be 320x240 to 8192x8192");
    if (!request.output.ends_with(".png")) throw UsageError("-o " + request.output + ": the output must be a .png file");

    const viewer::RunData data = load_for_viewing(request.input, request.copy);
    const viewer::PlotOptions options = plot_options(data, request);
    viewer::require_display("myelin plot " + request.input + " -o " + request.output);
    viewer::write_png(data, options, width, height, request.output);
    if (!request.quiet && data.weights_only)
        std::printf("%s: %gx%g px, weights of a training report\n", request.output.c_str(), static_cast<double>(width),
                    static_cast<double>(height));
    else if (!request.quiet)
        std::printf("%s: %gx%g px, %g to %g ms\n", request.output.c_str(), static_cast<double>(width),
                    static_cast<double>(height), options.from_ms, options.to_ms);
    return 0;
}

}  // namespace myelin::cli
