// The scalar pieces of JSON text written straight into a string, byte for
// byte as nlohmann's dump() prints the same values: the per-unit elements of
// a national report (millions of them, issue 15) are appended with these
// rather than built as a DOM and dumped. Keys are written by hand in
// nlohmann's order (std::map: sorted bytewise); the DOM form of an element is
// the parse of its text (JsonHoles::array), so each has one definition.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include <canbao/date.hpp>
#include <canbao/ratio.hpp>

#include "text_append.hpp"

namespace canbao::detail {

inline void append_json_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  out.append(buf, end);
}

inline void append_json_bool(std::string& out, bool b) { out += b ? "true" : "false"; }

inline void append_json_date(std::string& out, Date d) {
  out += '"';
  append_iso_date(out, d);  // digits and '-': nothing to escape
  out += '"';
}

inline void append_json_date_or_null(std::string& out, const std::optional<Date>& d) {
  if (d) {
    append_json_date(out, *d);
  } else {
    out += "null";
  }
}

inline void append_json_ratio(std::string& out, const Ratio& r) {
  append_json_string(out, r.decimal_string());
}

inline void append_json_ratio_or_null(std::string& out, const std::optional<Ratio>& r) {
  if (r) {
    append_json_ratio(out, *r);
  } else {
    out += "null";
  }
}

}  // namespace canbao::detail
