// MYELIN_HOST_DEVICE marks the few functions the CUDA backend (sim/cuda/) runs on the GPU as
// they are, so both backends share one definition of a model's step. Empty for g++.
#pragma once

#if defined(__CUDACC__)
#define MYELIN_HOST_DEVICE __host__ __device__
#else
#define MYELIN_HOST_DEVICE
#endif

// For small functions called once per neuron inside a model's loop: a call the compiler chooses
// not to inline stops the loop from vectorising (seen: exp_nonpositive out of line made
// IF_cond_exp's update 3x slower).
#if defined(__CUDACC__)
#define MYELIN_FORCE_INLINE __forceinline__
#else
#define MYELIN_FORCE_INLINE [[gnu::always_inline]] inline
#endif
