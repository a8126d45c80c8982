// Loading a recording for the viewer (run_data.hpp).
#include "viewer/run_data.hpp"

#include "io/recording_reader.hpp"
#include "sim/error.hpp"

#include <algorithm>

namespace myelin::viewer {

RunData load_run(const std::string& path, std::uint32_t copy) {
    if (is_train_report(path)) {
        if (copy != 0) throw Error(path + ": a training report holds one network, not copies (no --copy " + std::to_string(copy) + ")");
        return load_train_report(path);
    }
    const io::RecordingReader reader(path);
    if (copy >= reader.batch())
        throw Error(path + ": no copy " + std::to_string(copy) + " (the recording holds " + std::to_string(reader.batch()) +
                    (reader.batch() == 1 ? " copy)" : " copies, 0 to " + std::to_string(reader.batch() - 1) + ")"));
    RunData data;
    data.dt = reader.dt();
    data.start_ms = reader.numeric_meta("start_ms");
    data.end_ms = data.start_ms + reader.numeric_meta("simulated_ms");
    for (const std::string& name : reader.populations()) {
        PopulationSpikes population{name, static_cast<std::uint32_t>(reader.population_size(name)), {}, {}};
        try {
            io::RecordedSpikes spikes = reader.spikes(name, copy);
            population.t.resize(spikes.step.size());
            // A spike of step s is stamped at the end of that step (docs/recording.md).
            for (std::size_t i = 0; i < spikes.step.size(); ++i)
                population.t[i] = static_cast<float>(static_cast<double>(spikes.step[i] + 1) * data.dt);
            population.neuron = std::move(spikes.neuron);
        } catch (const IoError&) {
            // Spikes not recorded for this population: it shows as an empty band.
        }
        for (const std::string& variable : reader.state_variables(name)) {
            io::RecordedState state = reader.state(name, variable);
            data.traces.push_back({name, variable, reader.state_unit(name, variable), std::move(state.neurons), std::move(state.times_ms),
                                   std::move(state.values)});
        }
        data.populations.push_back(std::move(population));
    }
    for (const std::string& name : reader.projections()) {
        io::RecordedWeights w = reader.weights(name);
        WeightSnapshots snapshots{name, 0, 0, std::move(w.pre), std::move(w.post), std::move(w.times_ms),
                                  std::move(w.weights)};
        for (auto i : snapshots.pre) snapshots.n_pre = std::max(snapshots.n_pre, i + 1);
        for (auto i : snapshots.post) snapshots.n_post = std::max(snapshots.n_post, i + 1);
        data.weights.push_back(std::move(snapshots));
    }
    return data;
}

}  // namespace myelin::viewer
