// The Hao et al. network's step loop (sym_stdp_network.hpp; ALGORITHMS.md 3.2-3.6).
// Order within a step, as in the GeNN reference: every neuron advances on the conductances it
// has, conductances decay, this step's spikes are delivered (to be felt next step), then the
// plasticity of this step's spikes (ALGORITHMS.md 1.5 order) and the threshold.
#include "learning/sym_stdp_network.hpp"

#include "learning/synaptic_scaling.hpp"
#include "sim/param_check.hpp"
#include "sim/random.hpp"

#include <algorithm>
#include <cmath>

namespace myelin::learning {
namespace {

// Stream objects under RandomPurpose::trainer: one per use, so no two uses share numbers.
constexpr std::uint32_t stream_initial_weights = 1, stream_train_input = 2, stream_test_input = 3,
                        stream_teacher = 4;
// The counter word that tells the two plastic projections' initial weights apart.
constexpr std::uint32_t projection_input_exc = 0, projection_exc_cls = 1;

std::size_t steps_of(double ms, double dt) { return static_cast<std::size_t>(std::llround(ms / dt)); }

// x *= factor, with values under 1e-30 set to zero: a decaying trace or conductance would
// otherwise sink into denormal floats, whose arithmetic is ~100x slower (it cost a third of the
// run time before this guard). Branch-free, so the loop vectorises.
void decay_flush(std::vector<float>& values, float factor) {
    for (float& x : values) {
        const float y = x * factor;
        x = y > 1e-30f ? y : 0.f;
    }
}

}  // namespace

void validate_sym_stdp(const SymStdpParams& p, const char* eta_key, const char* w_max_key) {
    sim::require_positive("tau_trace", p.tau_trace, "ms");
    sim::require_non_negative("trace_increment", p.trace_increment);
    sim::require_non_negative(eta_key, p.eta);
    sim::require_positive(w_max_key, p.w_max);
}

void validate_dynamic_threshold(const DynamicThresholdParams& p) {
    sim::require_positive("tau_theta", p.tau_theta, "ms");
    sim::require_non_negative("c_theta", p.c_theta, "mV");
    sim::require(std::isfinite(p.theta_offset) && p.theta_offset > 10.0, "theta_offset", p.theta_offset,
                 "must be > 10 (the increment has its pole at theta = 10)", "mV");
}

void validate_sym_stdp_network(const SymStdpNetworkParams& p) {
    using sim::require, sim::require_positive, sim::require_non_negative, sim::require_finite;
    require(p.n_exc >= 1 && p.n_exc <= (1u << 20), "n_exc", static_cast<double>(p.n_exc), "must be within [1, 1048576]");
    require_positive("dt", p.dt, "ms");
    for (const auto& [key, tau] : {std::pair{"exc_tau_m", p.exc_tau_m}, {"inh_tau_m", p.inh_tau_m},
                                   {"cls_tau_m", p.cls_tau_m}, {"tau_syn_input", p.tau_syn_input},
                                   {"tau_syn_exc_inh", p.tau_syn_exc_inh}, {"tau_syn_inh_exc", p.tau_syn_inh_exc},
                                   {"tau_syn_exc_cls", p.tau_syn_exc_cls}})
        require_positive(key, tau, "ms");
    // Forward Euler is stable only for dt < tau; the reference's 0.5 ms against 1 ms is close enough.
    require(p.dt < p.tau_syn_input && p.dt < p.inh_tau_m, "dt", p.dt, "must be < every time constant (Euler)", "ms");
    for (const auto& [key, v] : {std::pair{"exc_v_rest", p.exc_v_rest}, {"exc_v_reset", p.exc_v_reset},
                                 {"exc_v_init", p.exc_v_init}, {"v_floor", p.v_floor}, {"inh_v_rest", p.inh_v_rest},
                                 {"inh_v_reset", p.inh_v_reset}, {"cls_v_rest", p.cls_v_rest},
                                 {"cls_v_reset", p.cls_v_reset}, {"e_rev_exc", p.e_rev_exc}, {"e_rev_inh", p.e_rev_inh}})
        require_finite(key, v, "mV");
    require(std::isfinite(p.exc_v_thresh) && p.exc_v_thresh > p.exc_v_reset, "exc_v_thresh", p.exc_v_thresh,
            "must be > exc_v_reset", "mV");
    require(std::isfinite(p.inh_v_thresh) && p.inh_v_thresh > p.inh_v_reset, "inh_v_thresh", p.inh_v_thresh,
            "must be > inh_v_reset", "mV");
    require(std::isfinite(p.cls_v_thresh) && p.cls_v_thresh > p.cls_v_reset, "cls_v_thresh", p.cls_v_thresh,
            "must be > cls_v_reset", "mV");
    require_non_negative("exc_tau_refrac", p.exc_tau_refrac, "ms");
    require_non_negative("inh_tau_refrac", p.inh_tau_refrac, "ms");
    require_non_negative("w_exc_inh", p.w_exc_inh);
    require_non_negative("w_inh_exc", p.w_inh_exc);
    require(std::isfinite(p.test_inhibition_scale) && p.test_inhibition_scale >= 0.0 && p.test_inhibition_scale <= 1.0,
            "test_inhibition_scale", p.test_inhibition_scale, "must be within [0, 1] (1: the training inhibition)");
    require_positive("w_init_max", p.w_init_max);
    validate_sym_stdp(p.input_rule, "eta_input", "w_max_input");
    validate_sym_stdp(p.class_rule, "eta_class", "w_max_class");
    require_positive("input_weight_sum", p.input_weight_sum);
    require_positive("class_weight_sum", p.class_weight_sum);
    validate_dynamic_threshold(p.threshold);
    require_positive("present_ms", p.present_ms, "ms");
    require_non_negative("rest_ms", p.rest_ms, "ms");
    require(steps_of(p.present_ms, p.dt) < 4096 && steps_of(p.rest_ms, p.dt) < 4096, "present_ms", p.present_ms,
            "and rest_ms must each be under 4096 steps of dt");
    // At most 0.9 spikes per step at the brightest pixel, or the Bernoulli draw saturates.
    require(p.intensity > 0.0 && 255.0 / 8.0 * p.intensity_max * p.dt / 1000.0 <= 0.9, "intensity_max",
            p.intensity_max, "must make the brightest pixel's spike probability per step at most 0.9");
    require(std::isfinite(p.intensity) && p.intensity > 0.0 && p.intensity <= p.intensity_max, "intensity",
            p.intensity, "must be within (0, intensity_max]");
    require_non_negative("min_exc_spikes", p.min_exc_spikes);
    require(std::isfinite(p.teacher_rate) && p.teacher_rate >= 0.0 && p.teacher_rate * p.dt / 1000.0 <= 0.9,
            "teacher_rate", p.teacher_rate, "must be >= 0 and give at most 0.9 spikes per step", "Hz");
}

void SymStdpState::reset(const SymStdpNetworkParams& p, double v_exc_start) {
    const std::size_t n = p.n_exc;
    v_exc.assign(n, static_cast<float>(std::max(v_exc_start, p.v_floor)));
    g_input.assign(n, 0.f);
    g_inh_exc.assign(n, 0.f);
    refrac_exc.assign(n, 0.f);
    v_inh.assign(n, static_cast<float>(p.inh_v_rest));
    g_exc_inh.assign(n, 0.f);
    refrac_inh.assign(n, 0.f);
    v_cls.assign(p.n_classes, static_cast<float>(p.cls_v_rest));
    g_exc_cls.assign(p.n_classes, 0.f);
    // The reference starts the traces at 1 (ALGORITHMS.md 3.4); by the first spike they have decayed.
    x_input.assign(p.n_input, 1.f);
    y_exc.assign(n, 1.f);
    x_exc.assign(n, 1.f);
    y_cls.assign(p.n_classes, 1.f);
    input_spiked.assign(p.n_input, 0);
}

SymStdpNetwork::SymStdpNetwork(const SymStdpNetworkParams& params, std::uint64_t seed) : params_(params), seed_(seed) {
    validate_sym_stdp_network(params_);
    const std::size_t n = params_.n_exc;
    weights_.input_exc.resize(params_.n_input * n);
    weights_.exc_cls.resize(n * params_.n_classes);
    fill_initial_weights(weights_.input_exc, params_.n_input, n, projection_input_exc);
    fill_initial_weights(weights_.exc_cls, n, params_.n_classes, projection_exc_cls);
    weights_.theta.assign(n, params_.threshold.theta_offset);
    state_.reset(params_, params_.exc_v_init);
}

// Determinism: weight (j, i) draws counter (j, i, projection), whatever the fill order, so a
// reset draws exactly the weights the constructor drew.
void SymStdpNetwork::fill_initial_weights(std::vector<float>& w, std::size_t rows, std::size_t columns,
                                          std::uint32_t projection) const {
    const sim::RandomKey key = sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, stream_initial_weights);
    for (std::size_t j = 0; j < rows; ++j)
        for (std::size_t i = 0; i < columns; ++i) {
            const auto r = sim::philox(key, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(i), projection);
            w[j * columns + i] = static_cast<float>(sim::unit_interval(r[0], r[1]) * params_.w_init_max);
        }
}

