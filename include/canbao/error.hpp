// Errors: one hierarchy rooted at canbao::Error. Each error has a stable kind
// (mapped to C status codes and Python exceptions) and a location: a JSON path
// in a policy (`units[3].targets.resident_enrolled`), `line:column` in a CSV,
// or an argument name. what() is "<where>: <message>".
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <canbao/export.hpp>

namespace canbao {

// Stable numbers: they are the C ABI's canbao_status values, never renumber.
enum class ErrorKind : int {
  invalid_argument = 1,  // a caller passed something unusable (argument named)
  policy = 2,            // a policy document is malformed or inconsistent
  input = 3,             // progress / roster / case data is malformed
  overflow = 4,          // exact integer arithmetic would overflow
  internal = 6,          // a bug in canbao
};

CANBAO_API const char* error_kind_name(ErrorKind kind) noexcept;

// Where an error is, as fields, for callers that act on the place (the C ABI
// renumbers batch rows, Python sets .line/.column/.row) instead of parsing
// where() back out of text.
struct CANBAO_API ErrorPlace {
  std::string name;                     // JSON path, argument, column ("columns.sex") or file
  std::optional<std::uint64_t> line;    // 1-based line of a CSV text
  std::optional<std::uint64_t> column;  // 1-based column on that line (CSV field number)
  std::optional<std::uint64_t> row;     // 0-based row of batch columns
  // The place as where() shows it: "name[row]", "name:line:column",
  // "line L, column C" (no name), or the name alone.
  std::string text() const;
};

class CANBAO_API Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string where, std::string message);
  Error(ErrorKind kind, ErrorPlace place, std::string message);
  ErrorKind kind() const noexcept { return kind_; }
  // where and message are stored with ID numbers masked
  // (detail::mask_id_numbers) and invalid UTF-8 replaced: safe to show anywhere.
  // JSON path, "file:line:column", "line L, column C" or argument name; may be empty.
  const std::string& where() const noexcept { return where_; }
  const std::string& message() const noexcept { return message_; }
  // The same place as fields; only `name` is set when the error was made
  // from a where text.
  const ErrorPlace& place() const noexcept { return place_; }

 private:
  ErrorKind kind_;
  std::string where_;
  std::string message_;
  ErrorPlace place_;
};

// A policy document is wrong: where() is its JSON path.
class CANBAO_API PolicyError : public Error {
 public:
  PolicyError(std::string path, std::string message)
      : Error(ErrorKind::policy, std::move(path), std::move(message)) {}
};

// Input data (CSV, progress, roster, person, test cases) is wrong: where() names
// the line and column or the field.
class CANBAO_API InputError : public Error {
 public:
  InputError(std::string where, std::string message)
      : Error(ErrorKind::input, std::move(where), std::move(message)) {}
  InputError(ErrorPlace place, std::string message)
      : Error(ErrorKind::input, std::move(place), std::move(message)) {}
};

class CANBAO_API ArgumentError : public Error {
 public:
  ArgumentError(std::string argument, std::string message)
      : Error(ErrorKind::invalid_argument, std::move(argument), std::move(message)) {}
};

class CANBAO_API OverflowError : public Error {
 public:
  OverflowError(std::string where, std::string message)
      : Error(ErrorKind::overflow, std::move(where), std::move(message)) {}
};

}  // namespace canbao
