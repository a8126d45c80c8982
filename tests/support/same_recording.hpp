// Test helper: two HDF5 recordings (docs/recording.md) hold the same spikes, state samples and
// weight snapshots, with the same datasets and shapes (used to hold the GPU's recording to the
// CPU's). Header only: Catch2 CHECKs in the including test.
#pragma once

#include "io/recording_reader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace myelin::test {

// `tolerance` 0: state values bit for bit; otherwise the largest absolute difference allowed.
inline void check_same_recording(const std::string& expected_path, const std::string& actual_path, double tolerance = 0.0) {
    const io::RecordingReader expected(expected_path), actual(actual_path);
    CHECK(actual.dt() == expected.dt());
    CHECK(actual.steps() == expected.steps());
    CHECK(actual.batch() == expected.batch());
    REQUIRE(actual.populations() == expected.populations());
    for (const std::string& population : expected.populations()) {
        CAPTURE(population);
        for (std::uint32_t copy = 0; copy < static_cast<std::uint32_t>(expected.batch()); ++copy) {
            const io::RecordedSpikes a = actual.spikes(population, copy), e = expected.spikes(population, copy);
            CHECK(a.neuron == e.neuron);
            CHECK(a.step == e.step);
        }
        REQUIRE(actual.state_variables(population) == expected.state_variables(population));
        for (const std::string& variable : expected.state_variables(population)) {
            CAPTURE(variable);
            const io::RecordedState a = actual.state(population, variable), e = expected.state(population, variable);
            CHECK(actual.state_unit(population, variable) == expected.state_unit(population, variable));
            CHECK(a.neurons == e.neurons);
            CHECK(a.times_ms == e.times_ms);
            REQUIRE(a.values.size() == e.values.size());
            double worst = 0.0;
            std::size_t differ = 0;
            for (std::size_t k = 0; k < e.values.size(); ++k) {
                worst = std::max(worst, std::abs(a.values[k] - e.values[k]));
                differ += a.values[k] != e.values[k];
            }
            CAPTURE(worst, differ);
            if (tolerance == 0.0) {
                CHECK(differ == 0);
            } else {
                CHECK(worst <= tolerance);
                // Printed, so a run's log says whether the values were bit-identical.
                std::printf("%s/%s: %zu of %zu values differ, largest difference %.3g\n", population.c_str(), variable.c_str(), differ,
                            e.values.size(), worst);
            }
        }
    }
    REQUIRE(actual.projections() == expected.projections());
    for (const std::string& projection : expected.projections()) {
        CAPTURE(projection);
        const io::RecordedWeights a = actual.weights(projection), e = expected.weights(projection);
        CHECK(a.pre == e.pre);
        CHECK(a.post == e.post);
        CHECK(a.delay_steps == e.delay_steps);
        CHECK(a.times_ms == e.times_ms);
        CHECK(a.weights == e.weights);
    }
}

}  // namespace myelin::test
