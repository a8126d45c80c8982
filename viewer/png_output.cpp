// Offscreen rendering to PNG (png_output.hpp).
#include "viewer/png_output.hpp"

#include "sim/error.hpp"
#include "viewer/plot.hpp"

#include <SFML/Graphics/RenderTexture.hpp>

#include <unistd.h>

#include <filesystem>

namespace myelin::viewer {

void write_png(const RunData& data, const PlotOptions& options, unsigned width, unsigned height, const std::string& path) {
    const sf::Font& font = default_font();
    sf::RenderTexture texture;
    if (!texture.create(width, height))
        throw Error("cannot create a " + std::to_string(width) + "x" + std::to_string(height) +
                    " offscreen image (too large for the OpenGL driver?)");
    render_plot(texture, data, options, font);
    texture.display();
    const sf::Image image = texture.getTexture().copyToImage();
    // SFML picks the format from the extension, so the temporary name ends in .png too.
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid()) + ".png";
    if (!image.saveToFile(temporary)) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw IoError(path, "cannot write the PNG (is the directory there and writable?)");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        throw IoError(path, "cannot write the PNG (" + error.message() + ")");
    }
}

}  // namespace myelin::viewer
