// The hand-vectorised range loops of IF_curr_exp and IF_curr_delta (models/*_avx512.hpp) against
// the loop over the model's scalar `step` they replace: the same state bit for bit and the same
// spikes in the same order, in double and float, with and without input rows, over ranges whose
// ends are not multiples of the vector width.
#include "models/lif_curr_delta.hpp"
#include "models/lif_curr_exp.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace {

template <class Model>
struct Columns {
    using Real = typename Model::Real;
    std::vector<Real> v, i_exc, i_inh;
    std::vector<std::int32_t> refrac;
    std::vector<float> in_exc, in_inh;
    typename Model::State state() { return {v, i_exc, i_inh, refrac}; }
};

template <class Model>
Columns<Model> random_columns(std::size_t n, std::uint32_t seed) {
    std::mt19937 generator(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    Columns<Model> c;
    for (std::size_t i = 0; i < n; ++i) {
        c.v.push_back(static_cast<typename Model::Real>(-60.0 + 10.5 * uniform(generator)));  // some start above threshold
        c.i_exc.push_back(static_cast<typename Model::Real>(0.5 * uniform(generator)));
        c.i_inh.push_back(static_cast<typename Model::Real>(-0.5 * uniform(generator)));
        c.refrac.push_back(uniform(generator) < 0.2 ? static_cast<std::int32_t>(1 + 3 * uniform(generator)) : 0);
        c.in_exc.push_back(uniform(generator) < 0.3 ? static_cast<float>(uniform(generator)) : 0.0f);
        c.in_inh.push_back(uniform(generator) < 0.3 ? static_cast<float>(-uniform(generator)) : 0.0f);
    }
    return c;
}

template <class Real>
bool same_bits(const std::vector<Real>& a, const std::vector<Real>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(Real)) == 0;
}

template <class Model>
void check_against_scalar_loop() {
    typename Model::Params p;
    p.cm = 0.2;
    p.tau_m = 20.0;
    p.tau_refrac = 0.3;
    p.tau_syn_E = 5.0;
    p.tau_syn_I = 10.0;
    p.v_rest = -49.0;
    p.v_reset = -60.0;
    p.v_thresh = -50.0;
    const auto k = Model::prepare(p, 0.1);
    const std::size_t n = 203;
    for (const bool rows : {false, true}) {
        for (const auto& [begin, end] : {std::pair<std::size_t, std::size_t>{0, n}, {5, 198}, {17, 18}, {40, 40}}) {
            auto scalar = random_columns<Model>(n, 7), vector = scalar;
            std::vector<std::uint32_t> scalar_spikes, vector_spikes;
            for (int step = 0; step < 30; ++step) {
                const auto s = scalar.state();
                for (std::size_t i = begin; i < end; ++i) {
                    float in_exc = 0.0f, in_inh = 0.0f;
                    if (rows) {
                        in_exc = scalar.in_exc[i];
                        in_inh = scalar.in_inh[i];
                        scalar.in_exc[i] = scalar.in_inh[i] = 0.0f;
                    }
                    if (Model::step(p, k, s, i, in_exc, in_inh)) scalar_spikes.push_back(static_cast<std::uint32_t>(i));
                }
                Model::advance_range(p, k, vector.state(), begin, end, rows ? vector.in_exc.data() : nullptr,
                                     rows ? vector.in_inh.data() : nullptr, vector_spikes);
                if (rows) {  // new input for the next step, the same on both sides
                    for (std::size_t i = 0; i < n; i += 3) scalar.in_exc[i] = vector.in_exc[i] = 0.25f * float(step % 4);
                }
            }
            INFO("rows " << rows << ", neurons [" << begin << ", " << end << ")");
            CHECK(same_bits(scalar.v, vector.v));
            CHECK(same_bits(scalar.i_exc, vector.i_exc));
            CHECK(same_bits(scalar.i_inh, vector.i_inh));
            CHECK(scalar.refrac == vector.refrac);
            CHECK(same_bits(scalar.in_exc, vector.in_exc));
            CHECK(scalar_spikes == vector_spikes);
            if (end - begin > 100) CHECK(scalar_spikes.size() > 10);  // the comparison covers firing and refractoriness
        }
    }
}

// IF_curr_delta: one state column and one input row (jumps in mV).
template <class Model>
void check_delta_against_scalar_loop() {
    using Real = typename Model::Real;
    typename Model::Params p;
    p.tau_m = 20.0;
    p.tau_refrac = 0.3;
    p.v_rest = -40.0;  // far above threshold: neurons fire again soon after each refractory period
    p.v_reset = -60.0;
    p.v_thresh = -50.0;
    const auto k = Model::prepare(p, 0.1);
    const std::size_t n = 203;
    for (const bool rows : {false, true}) {
        for (const auto& [begin, end] : {std::pair<std::size_t, std::size_t>{0, n}, {5, 198}, {17, 18}, {40, 40}}) {
            auto scalar = random_columns<myelin::models::BasicLifCurrExp<Real>>(n, 11), vector = scalar;
            std::vector<std::uint32_t> scalar_spikes, vector_spikes;
            const auto scalar_state = typename Model::State{scalar.v, scalar.refrac};
            const auto vector_state = typename Model::State{vector.v, vector.refrac};
            for (int step = 0; step < 30; ++step) {
                for (std::size_t i = begin; i < end; ++i) {
                    float jump = 0.0f;
                    if (rows) {
                        jump = scalar.in_exc[i];
                        scalar.in_exc[i] = 0.0f;
                    }
                    if (Model::step(p, k, scalar_state, i, jump, Real{0})) scalar_spikes.push_back(static_cast<std::uint32_t>(i));
                }
                Model::advance_range(p, k, vector_state, begin, end, rows ? vector.in_exc.data() : nullptr, nullptr,
                                     vector_spikes);
                if (rows) {
                    for (std::size_t i = 0; i < n; i += 3) scalar.in_exc[i] = vector.in_exc[i] = 0.25f * float(step % 4);
                }
            }
            INFO("rows " << rows << ", neurons [" << begin << ", " << end << ")");
            CHECK(same_bits(scalar.v, vector.v));
            CHECK(scalar.refrac == vector.refrac);
            CHECK(same_bits(scalar.in_exc, vector.in_exc));
            CHECK(scalar_spikes == vector_spikes);
            if (end - begin > 100) CHECK(scalar_spikes.size() > 10);
        }
    }
}

}  // namespace

TEST_CASE("IF_curr_exp: the AVX-512 range loop equals the scalar step bit for bit", "[models][lif][simd]") {
#ifdef MYELIN_LIF_CURR_EXP_AVX512
    check_against_scalar_loop<myelin::models::LifCurrExp>();
    check_against_scalar_loop<myelin::models::LifCurrExpSingle>();
#else
    SUCCEED("built without AVX-512: the engine uses the scalar step only");
#endif
}

TEST_CASE("IF_curr_delta: the AVX-512 range loop equals the scalar step bit for bit", "[models][lif][simd]") {
#ifdef MYELIN_LIF_CURR_DELTA_AVX512
    check_delta_against_scalar_loop<myelin::models::LifCurrDelta>();
    check_delta_against_scalar_loop<myelin::models::LifCurrDeltaSingle>();
#else
    SUCCEED("built without AVX-512: the engine uses the scalar step only");
#endif
}
