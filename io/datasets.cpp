// Datasets by name (datasets.hpp).
#include "io/datasets.hpp"

#include "sim/error.hpp"
#include "sim/suggest.hpp"

namespace myelin::io {

std::string split_name(Split split) { return split == Split::train ? "train" : "test"; }

Split split_from_name(const std::string& name) {
    if (name == "train") return Split::train;
    if (name == "test") return Split::test;
    throw ParamError("split", "split \"" + name + "\" must be \"train\" or \"test\"" + sim::did_you_mean(name, {"train", "test"}));
}

std::vector<std::string> dataset_names() { return {"mnist", "fashion-mnist"}; }

ImageSet load_dataset(const std::string& name, Split split, const std::string& directory) {
    if (name == "mnist") return load_mnist_subset(split, directory);
    if (name == "fashion-mnist") return load_fashion_mnist(split, directory);
    throw ParamError("dataset", "unknown dataset \"" + name + "\"" + sim::did_you_mean(name, dataset_names()) +
                                    "; known: " + sim::join(dataset_names()));
}

}  // namespace myelin::io
