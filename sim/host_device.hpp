// MYELIN_HOST_DEVICE marks the few functions the CUDA backend (sim/cuda/) runs on the GPU as
// they are, so both backends share one definition of a model's step. Empty for g++.
#pragma once

#if defined(__CUDACC__)
#define MYELIN_HOST_DEVICE __host__ __device__
#else
#define MYELIN_HOST_DEVICE
#endif
