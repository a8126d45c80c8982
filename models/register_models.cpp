// The one list of neuron models and spike sources a config can name.
#include "models/register_models.hpp"

#include "models/adex.hpp"
#include "models/image_sequence_encoder.hpp"
#include "models/integrator.hpp"
#include "models/izhikevich.hpp"
#include "models/latency_encoder.hpp"
#include "models/lif_cond_exp.hpp"
#include "models/lif_curr_delta.hpp"
#include "models/lif_curr_exp.hpp"
#include "models/meta_neuron.hpp"
#include "models/poisson_encoder.hpp"
#include "models/poisson_source.hpp"
#include "models/spike_source_array.hpp"
#include "models/tess_lif.hpp"
#include "models/ultra_dlif.hpp"
#include "models/ultra_lif.hpp"
#include "models/ultra_plif.hpp"

namespace myelin::models {

void register_models(sim::ModelRegistry& registry) {
    registry.add<LifCurrExp, LifCurrExpSingle>("LIF, exponential current synapses, exact integration");
    registry.add<LifCondExp>("LIF, exponential conductance synapses, exponential Euler");
    registry.add<LifCurrDelta, LifCurrDeltaSingle>("LIF, delta synapses (voltage jumps), exact integration");
    registry.add<MetaNeuron>("probabilistic meta neuron: sigmoid spiking, release probability, per-neuron intrinsics");
    registry.add<AdEx>("adaptive exponential IF (Brette & Gerstner 2005), exponential conductance synapses, odeint");
    registry.add<Izhikevich>("Izhikevich (2003), delta synapses (v jumps by the weight in mV), odeint");
    registry.add<UltraLif>("log-sum-exp (max-plus) LIF at temperature eps, soft spike and reset; discrete time");
    registry.add<UltraPlif>("UltraLIF with a decay factor tau per neuron (a learnable state column)");
    registry.add<UltraDlif>("log-sum-exp neuron coupled to its two ring neighbours (diffusion); discrete time");
    registry.add<TessLif>("discrete-time LIF with soft reset (v -= v_thresh), the TESS hidden neuron; per step");
    registry.add(PoissonSource::info());
    registry.add(SpikeSourceArray::info());
    registry.add(PoissonEncoder::info());
    registry.add(LatencyEncoder::info());
    registry.add<Integrator>("non-spiking readout: v sums gain * input (trained networks' output layer)");
    registry.add(ImageSequenceEncoder::info());
}

}  // namespace myelin::models
