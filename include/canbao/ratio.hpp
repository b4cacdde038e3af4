// Exact ratios. Rates (参保率, 缴费率), completion ratios and thresholds such as
// "90%" are fractions of integers, compared exactly by cross-multiplication in
// 128 bits (in src/ratio.cpp, so this header stays portable C++); a double
// appears only when a report prints one.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <string>

namespace canbao {

struct CANBAO_API Ratio {
  std::int64_t num = 0;
  std::int64_t den = 1;  // always > 0 in a valid Ratio

  constexpr Ratio() = default;
  constexpr Ratio(std::int64_t n, std::int64_t d = 1) : num(d < 0 ? -n : n), den(d < 0 ? -d : d) {}

  constexpr bool valid() const { return den > 0; }
  double to_double() const { return static_cast<double>(num) / static_cast<double>(den); }
  // Reduced by the greatest common divisor (for stable output).
  Ratio reduced() const;
  // "92.5%" with up to `decimals` decimals, rounded half away from zero, trailing zeros trimmed.
  std::string percent_string(int decimals = 2) const;
  // "330", "1.2", "0.333333": decimal with up to `decimals` decimals, trimmed.
  std::string decimal_string(int decimals = 6) const;

  // -1, 0 or 1 as a < b, a == b, a > b: exact over the whole int64 range.
  friend CANBAO_API int compare(const Ratio& a, const Ratio& b);
  friend bool operator==(const Ratio& a, const Ratio& b) { return compare(a, b) == 0; }
  friend bool operator!=(const Ratio& a, const Ratio& b) { return compare(a, b) != 0; }
  friend bool operator<(const Ratio& a, const Ratio& b) { return compare(a, b) < 0; }
  friend bool operator<=(const Ratio& a, const Ratio& b) { return compare(a, b) <= 0; }
  friend bool operator>(const Ratio& a, const Ratio& b) { return compare(a, b) > 0; }
  friend bool operator>=(const Ratio& a, const Ratio& b) { return compare(a, b) >= 0; }
};

// Parses "90%", "62.5%", "0.9", "330", "-5" exactly. Returns false (and says
// why) for anything else, including more digits than int64 can hold.
CANBAO_API bool parse_ratio(const std::string& text, Ratio* out, std::string* reason = nullptr);

// Comparison operators as written in policies: ">=", ">", "<=", "<", "==".
enum class Comparison { ge, gt, le, lt, eq };
CANBAO_API const char* comparison_symbol(Comparison c);
CANBAO_API bool parse_comparison(const std::string& text, Comparison* out);
inline bool holds(const Ratio& value, Comparison c, const Ratio& threshold) {
  const int k = compare(value, threshold);
  switch (c) {
    case Comparison::ge:
      return k >= 0;
    case Comparison::gt:
      return k > 0;
    case Comparison::le:
      return k <= 0;
    case Comparison::lt:
      return k < 0;
    case Comparison::eq:
      return k == 0;
  }
  return false;
}

}  // namespace canbao