void SymStdpNetwork::reset_class_weights() {
    fill_initial_weights(weights_.exc_cls, params_.n_exc, params_.n_classes, projection_exc_cls);
}

SymStdpState SymStdpNetwork::fresh_state() const {
    SymStdpState s;
    s.reset(params_, params_.exc_v_rest);
    return s;
}

void SymStdpNetwork::scale_weights(Phase phase) {
    scale_columns_to_sum(weights_.input_exc, params_.n_input, params_.n_exc, params_.input_weight_sum, scratch_);
    if (phase == Phase::train)
        scale_columns_to_sum(weights_.exc_cls, params_.n_exc, params_.n_classes, params_.class_weight_sum, scratch_);
}

// One presentation's working set: what run_phase needs, and the spike lists of the current step.
struct SymStdpNetwork::Presentation {
    const SymStdpNetworkParams& p;
    SymStdpState& s;
    SymStdpWeights& w;
    Phase phase;
    Plasticity plasticity;                       // what learns (training only)
    int label;
    std::uint32_t serial, repeat = 0;
    sim::RandomKey input_key, teacher_key;
    std::vector<std::uint32_t> threshold_bits;   // per pixel: spike if the random word is below it
    std::vector<std::uint32_t> random_words;
    std::vector<std::uint32_t> lit_pixels;       // pixels with a non-zero rate
    std::vector<std::uint32_t> input_spikes, exc_spikes, inh_spikes, cls_spikes;
    std::vector<std::uint16_t> exc_counts, cls_counts;
    std::size_t exc_total = 0, step = 0;         // step: within the presentation, keys the draws

