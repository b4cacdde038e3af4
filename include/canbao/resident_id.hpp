// Resident ID numbers (公民身份号码, GB 11643-1999).
//
// 18 characters: 6-digit region code, 8-digit birth date YYYYMMDD, 3-digit
// sequence (odd last digit = male, even = female), and an ISO 7064 MOD 11-2
// check character: sum of digit_i * weight_i with weights
// 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainder 0..10 maps to 1 0 X 9 8 7 6 5 4 3 2.
// Legacy 15-digit numbers (region, YYMMDD of a 19YY birth, sequence) are
// upgraded by inserting "19" and computing the check character.
//
// What "valid" means here (see docs/resident-id.md):
//   - 15 or 18 characters, digits only except an 18th character X (x accepted,
//     stored as X);
//   - the region code's first two digits are a real province-level code:
//     11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82, 83 (GB/T 2260;
//     81/82/83 are the Hong Kong, Macao and Taiwan residence-permit prefixes).
//     The remaining four region digits are not checked against a county list;
//   - the birth date is a real calendar date (leap years included). A date in
//     the future is not rejected here: whether it is plausible depends on an
//     as-of date the caller owns;
//   - the check character matches.
//
// Privacy: no message produced here ever contains a whole number; where a
// number is shown at all it is mask_id()'s form (first 6 + last 4).
#pragma once

#include <canbao/export.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <canbao/date.hpp>
#include <canbao/sex.hpp>

namespace canbao {

// Why a number was rejected.
enum class IdFault {
  wrong_length,         // not 15 or 18 characters
  bad_character,        // a non-digit where a digit belongs (or a non-X check character)
  bad_region,           // province prefix is not a real province-level code
  bad_birth_date,       // digits 7-14 are not a calendar date
  bad_check_character,  // the MOD 11-2 check character does not match
};

struct IdProblem {
  IdFault fault = IdFault::wrong_length;
  // One short English sentence, e.g. "check character should be X",
  // "birth date 19491332 is not a date", "expected 15 or 18 characters, got 17".
  std::string reason;
};

// A validated 18-character number (upper-case X). Immutable value type.
class CANBAO_API ResidentId {
 public:
  // Throws InputError(where, reason) when `text` is not a valid number.
  static ResidentId parse(std::string_view text, std::string_view where = "resident_id");

  // The full 18 characters. Handle with care: never log or print this.
  std::string_view digits() const { return std::string_view(chars_.data(), chars_.size()); }
  std::string_view region_code() const { return digits().substr(0, 6); }
  Date birth_date() const { return birth_; }
  Sex sex() const { return (chars_[16] - '0') % 2 == 1 ? Sex::male : Sex::female; }
  // "110105********002X".
  std::string masked() const;

  friend bool operator==(const ResidentId& a, const ResidentId& b) { return a.chars_ == b.chars_; }
  friend bool operator!=(const ResidentId& a, const ResidentId& b) { return a.chars_ != b.chars_; }
  friend bool operator<(const ResidentId& a, const ResidentId& b) { return a.chars_ < b.chars_; }

 private:
  friend CANBAO_API std::optional<ResidentId> parse_resident_id(std::string_view, IdProblem*);
  ResidentId(const std::array<char, 18>& chars, Date birth) : chars_(chars), birth_(birth) {}
  std::array<char, 18> chars_;
  Date birth_;
};

// The number, or nothing and (if `why` is given) the reason.
CANBAO_API std::optional<ResidentId> parse_resident_id(std::string_view text, IdProblem* why = nullptr);

// The MOD 11-2 check character ('0'..'9' or 'X') for the first 17 digits;
// `first17` must be 17 ASCII digits (ArgumentError otherwise).
CANBAO_API char resident_id_check_character(std::string_view first17);

// Batch fast path: true exactly when parse_resident_id(std::string_view(p, n))
// would succeed. No allocation, no exception.
CANBAO_API bool resident_id_valid(const char* p, std::size_t n) noexcept;

// Batch fast path: on success stores the birth date and sex and returns true;
// on failure returns false and leaves the outputs untouched.
CANBAO_API bool resident_id_decode(const char* p, std::size_t n, Date* birth, Sex* sex) noexcept;

// Masks any text that may be an ID number: the first 6 and the last 4
// characters stay, the rest become '*' ("110105********002X"). Text shorter
// than 11 characters is masked entirely, so nothing short is ever shown whole.
CANBAO_API std::string mask_id(std::string_view text);

}  // namespace canbao
