#include <canbao/money.hpp>

#include <cstdio>

namespace canbao {

std::string Fen::yuan_string() const {
  // Avoid negating INT64_MIN: work in unsigned magnitude.
  const bool negative = fen_ < 0;
  const std::uint64_t magnitude = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(fen_)
                                           : static_cast<std::uint64_t>(fen_);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", negative ? "-" : "",
                static_cast<unsigned long long>(magnitude / 100),
                static_cast<unsigned long long>(magnitude % 100));
  return buf;
}

Fen operator+(Fen a, Fen b) {
  std::int64_t r;
  if (__builtin_add_overflow(a.fen_, b.fen_, &r)) {
    throw OverflowError("money", "sum of " + a.yuan_string() + " and " + b.yuan_string() +
                                     " yuan overflows int64 fen");
  }
  return Fen(r);
}

Fen operator-(Fen a, Fen b) {
  std::int64_t r;
  if (__builtin_sub_overflow(a.fen_, b.fen_, &r)) {
    throw OverflowError("money", "difference overflows int64 fen");
  }
  return Fen(r);
}

Fen operator*(Fen per_person, std::int64_t persons) {
  std::int64_t r;
  if (__builtin_mul_overflow(per_person.fen_, persons, &r)) {
    throw OverflowError("money", per_person.yuan_string() + " yuan x " + std::to_string(persons) +
                                     " overflows int64 fen");
  }
  return Fen(r);
}

bool parse_yuan(const std::string& text, Fen* out, std::string* reason) {
  auto fail = [&](const std::string& why) {
    if (reason) *reason = why;
    return false;
  };
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  std::int64_t whole = 0;
  std::size_t start = i;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (__builtin_mul_overflow(whole, 10, &whole) ||
        __builtin_add_overflow(whole, text[i] - '0', &whole)) {
      return fail("amount \"" + text + "\" is too large");
    }
  }
  if (i == start) return fail("expected an amount in yuan such as 0.80, got \"" + text + "\"");
  std::int64_t cents = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int decimals = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++decimals) {
      if (decimals >= 2) return fail("amount \"" + text + "\" has more than two decimals (fen)");
      cents = cents * 10 + (text[i] - '0');
    }
    if (decimals == 0) return fail("expected digits after the decimal point in \"" + text + "\"");
    if (decimals == 1) cents *= 10;
  }
  if (i != text.size())
    return fail("expected an amount in yuan such as 0.80, got \"" + text + "\"");
  std::int64_t fen;
  if (__builtin_mul_overflow(whole, 100, &fen) || __builtin_add_overflow(fen, cents, &fen)) {
    return fail("amount \"" + text + "\" is too large");
  }
  *out = Fen(negative ? -fen : fen);
  return true;
}

}  // namespace canbao
