#include <canbao/error.hpp>

namespace canbao {

const char* error_kind_name(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::invalid_argument:
      return "invalid_argument";
    case ErrorKind::policy:
      return "policy_error";
    case ErrorKind::input:
      return "input_error";
    case ErrorKind::overflow:
      return "overflow";
    case ErrorKind::internal:
      return "internal";
  }
  return "unknown";
}

namespace {
std::string compose(const std::string& where, const std::string& message) {
  return where.empty() ? message : where + ": " + message;
}
}  // namespace

Error::Error(ErrorKind kind, std::string where, std::string message)
    : std::runtime_error(compose(where, message)),
      kind_(kind),
      where_(std::move(where)),
      message_(std::move(message)) {}

}  // namespace canbao
