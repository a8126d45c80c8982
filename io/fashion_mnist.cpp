// Fashion-MNIST from the Debian package dataset-fashion-mnist (datasets.hpp).
#include "io/datasets.hpp"
#include "io/idx_file.hpp"

#include "sim/error.hpp"

#include <cstdlib>
#include <filesystem>

namespace myelin::io {

std::string fashion_mnist_directory() {
    if (const char* dir = std::getenv("MYELIN_FASHION_MNIST_DIR"); dir && *dir) return dir;
    return "/usr/share/datasets/fashion-mnist";
}

ImageSet load_fashion_mnist(Split split, const std::string& directory) {
    const std::filesystem::path dir = directory.empty() ? fashion_mnist_directory() : directory;
    const std::string stem = split == Split::train ? "train" : "t10k";
    const std::string images_path = (dir / (stem + "-images-idx3-ubyte.gz")).string();
    const std::string labels_path = (dir / (stem + "-labels-idx1-ubyte.gz")).string();
    for (const auto& path : {images_path, labels_path})
        if (!std::filesystem::exists(path))
            throw IoError(path, "Fashion-MNIST is not installed: it comes with the Debian package dataset-fashion-mnist "
                                "(sudo apt-get install dataset-fashion-mnist, or run ./setup.sh), or set "
                                "MYELIN_FASHION_MNIST_DIR to a folder holding its IDX files");
    const IdxArray images = read_idx(images_path);
    const IdxArray labels = read_idx(labels_path);
    if (images.dims.size() != 3) throw IoError(images_path, "expected 3 dimensions (images, rows, columns), found " + std::to_string(images.dims.size()));
    if (labels.dims.size() != 1) throw IoError(labels_path, "expected 1 dimension (labels), found " + std::to_string(labels.dims.size()));
    if (images.dims[0] != labels.dims[0])
        throw IoError(labels_path, std::to_string(labels.dims[0]) + " labels for " + std::to_string(images.dims[0]) +
                                       " images in " + images_path);
    for (std::size_t i = 0; i < labels.data.size(); ++i)
        if (labels.data[i] > 9) throw IoError(labels_path, "label " + std::to_string(labels.data[i]) + " of image " + std::to_string(i) + " is not a class 0..9");
    ImageSet set;
    set.name = "fashion-mnist " + split_name(split);
    set.rows = images.dims[1];
    set.columns = images.dims[2];
    set.pixels = images.data;
    set.labels = labels.data;
    return set;
}

}  // namespace myelin::io
