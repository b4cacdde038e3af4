#include <canbao/error.hpp>

#include <canbao/detail/message_text.hpp>

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
// Every message passes here, so no path can show a whole ID number or bytes
// that are not UTF-8 (they would break JSON answers and Python str). The
// length cap is a backstop: messages quote user values as short excerpts
// already, but a value echoed whole somewhere must not make a 100 MB message.
constexpr std::size_t kMaxMessageBytes = 1024;

std::string safe(const std::string& text) {
  return detail::valid_utf8(detail::excerpt(detail::mask_id_numbers(text), kMaxMessageBytes));
}

std::string compose(const std::string& where, const std::string& message) {
  return where.empty() ? message : where + ": " + message;
}
}  // namespace

Error::Error(ErrorKind kind, std::string where, std::string message)
    : std::runtime_error(compose(safe(where), safe(message))),
      kind_(kind),
      where_(safe(where)),
      message_(safe(message)) {}

}  // namespace canbao
