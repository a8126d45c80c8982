// The display check (display.hpp).
#include "viewer/display.hpp"

#include "sim/error.hpp"

#include <cstdio>
#include <cstdlib>

namespace myelin::viewer {

void require_display(const std::string& command) {
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display)
        throw Error("no X display (DISPLAY is not set): the viewer draws with OpenGL and needs a display, "
                    "or a virtual one: xvfb-run -a " + command);
    // SFML may abort inside the X connection; what was printed so far must not be lost.
    std::fflush(stdout);
    std::fflush(stderr);
}

}  // namespace myelin::viewer
