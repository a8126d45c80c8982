// The error types of the library: thrown where a fact is known, printed once by the CLI.
// STYLE.md "Errors": ParamError (key, value), ConfigError (file:line:column), IoError (path).
#pragma once

#include <stdexcept>
#include <string>

namespace myelin {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A parameter value that breaks a rule of its model or rule ("tau_m = -5 must be > 0 (ms)").
class ParamError : public Error {
public:
    ParamError(std::string key, const std::string& message)
        : Error(message), key_(std::move(key)) {}
    const std::string& key() const { return key_; }

private:
    std::string key_;
};

// An error in an input file or command-line setting, located at file:line:column.
class ConfigError : public Error {
public:
    ConfigError(std::string file, int line, int column, const std::string& message)
        : Error(format(file, line, column, message)), file_(std::move(file)), line_(line),
          column_(column) {}
    const std::string& file() const { return file_; }
    int line() const { return line_; }
    int column() const { return column_; }

private:
    static std::string format(const std::string& file, int line, int column,
                              const std::string& message) {
        if (file.empty()) return message;
        if (line <= 0) return file + ": " + message;
        return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
    }
    std::string file_;
    int line_, column_;
};

// A failure to read or write a file.
class IoError : public Error {
public:
    IoError(const std::string& path, const std::string& message) : Error(path + ": " + message) {}
};

// A broken invariant: a bug in Myelin, never the user's fault.
class InternalError : public Error {
public:
    explicit InternalError(const std::string& message)
        : Error("internal error: " + message + " (please report this)") {}
};

}  // namespace myelin

#define MYELIN_ASSERT(condition)                                                        \
    do {                                                                                \
        if (!(condition))                                                               \
            throw ::myelin::InternalError(std::string(__FILE__) + ":" +                 \
                                          std::to_string(__LINE__) + ": " #condition); \
    } while (false)

namespace myelin {

// An invalid part of a network description, located by section, item and key path
// ("params.tau_m", "connect.p") so io/ can point at the config line that set it.
class SpecError : public Error {
public:
    enum class Section { simulation, population, projection, poisson_input, record };
    SpecError(Section section, std::size_t index, std::string key, const std::string& message)
        : Error(message), section_(section), index_(index), key_(std::move(key)) {}
    Section section() const { return section_; }
    std::size_t index() const { return index_; }
    const std::string& key() const { return key_; }

private:
    Section section_;
    std::size_t index_;
    std::string key_;
};

}  // namespace myelin
