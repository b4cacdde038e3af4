// Money: an exact integer number of fen (分, 1/100 yuan), int64. Arithmetic that
// would overflow throws OverflowError; it never wraps. Seed 000's tiers are
// 100, 80 and 60 fen per person.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include <canbao/error.hpp>

namespace canbao {

class CANBAO_API Fen {
 public:
  constexpr Fen() = default;
  constexpr explicit Fen(std::int64_t fen) : fen_(fen) {}
  constexpr std::int64_t count() const { return fen_; }

  // "1234.00", "-0.05": yuan with exactly two decimals (for reports).
  std::string yuan_string() const;

  friend constexpr bool operator==(Fen a, Fen b) { return a.fen_ == b.fen_; }
  friend constexpr bool operator!=(Fen a, Fen b) { return a.fen_ != b.fen_; }
  friend constexpr bool operator<(Fen a, Fen b) { return a.fen_ < b.fen_; }
  friend constexpr bool operator<=(Fen a, Fen b) { return a.fen_ <= b.fen_; }
  friend constexpr bool operator>(Fen a, Fen b) { return a.fen_ > b.fen_; }
  friend constexpr bool operator>=(Fen a, Fen b) { return a.fen_ >= b.fen_; }

  // Checked arithmetic (src/money.cpp, so this header stays portable C++).
  friend CANBAO_API Fen operator+(Fen a, Fen b);
  friend CANBAO_API Fen operator-(Fen a, Fen b);
  Fen& operator+=(Fen b) { return *this = *this + b; }
  Fen& operator-=(Fen b) { return *this = *this - b; }

  // A rate in fen per person times a number of persons.
  friend CANBAO_API Fen operator*(Fen per_person, std::int64_t persons);

 private:
  std::int64_t fen_ = 0;
};

// Parses "1", "0.8", "1234.50" yuan into fen exactly; nothing for more than two
// decimals or a malformed number ("0.805" is not a whole number of fen).
CANBAO_API bool parse_yuan(const std::string& text, Fen* out, std::string* reason = nullptr);

}  // namespace canbao
