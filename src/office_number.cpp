#include "detail/office_number.hpp"

namespace canbao::detail {
namespace {

// Full-width forms (U+FF0C ，, U+FF0D －, U+FF10..FF19 ０-９) are EF BC xx in UTF-8.
constexpr unsigned char kFw0 = 0xEF, kFw1 = 0xBC;

// The next character at `pos`: a digit (0..9), ',' , '-' or other (0). Advances pos.
int next(std::string_view s, std::size_t& pos, int& digit) {
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c >= '0' && c <= '9') {
    digit = c - '0';
    ++pos;
    return 'd';
  }
  if (c == ',' || c == '-') {
    ++pos;
    return c;
  }
  if (c == kFw0 && pos + 2 < s.size() && static_cast<unsigned char>(s[pos + 1]) == kFw1) {
    const auto t = static_cast<unsigned char>(s[pos + 2]);
    pos += 3;
    if (t >= 0x90 && t <= 0x99) {
      digit = t - 0x90;
      return 'd';
    }
    if (t == 0x8C) return ',';
    if (t == 0x8D) return '-';
  }
  return 0;
}

}  // namespace

bool parse_office_integer(std::string_view text, std::int64_t* out, std::string* reason) {
  auto fail = [&](const char* why) {
    if (reason) *reason = why;
    return false;
  };
  const char* kExpected = "expected a whole number";
  if (text.empty()) return fail(kExpected);
  // Plain ASCII digits that cannot overflow (18 at most), as most cells are:
  // no separators or full-width forms to look for.
  if (text.size() <= 18) {
    std::int64_t plain = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
      plain = plain * 10 + (text[i] - '0');
    if (i == text.size()) {
      *out = plain;
      return true;
    }
  }
  std::size_t pos = 0;
  bool negative = false;
  std::int64_t v = 0;
  int digits = 0;        // digits in the current group
  bool grouped = false;  // a separator was seen
  bool any = false;
  while (pos < text.size()) {
    int digit = 0;
    const std::size_t at = pos;
    const int k = next(text, pos, digit);
    if (k == '-' && at == 0) {
      negative = true;
      continue;
    }
    if (k == ',') {
      if (!any || (grouped ? digits != 3 : digits > 3))
        return fail("thousands separators group exactly three digits (as in 1,330 or 12,345,678)");
      grouped = true;
      digits = 0;
      continue;
    }
    if (k != 'd') return fail(kExpected);
    any = true;
    ++digits;
    if (__builtin_mul_overflow(v, 10, &v)) return fail("the number is too large");
    if (__builtin_add_overflow(v, negative ? -digit : digit, &v))
      return fail("the number is too large");
  }
  if (!any) return fail(kExpected);
  if (grouped && digits != 3)
    return fail("thousands separators group exactly three digits (as in 1,330 or 12,345,678)");
  *out = v;
  return true;
}

}  // namespace canbao::detail
