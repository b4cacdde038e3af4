// Appending JSON strings and ISO dates to a text buffer without a DOM or
// snprintf: shared by the writers that stream large answers (the canonical
// policy JSON, the one-person recommend answer, roster CSV/JSON; issue 15).
#pragma once

#include <cstring>
#include <string>
#include <string_view>

#include <canbao/date.hpp>

namespace canbao::detail {

// nlohmann's dump() escapes (ensure_ascii off), so streamed text equals a
// DOM's dump byte for byte: the two-character escapes for " \ \b \f \n \r \t,
// \u00xx (lower-case hex) for the other control characters, every other byte
// (UTF-8 included, 0x7F too) as it is. Runs without escapes are copied whole.
inline void append_json_string_body(std::string& out, std::string_view s) {
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static const char hex[] = "0123456789abcdef";
        const char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(u, sizeof u);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
}

inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_string_body(out, s);
  out += '"';
}

// "YYYY-MM-DD" into text for years 1000..9999; false (nothing written) for
// other years, which Date::iso() writes its own way.
inline bool iso_date_digits(const YearMonthDay& ymd, char (&text)[10]) {
  const int y = ymd.year, m = ymd.month, day = ymd.day;
  if (y < 1000 || y > 9999) return false;
  const char digits[] = {static_cast<char>('0' + y / 1000),
                         static_cast<char>('0' + y / 100 % 10),
                         static_cast<char>('0' + y / 10 % 10),
                         static_cast<char>('0' + y % 10),
                         '-',
                         static_cast<char>('0' + m / 10),
                         static_cast<char>('0' + m % 10),
                         '-',
                         static_cast<char>('0' + day / 10),
                         static_cast<char>('0' + day % 10)};
  std::memcpy(text, digits, sizeof text);
  return true;
}

// Date::iso() without its snprintf: "YYYY-MM-DD"; other years as iso() writes them.
inline void append_iso_date(std::string& out, Date d) {
  char text[10];
  if (!iso_date_digits(d.ymd(), text)) {
    out += d.iso();
    return;
  }
  out.append(text, sizeof text);
}

}  // namespace canbao::detail