    Presentation(const SymStdpNetworkParams& params, SymStdpState& state, SymStdpWeights& weights, Phase run_phase,
                 int true_label, std::uint32_t sample_serial)
        : p(params), s(state), w(weights), phase(run_phase), label(true_label), serial(sample_serial) {}
};

void SymStdpNetwork::run_phase(Presentation& run, std::size_t steps, bool inputs_on) const {
    const SymStdpNetworkParams& p = run.p;
    SymStdpState& s = run.s;
    SymStdpWeights& w = run.w;
    const bool learn = run.phase == Phase::train;
    const bool learn_hidden = learn && run.plasticity.hidden, learn_class = learn && run.plasticity.classes;
    const std::size_t n = p.n_exc, n_in = p.n_input, n_cls = p.n_classes;
    const auto dt = static_cast<float>(p.dt);
    const auto decay = [&](double tau) { return static_cast<float>(std::exp(-p.dt / tau)); };
    const float decay_input = decay(p.tau_syn_input), decay_exc_inh = decay(p.tau_syn_exc_inh),
                decay_inh_exc = decay(p.tau_syn_inh_exc), decay_exc_cls = decay(p.tau_syn_exc_cls);
    const float decay_trace_input = decay(p.input_rule.tau_trace), decay_trace_class = decay(p.class_rule.tau_trace);
    const auto a_input = static_cast<float>(p.input_rule.trace_increment),
               a_class = static_cast<float>(p.class_rule.trace_increment);
    const auto e_exc = static_cast<float>(p.e_rev_exc), e_inh = static_cast<float>(p.e_rev_inh);
    const auto exc_rest = static_cast<float>(p.exc_v_rest), exc_reset = static_cast<float>(p.exc_v_reset),
               exc_thresh = static_cast<float>(p.exc_v_thresh - p.threshold.theta_offset),
               v_floor = static_cast<float>(p.v_floor), exc_rate = static_cast<float>(p.dt / p.exc_tau_m);
    const auto inh_rest = static_cast<float>(p.inh_v_rest), inh_reset = static_cast<float>(p.inh_v_reset),
               inh_thresh = static_cast<float>(p.inh_v_thresh), inh_rate = static_cast<float>(p.dt / p.inh_tau_m);
    const auto cls_rest = static_cast<float>(p.cls_v_rest), cls_reset = static_cast<float>(p.cls_v_reset),
               cls_thresh = static_cast<float>(p.cls_v_thresh), cls_rate = static_cast<float>(p.dt / p.cls_tau_m);
    const auto exc_refrac = static_cast<float>(p.exc_tau_refrac), inh_refrac = static_cast<float>(p.inh_tau_refrac);
    const auto teacher_bits = static_cast<std::uint32_t>(std::min(p.teacher_rate * p.dt / 1000.0, 0.9) * 4294967296.0);
    const auto w_exc_inh = static_cast<float>(p.w_exc_inh),
               w_inh_exc = static_cast<float>(learn ? p.w_inh_exc : p.w_inh_exc * p.test_inhibition_scale);
    const std::size_t blocks = (n_in + 3) / 4;

    for (std::size_t k = 0; k < steps; ++k, ++run.step) {
        run.input_spikes.clear();
        run.exc_spikes.clear();
        run.inh_spikes.clear();
        run.cls_spikes.clear();
        // 1. Neurons. Input P: one Bernoulli draw per pixel, none right after a spike.
        if (inputs_on) {
            const auto counter_b = static_cast<std::uint32_t>((run.repeat << 12) | run.step);
            sim::philox_many(run.input_key, 0, blocks, counter_b, run.serial, run.random_words.data());
            // Only pixels that can fire; a dark pixel's word is drawn (it keeps the counters fixed) but unread.
            for (const std::uint32_t j : run.lit_pixels) {
                const bool spike = !s.input_spiked[j] && run.random_words[j] < run.threshold_bits[j];
                s.input_spiked[j] = spike;
                if (spike) run.input_spikes.push_back(j);
            }
        } else if (k == 0) {
            std::fill(s.input_spiked.begin(), s.input_spiked.end(), 0);
        }
        // Membranes first, branch-free so the loops vectorise; then a scan for threshold crossings.
        for (std::size_t i = 0; i < n; ++i) {
            const float v = s.v_exc[i];
            const float current = s.g_input[i] * (e_exc - v) + s.g_inh_exc[i] * (e_inh - v);
            const float next = std::max(v + exc_rate * (exc_rest - v + current), v_floor);
            const bool free = s.refrac_exc[i] <= 0.f;
            s.v_exc[i] = free ? next : v;
            s.refrac_exc[i] = free ? s.refrac_exc[i] : s.refrac_exc[i] - dt;
        }
        for (std::size_t i = 0; i < n; ++i)
            if (s.refrac_exc[i] <= 0.f && s.v_exc[i] > exc_thresh + static_cast<float>(w.theta[i])) {
                s.v_exc[i] = exc_reset;
                s.refrac_exc[i] = exc_refrac;
                run.exc_spikes.push_back(static_cast<std::uint32_t>(i));
            }
        for (std::size_t i = 0; i < n; ++i) {
            const float v = s.v_inh[i];
            const float next = v + inh_rate * (inh_rest - v + s.g_exc_inh[i] * (e_exc - v));
            const bool free = s.refrac_inh[i] <= 0.f;
            s.v_inh[i] = free ? next : v;
            s.refrac_inh[i] = free ? s.refrac_inh[i] : s.refrac_inh[i] - dt;
        }
        for (std::size_t i = 0; i < n; ++i)
            if (s.refrac_inh[i] <= 0.f && s.v_inh[i] > inh_thresh) {
                s.v_inh[i] = inh_reset;
                s.refrac_inh[i] = inh_refrac;
                run.inh_spikes.push_back(static_cast<std::uint32_t>(i));
            }
        if (learn) {
            if (inputs_on && run.label >= 0) {
                const auto r = sim::philox(run.teacher_key, run.repeat, static_cast<std::uint32_t>(run.step), run.serial);
                if (r[0] < teacher_bits) run.cls_spikes.push_back(static_cast<std::uint32_t>(run.label));
            }
        } else {
            for (std::size_t c = 0; c < n_cls; ++c) {
                float v = s.v_cls[c];
                v += cls_rate * (cls_rest - v + s.g_exc_cls[c] * (e_exc - v));
                if (v > cls_thresh) {
                    v = cls_reset;
                    run.cls_spikes.push_back(static_cast<std::uint32_t>(c));
                }
                s.v_cls[c] = v;
            }
        }
        // 2. Conductances decay, then this step's spikes arrive.
        decay_flush(s.g_input, decay_input);
        decay_flush(s.g_inh_exc, decay_inh_exc);
        decay_flush(s.g_exc_inh, decay_exc_inh);
        decay_flush(s.g_exc_cls, decay_exc_cls);
        // 3. Traces decay (exactly), then pre spikes (with the old post traces), then post spikes.
        if (learn) {
            decay_flush(s.x_input, decay_trace_input);
            decay_flush(s.y_exc, decay_trace_input);
            decay_flush(s.x_exc, decay_trace_class);
            decay_flush(s.y_cls, decay_trace_class);
        }
        const auto eta_input = static_cast<float>(p.input_rule.eta * run.plasticity.input_eta_scale),
                   w_max_input = static_cast<float>(p.input_rule.w_max);
        for (const std::uint32_t j : run.input_spikes) {
            float* row = w.input_exc.data() + static_cast<std::size_t>(j) * n;
            // The transmitted weight is the one before this spike's update, as in the reference.
            for (std::size_t i = 0; i < n; ++i) s.g_input[i] += row[i];
            if (learn_hidden)
                for (std::size_t i = 0; i < n; ++i) row[i] = std::min(row[i] + eta_input * s.y_exc[i], w_max_input);
            if (learn) s.x_input[j] += a_input;
        }
        const auto eta_class = static_cast<float>(p.class_rule.eta * run.plasticity.class_eta_scale), w_max_class = static_cast<float>(p.class_rule.w_max);
        for (const std::uint32_t i : run.exc_spikes) {
            s.g_exc_inh[i] += w_exc_inh;
            ++run.exc_counts[i];
            float* row = w.exc_cls.data() + static_cast<std::size_t>(i) * n_cls;
            if (learn) {
                if (learn_class)
                    for (std::size_t c = 0; c < n_cls; ++c) row[c] = std::min(row[c] + eta_class * s.y_cls[c], w_max_class);
                s.x_exc[i] += a_class;
            } else {
                for (std::size_t c = 0; c < n_cls; ++c) s.g_exc_cls[c] += row[c];
            }
        }
        run.exc_total += run.exc_spikes.size();
        if (!run.inh_spikes.empty()) {
            // All-to-all but the partner: every E neuron gets all I spikes less its own partner's.
            const float all = w_inh_exc * static_cast<float>(run.inh_spikes.size());
            for (std::size_t i = 0; i < n; ++i) s.g_inh_exc[i] += all;
            for (const std::uint32_t i : run.inh_spikes) s.g_inh_exc[i] -= w_inh_exc;
        }
        for (const std::uint32_t c : run.cls_spikes) ++run.cls_counts[c];
        if (!learn) continue;
        // Post spikes: E for P -> E (a strided column walk: E spikes are rare), C for E -> C. The
        // traces keep running while a projection is frozen, so unfreezing it needs no warm-up.
        for (const std::uint32_t i : run.exc_spikes) {
            if (learn_hidden) {
                float* column = w.input_exc.data() + i;
                for (std::size_t j = 0; j < n_in; ++j)
                    column[j * n] = std::min(column[j * n] + eta_input * s.x_input[j], w_max_input);
                w.theta[i] = theta_after_spike(p.threshold, w.theta[i]);
            }
            s.y_exc[i] += a_input;
        }
        for (const std::uint32_t c : run.cls_spikes) {
            if (learn_class)
                for (std::size_t i = 0; i < n; ++i)
                    w.exc_cls[i * n_cls + c] = std::min(w.exc_cls[i * n_cls + c] + eta_class * s.x_exc[i], w_max_class);
            s.y_cls[c] += a_class;
        }
        if (learn_hidden)
            for (std::size_t i = 0; i < n; ++i) w.theta[i] = theta_decay(p.threshold, w.theta[i], p.dt);
    }
}

