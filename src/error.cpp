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

std::string ErrorPlace::text() const {
  if (row) return name + "[" + std::to_string(*row) + "]";
  if (!line) return name;
  std::string w = name.empty() ? "line " + std::to_string(*line) : name + ":" + std::to_string(*line);
  if (column) w += name.empty() ? ", column " + std::to_string(*column) : ":" + std::to_string(*column);
  return w;
}

Error::Error(ErrorKind kind, std::string where, std::string message)
    : std::runtime_error(compose(safe(where), safe(message))),
      kind_(kind),
      where_(safe(where)),
      message_(safe(message)) {
  place_.name = where_;
}

Error::Error(ErrorKind kind, ErrorPlace place, std::string message)
    : Error(kind, place.text(), std::move(message)) {
  place_.name = safe(place.name);
  place_.line = place.line;
  place_.column = place.column;
  place_.row = place.row;
}

}  // namespace canbao
