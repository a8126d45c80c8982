// Small helpers over the HDF5 C++ API shared by the recording writer and reader.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <string>
#include <vector>

namespace myelin::io::h5 {

template <class T> const H5::PredType& type_of();
template <> inline const H5::PredType& type_of<std::uint32_t>() { return H5::PredType::NATIVE_UINT32; }
template <> inline const H5::PredType& type_of<std::uint16_t>() { return H5::PredType::NATIVE_UINT16; }
template <> inline const H5::PredType& type_of<std::int32_t>() { return H5::PredType::NATIVE_INT32; }
template <> inline const H5::PredType& type_of<std::int64_t>() { return H5::PredType::NATIVE_INT64; }
template <> inline const H5::PredType& type_of<double>() { return H5::PredType::NATIVE_DOUBLE; }
template <> inline const H5::PredType& type_of<float>() { return H5::PredType::NATIVE_FLOAT; }

// A dataset of `columns` values per row that grows by rows (columns = 0: one-dimensional),
// chunked and compressed (shuffle + deflate 1: most of the gain at little cost).
template <class T>
H5::DataSet create_growing(H5::Group& group, const std::string& name, hsize_t columns, hsize_t chunk_rows) {
    const int rank = columns ? 2 : 1;
    const hsize_t dims[2] = {0, columns}, max[2] = {H5S_UNLIMITED, columns};
    const hsize_t chunk[2] = {std::max<hsize_t>(chunk_rows, 1), std::max<hsize_t>(columns, 1)};
    H5::DSetCreatPropList properties;
    properties.setChunk(rank, chunk);
    properties.setShuffle();
    properties.setDeflate(1);
    return group.createDataSet(name, type_of<T>(), H5::DataSpace(rank, dims, max), properties);
}

// Appends `data` (whole rows) to a growing dataset.
template <class T>
void append(H5::DataSet dataset, const std::vector<T>& data) {
    if (data.empty()) return;
    H5::DataSpace space = dataset.getSpace();
    const int rank = space.getSimpleExtentNdims();
    hsize_t dims[2] = {0, 0};
    space.getSimpleExtentDims(dims);
    const hsize_t columns = rank == 2 ? dims[1] : 1;
    const hsize_t rows = data.size() / columns;
    const hsize_t grown[2] = {dims[0] + rows, dims[1]};
    dataset.extend(grown);
    H5::DataSpace file_space = dataset.getSpace();
    const hsize_t offset[2] = {dims[0], 0}, count[2] = {rows, columns};
    file_space.selectHyperslab(H5S_SELECT_SET, count, offset);
    const H5::DataSpace memory(rank, count);
    dataset.write(data.data(), type_of<T>(), memory, file_space);
}

template <class T>
void write_vector(H5::Group& group, const std::string& name, const std::vector<T>& data) {
    const hsize_t dims[1] = {data.size()};
    H5::DataSet dataset = group.createDataSet(name, type_of<T>(), H5::DataSpace(1, dims));
    if (!data.empty()) dataset.write(data.data(), type_of<T>());
}

template <class T>
std::vector<T> read_vector(const H5::DataSet& dataset) {
    const H5::DataSpace space = dataset.getSpace();
    std::vector<T> out(static_cast<std::size_t>(space.getSimpleExtentNpoints()));
    if (!out.empty()) dataset.read(out.data(), type_of<T>());
    return out;
}

inline void set_attribute(H5::H5Object& object, const std::string& name, const std::string& value) {
    H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    type.setCset(H5T_CSET_UTF8);
    object.createAttribute(name, type, H5::DataSpace(H5S_SCALAR)).write(type, value);
}

template <class T>
void set_attribute(H5::H5Object& object, const std::string& name, T value) {
    object.createAttribute(name, type_of<T>(), H5::DataSpace(H5S_SCALAR)).write(type_of<T>(), &value);
}

inline std::string string_attribute(const H5::H5Object& object, const std::string& name) {
    const H5::Attribute attribute = object.openAttribute(name);
    std::string value;
    attribute.read(attribute.getStrType(), value);
    return value;
}

template <class T>
T numeric_attribute(const H5::H5Object& object, const std::string& name) {
    T value{};
    object.openAttribute(name).read(type_of<T>(), &value);
    return value;
}

}  // namespace myelin::io::h5
