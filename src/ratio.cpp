#include <canbao/ratio.hpp>

#include <cstdlib>
#include <numeric>

#include "detail/int128.hpp"

namespace canbao {

int compare(const Ratio& a, const Ratio& b) {
  const detail::int128 l = static_cast<detail::int128>(a.num) * b.den;
  const detail::int128 r = static_cast<detail::int128>(b.num) * a.den;
  return l < r ? -1 : (l > r ? 1 : 0);
}

Ratio Ratio::reduced() const {
  if (den <= 0) return *this;
  // |num| in unsigned arithmetic: -INT64_MIN does not fit in int64 (a policy
  // may say "min_score": -9223372036854775808).
  const std::uint64_t magnitude = num < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(num)
                                          : static_cast<std::uint64_t>(num);
  const std::uint64_t g = std::gcd(magnitude, static_cast<std::uint64_t>(den));
  if (g <= 1) return *this;
  const auto sg = static_cast<std::int64_t>(g);  // g <= den, so it fits
  return Ratio(num / sg, den / sg);
}

namespace {
std::string fixed(detail::int128 num, detail::int128 den, int decimals) {
  // Rounded half away from zero to `decimals` places, trailing zeros trimmed.
  const bool negative = num < 0;
  if (negative) num = -num;
  detail::int128 scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  detail::int128 scaled = (num * scale * 2 + den) / (den * 2);
  const detail::int128 whole = scaled / scale;
  detail::int128 frac = scaled % scale;
  std::string s = std::to_string(static_cast<long long>(whole));
  if (decimals > 0 && frac != 0) {
    std::string f(static_cast<std::size_t>(decimals), '0');
    for (int i = decimals - 1; i >= 0; --i) {
      f[static_cast<std::size_t>(i)] = static_cast<char>('0' + static_cast<int>(frac % 10));
      frac /= 10;
    }
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += "." + f;
  }
  if (negative && s != "0") s = "-" + s;
  return s;
}
}  // namespace

std::string Ratio::percent_string(int decimals) const {
  return fixed(static_cast<detail::int128>(num) * 100, den, decimals) + "%";
}

std::string Ratio::decimal_string(int decimals) const { return fixed(num, den, decimals); }

bool parse_ratio(const std::string& text, Ratio* out, std::string* reason) {
  auto fail = [&]() {
    if (reason) *reason = "expected a number such as 330, 0.9 or \"90%\", got \"" + text + "\"";
    return false;
  };
  std::string s = text;
  bool percent = false;
  if (!s.empty() && s.back() == '%') {
    percent = true;
    s.pop_back();
  }
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  std::int64_t num = 0, den = 1;
  bool any = false, point = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return fail();
    any = true;
    if (__builtin_mul_overflow(num, 10, &num) || __builtin_add_overflow(num, c - '0', &num)) {
      if (reason) *reason = "number \"" + text + "\" has too many digits";
      return false;
    }
    if (point && __builtin_mul_overflow(den, 10, &den)) {
      if (reason) *reason = "number \"" + text + "\" has too many decimals";
      return false;
    }
  }
  if (!any) return fail();
  if (percent && __builtin_mul_overflow(den, 100, &den)) {
    if (reason) *reason = "number \"" + text + "\" has too many decimals";
    return false;
  }
  *out = Ratio(negative ? -num : num, den).reduced();
  return true;
}

const char* comparison_symbol(Comparison c) {
  switch (c) {
    case Comparison::ge:
      return ">=";
    case Comparison::gt:
      return ">";
    case Comparison::le:
      return "<=";
    case Comparison::lt:
      return "<";
    case Comparison::eq:
      return "==";
  }
  return "?";
}

bool parse_comparison(const std::string& text, Comparison* out) {
  if (text == ">=")
    *out = Comparison::ge;
  else if (text == ">")
    *out = Comparison::gt;
  else if (text == "<=")
    *out = Comparison::le;
  else if (text == "<")
    *out = Comparison::lt;
  else if (text == "==")
    *out = Comparison::eq;
  else
    return false;
  return true;
}

}  // namespace canbao
