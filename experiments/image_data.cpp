// Loading a dataset split for the gradient trainers (image_data.hpp).
#include "experiments/image_data.hpp"

#include "sim/suggest.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace myelin::cli {

learning::ImageData load_image_data(const std::string& name, io::Split split, std::size_t limit) {
    const io::ImageSet images = io::load_dataset(name, split);
    learning::ImageData data;
    data.inputs = images.pixels_per_image();
    const std::size_t n = limit == 0 ? images.size() : std::min(limit, images.size());
    data.labels.assign(images.labels.begin(), images.labels.begin() + static_cast<std::ptrdiff_t>(n));
    data.x.resize(n * data.inputs);
    for (std::size_t k = 0; k < data.x.size(); ++k) data.x[k] = static_cast<float>(images.pixels[k]) / 255.0f;
    return data;
}

std::string read_dataset_key(const io::TableReader& table, const std::string& fallback) {
    const std::string dataset = table.string("dataset", fallback);
    const auto names = io::dataset_names();
    if (std::find(names.begin(), names.end(), dataset) == names.end())
        throw table.error("dataset", "dataset = \"" + dataset + "\" is not known" + sim::did_you_mean(dataset, names) +
                                         "; known: " + sim::join(names));
    return dataset;
}

std::size_t read_count(const io::TableReader& table, const std::string& key, std::size_t fallback, bool zero_ok) {
    const std::int64_t value = table.integer(key, static_cast<std::int64_t>(fallback));
    const std::int64_t least = zero_ok ? 0 : 1;
    if (value < least || value > (std::int64_t{1} << 30))
        throw table.error(key, key + " = " + std::to_string(value) + " must be within [" + std::to_string(least) + ", 2^30]");
    return static_cast<std::size_t>(value);
}

}  // namespace myelin::cli
