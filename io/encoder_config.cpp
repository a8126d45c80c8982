// The `encoder` table of a population (encoder_config.hpp).
#include "io/encoder_config.hpp"

#include "io/datasets.hpp"

#include <algorithm>
#include <memory>

namespace myelin::io {

void read_encoder(const TableReader& population, const sim::ModelRegistry& models,
                  const std::filesystem::path& config_directory, sim::PopulationSpec& spec) {
    const toml::table* table = population.subtable("encoder");
    const sim::ModelInfo* found = models.find(spec.model);
    const bool sequence = found && found->image_sequence;
    const TableReader reader(*table, population.context() + " encoder",
                             sequence ? std::vector<std::string>{"dataset", "split", "first", "count", "path"}
                                      : std::vector<std::string>{"dataset", "split", "index", "path"});
    // The model must take intensities; an unknown model is reported later, by validation.
    if (const sim::ModelInfo* model = models.find(spec.model)) {
        const bool takes_intensity = std::any_of(model->state.begin(), model->state.end(),
                                                 [](const sim::StateInfo& s) { return s.name == "intensity"; });
        if (!takes_intensity) {
            std::vector<std::string> encoders;
            for (const auto& m : models.models())
                if (std::any_of(m.state.begin(), m.state.end(), [](const auto& s) { return s.name == "intensity"; }))
                    encoders.push_back(m.name);
            throw population.error("encoder", "encoder needs a model that encodes intensities (" + sim::join(encoders) +
                                                  "), not " + spec.model);
        }
    }
    if (spec.init.count("intensity"))
        throw population.error("encoder", "give the intensities either by encoder or by init.intensity, not both");
    const std::string dataset = reader.required_string("dataset");
    Split split = Split::test;
    std::string directory;
    try {
        split = split_from_name(reader.string("split", "test"));
    } catch (const ParamError& e) {
        throw reader.error("split", e.what());
    }
    if (reader.has("path")) directory = (config_directory / reader.required_string("path")).string();
    const std::int64_t index = sequence ? reader.integer("first", 0) : reader.required_integer("index");
    ImageSet images;
    try {
        images = load_dataset(dataset, split, directory);
    } catch (const ParamError& e) {
        throw reader.error("dataset", e.what());
    } catch (const IoError& e) {
        throw reader.error(reader.has("path") ? "path" : "dataset", e.what());
    }
    if (index < 0 || static_cast<std::uint64_t>(index) >= images.size())
        throw reader.error(sequence ? "first" : "index", std::string(sequence ? "first" : "index") + " = " + std::to_string(index) + " is outside " + images.name + " (" +
                                        std::to_string(images.size()) + " images: 0 .. " +
                                        std::to_string(images.size() - 1) + ")");
    if (spec.size != images.pixels_per_image())
        throw population.error("size", "size = " + std::to_string(spec.size) + " must equal the " +
                                           std::to_string(images.pixels_per_image()) + " pixels of a " + dataset +
                                           " image (one neuron per pixel)");
    if (sequence) {
        // Images first .. first + count - 1 as the trainers read them: grey level / 255 in float.
        const std::size_t available = images.size() - static_cast<std::size_t>(index);
        const std::int64_t count = reader.integer("count", static_cast<std::int64_t>(available));
        if (count < 1 || static_cast<std::uint64_t>(count) > available)
            throw reader.error("count", "count = " + std::to_string(count) + " must be within [1, " +
                                            std::to_string(available) + "] (" + images.name + " has " +
                                            std::to_string(images.size()) + " images from first = " +
                                            std::to_string(index) + ")");
        const std::size_t begin = static_cast<std::size_t>(index) * images.pixels_per_image();
        auto frames = std::make_shared<std::vector<float>>(static_cast<std::size_t>(count) * images.pixels_per_image());
        for (std::size_t k = 0; k < frames->size(); ++k) (*frames)[k] = static_cast<float>(images.pixels[begin + k]) / 255.0f;
        spec.frames = std::move(frames);
        return;
    }
    sim::ValueSpec values;
    values.kind = sim::ValueSpec::Kind::values;
    values.values = images.intensities(static_cast<std::size_t>(index));
    spec.init["intensity"] = std::move(values);
}

}  // namespace myelin::io
