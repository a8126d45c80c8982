// The vote readout (ALGORITHMS.md 3.6, Diehl & Cook): neurons are assigned the class of their
// highest mean response, and a sample goes to the class whose neurons respond most on average.
#include "learning/vote_readout.hpp"

#include <catch2/catch.hpp>

using namespace myelin::learning;

TEST_CASE("each neuron is assigned the class with its highest mean count, per class sample", "[learning][sym_stdp][vote]") {
    VoteReadout vote(3, 2, 1e9);   // memory far beyond the samples: plain means
    using Counts = std::vector<std::uint16_t>;
    // Class 0 is shown three times, class 1 once: neuron 1's total is higher for class 0 (3 x 2 = 6
    // against 4) but its mean is higher for class 1 (2 against 4): the mean decides.
    for (int k = 0; k < 3; ++k) vote.add(Counts{5, 2, 0}, 0);
    vote.add(Counts{1, 4, 0}, 1);
    const std::vector<int> assigned = vote.assignments();
    CHECK(assigned == std::vector<int>{0, 1, -1});   // neuron 2 never fired
}

TEST_CASE("the vote predicts the class whose assigned neurons fire most on average", "[learning][sym_stdp][vote]") {
    const std::vector<int> assigned{0, 0, 1, -1};
    using Counts = std::vector<std::uint16_t>;
    // Class 0: (1 + 1)/2 = 1; class 1: 3/1 = 3 (a sum would say 2 against 3 too; a mean over 2 of 3 differs).
    CHECK(VoteReadout::predict(Counts{1, 1, 3, 9}, assigned, 2) == 1);
    CHECK(VoteReadout::predict(Counts{6, 2, 3, 0}, assigned, 2) == 0);   // means 4 against 3, a sum 8 against 3
    CHECK(VoteReadout::predict(Counts{0, 0, 0, 0}, assigned, 2) == 0);   // ties: the lowest class
}

TEST_CASE("the vote readout forgets old responses with its memory", "[learning][sym_stdp][vote]") {
    VoteReadout vote(1, 2, 10.0);
    using Counts = std::vector<std::uint16_t>;
    // Early on the neuron answers class 0, later only class 1; with a memory of 10 samples the
    // old class-0 responses have faded (0.9^50 ~ 0.005) while class 1 stays near its mean.
    for (int k = 0; k < 50; ++k) vote.add(Counts{10}, 0);
    for (int k = 0; k < 50; ++k) {
        vote.add(Counts{0}, 0);
        vote.add(Counts{5}, 1);
    }
    CHECK(vote.assignments() == std::vector<int>{1});
}

TEST_CASE("clear() forgets every response: the readout then answers like a new one", "[learning][sym_stdp][vote]") {
    using Counts = std::vector<std::uint16_t>;
    VoteReadout used(2, 2, 10.0), fresh(2, 2, 10.0);
    for (int k = 0; k < 30; ++k) used.add(Counts{7, 0}, 0);   // neuron 0 learned class 0
    used.clear();
    CHECK(used.assignments() == std::vector<int>{-1, -1});   // as constructed: nobody has fired
    CHECK(used.total_weight() == 0.0);
    // After the clear only the new responses count: neuron 0 now answers class 1, exactly as a
    // readout that never saw the old ones.
    for (VoteReadout* v : {&used, &fresh}) {
        v->add(Counts{3, 1}, 1);
        v->add(Counts{0, 2}, 0);
    }
    CHECK(used.assignments() == std::vector<int>{1, 0});
    CHECK(used.assignments() == fresh.assignments());
    // Two adds at memory 10: 1 + 0.9 (the first add has been forgotten by one step).
    CHECK(used.total_weight() == Approx(1.9).epsilon(1e-12));
}