SampleResponse SymStdpNetwork::run_sample(std::span<const std::uint8_t> image, int label, std::uint32_t serial,
                                          Phase phase, SymStdpState& state, SymStdpWeights& weights,
                                          std::vector<double>* scratch) const {
    const SymStdpNetworkParams& p = params_;
    const bool training = phase == Phase::train;
    Presentation run(p, state, weights, phase, label, serial);
    run.plasticity = plasticity_;
    run.input_key = sim::RandomKey::make(seed_, sim::RandomPurpose::trainer,
                                         training ? stream_train_input : stream_test_input);
    run.teacher_key = sim::RandomKey::make(seed_, sim::RandomPurpose::trainer, stream_teacher);
    run.threshold_bits.resize(p.n_input);
    run.random_words.resize(4 * ((p.n_input + 3) / 4));
    run.exc_counts.assign(p.n_exc, 0);
    run.cls_counts.assign(p.n_classes, 0);
    const std::size_t present = steps_of(p.present_ms, p.dt), rest = steps_of(p.rest_ms, p.dt);
    SampleResponse response;
    for (double k = p.intensity;; k += 1.0) {
        run.lit_pixels.clear();
        for (std::size_t j = 0; j < p.n_input; ++j) {
            const double probability = image[j] / 8.0 * k * p.dt / 1000.0;
            run.threshold_bits[j] = static_cast<std::uint32_t>(probability * 4294967296.0);
            if (run.threshold_bits[j] > 0) run.lit_pixels.push_back(static_cast<std::uint32_t>(j));
        }
        std::fill(run.exc_counts.begin(), run.exc_counts.end(), 0);
        std::fill(run.cls_counts.begin(), run.cls_counts.end(), 0);
        run.exc_total = 0;
        run.step = 0;
        run_phase(run, present, true);
        run_phase(run, rest, false);
        ++response.presentations;
        if (static_cast<double>(run.exc_total) >= p.min_exc_spikes || k + 1.0 > p.intensity_max) break;
        ++run.repeat;
        // The reference rescales before each presentation; in test mode nothing has changed.
        if (training) {
            scale_columns_to_sum(weights.input_exc, p.n_input, p.n_exc, p.input_weight_sum, *scratch);
            scale_columns_to_sum(weights.exc_cls, p.n_exc, p.n_classes, p.class_weight_sum, *scratch);
        }
    }
    response.exc_counts = std::move(run.exc_counts);
    response.cls_counts = std::move(run.cls_counts);
    return response;
}

SampleResponse SymStdpNetwork::train(std::span<const std::uint8_t> image, int label, std::uint32_t serial) {
    scale_weights(Phase::train);
    return run_sample(image, label, serial, Phase::train, state_, weights_, &scratch_);
}

SampleResponse SymStdpNetwork::test(std::span<const std::uint8_t> image, std::uint32_t serial,
                                    SymStdpState& state) const {
    // Determinism: test mode never writes the weights; the const_cast only satisfies the shared loop.
    return run_sample(image, -1, serial, Phase::test, state, const_cast<SymStdpWeights&>(weights_), nullptr);
}

}  // namespace myelin::learning
