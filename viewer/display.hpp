// SFML 2.5 calls abort() when there is no X display, even for an offscreen texture, so every
// command checks for one first and says how to get one.
#pragma once

#include <string>

namespace myelin::viewer {

// Throws myelin::Error if $DISPLAY is unset or empty; `command` is what to run under xvfb-run.
void require_display(const std::string& command);

}  // namespace myelin::viewer
