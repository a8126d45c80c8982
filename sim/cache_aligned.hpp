// Storage that starts on a cache line: the state columns and input rows that the vectorised
// loops walk in 64-byte groups (8 doubles or 16 floats). With malloc's 16-byte alignment every
// such load and store straddled two cache lines; thread ranges are multiples of 16 neurons
// (sim/partition.hpp), so with aligned columns no group, and no line, is split between threads.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace myelin::sim {

inline constexpr std::size_t cache_line_bytes = 64;

template <class T>
struct CacheAlignedAllocator {
    using value_type = T;
    CacheAlignedAllocator() = default;
    template <class U>
    CacheAlignedAllocator(const CacheAlignedAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{cache_line_bytes}));
    }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t{cache_line_bytes}); }

    template <class U>
    bool operator==(const CacheAlignedAllocator<U>&) const noexcept { return true; }
};

template <class T>
using CacheAlignedVector = std::vector<T, CacheAlignedAllocator<T>>;

}  // namespace myelin::sim
