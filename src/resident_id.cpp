// Resident ID numbers, GB 11643-1999. See include/canbao/resident_id.hpp and
// docs/resident-id.md for what is checked and why.
#include <canbao/resident_id.hpp>

#include <canbao/error.hpp>

namespace canbao {
namespace detail {
namespace {

// ISO 7064 MOD 11-2 as tabulated in GB 11643-1999.
constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

// Province-level codes of GB/T 2260 (11-15, 21-23, 31-37, 41-46, 50-54, 61-65,
// 71 Taiwan) plus 81/82/83, the prefixes of the Hong Kong, Macao and Taiwan
// residents' residence permits, which carry numbers of the same format.
constexpr bool is_province_code(int code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || code == 81 || code == 82 || code == 83;
}

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr char check_character(const char* first17) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[sum % 11];
}

// Outcome of the allocation-free check; the reason text is built from it only
// when a caller asks for one.
struct Check {
  bool ok = false;
  IdFault fault = IdFault::wrong_length;
  std::size_t position = 0;  // 1-based, for bad_character
  char expected = 0;         // for bad_check_character
  std::array<char, 18> chars{};
  Date birth;
};

Check check(const char* p, std::size_t n) {
  Check r;
  if (n != 15 && n != 18) return r;  // wrong_length
  for (std::size_t i = 0; i < n; ++i) {
    const bool last_of_18 = n == 18 && i == 17;
    if (!is_digit(p[i]) && !(last_of_18 && (p[i] == 'X' || p[i] == 'x'))) {
      r.fault = IdFault::bad_character;
      r.position = i + 1;
      return r;
    }
  }
  // Normalise to 18 characters: a 15-digit number is region + YYMMDD of a
  // 19YY birth + sequence; upgrading inserts "19" (GB 11643-1999 replaced it).
  if (n == 18) {
    for (std::size_t i = 0; i < 18; ++i) r.chars[i] = p[i] == 'x' ? 'X' : p[i];
  } else {
    for (std::size_t i = 0; i < 6; ++i) r.chars[i] = p[i];
    r.chars[6] = '1';
    r.chars[7] = '9';
    for (std::size_t i = 6; i < 15; ++i) r.chars[i + 2] = p[i];
    r.chars[17] = check_character(r.chars.data());
  }
  const char* c = r.chars.data();
  if (!is_province_code((c[0] - '0') * 10 + (c[1] - '0'))) {
    r.fault = IdFault::bad_region;
    return r;
  }
  const int year = (c[6] - '0') * 1000 + (c[7] - '0') * 100 + (c[8] - '0') * 10 + (c[9] - '0');
  const int month = (c[10] - '0') * 10 + (c[11] - '0');
  const int day = (c[12] - '0') * 10 + (c[13] - '0');
  const std::optional<Date> birth = Date::from_ymd(year, month, day);
  if (!birth) {
    r.fault = IdFault::bad_birth_date;
    return r;
  }
  r.birth = *birth;
  const char expected = check_character(c);
  if (c[17] != expected) {
    r.fault = IdFault::bad_check_character;
    r.expected = expected;
    return r;
  }
  r.ok = true;
  return r;
}

// Never quotes the whole number: only the part that is wrong.
std::string reason_for(const Check& r, std::size_t n) {
  const char* c = r.chars.data();
  switch (r.fault) {
    case IdFault::wrong_length:
      return "expected 15 or 18 characters, got " + std::to_string(n);
    case IdFault::bad_character:
      return r.position == 18 ? "character 18 should be a digit or X"
                              : "character " + std::to_string(r.position) + " should be a digit";
    case IdFault::bad_region:
      return "region code starts with " + std::string(c, 2) +
             ", which is not a province-level code";
    case IdFault::bad_birth_date:
      return "birth date " + std::string(c + 6, 8) + " is not a date";
    case IdFault::bad_check_character:
      return std::string("check character should be ") + r.expected;
  }
  return "invalid";
}

}  // namespace
}  // namespace detail

std::optional<ResidentId> parse_resident_id(std::string_view text, IdProblem* why) {
  const detail::Check r = detail::check(text.data(), text.size());
  if (!r.ok) {
    if (why) *why = IdProblem{r.fault, detail::reason_for(r, text.size())};
    return std::nullopt;
  }
  return ResidentId(r.chars, r.birth);
}

ResidentId ResidentId::parse(std::string_view text, std::string_view where) {
  IdProblem why;
  std::optional<ResidentId> id = parse_resident_id(text, &why);
  if (!id) throw InputError(std::string(where), why.reason);
  return *id;
}

std::string ResidentId::masked() const { return mask_id(digits()); }

char resident_id_check_character(std::string_view first17) {
  if (first17.size() != 17) {
    throw ArgumentError(
        "first17", "expected 17 digits, got " + std::to_string(first17.size()) + " characters");
  }
  for (std::size_t i = 0; i < 17; ++i) {
    if (!detail::is_digit(first17[i])) {
      throw ArgumentError("first17", "character " + std::to_string(i + 1) + " should be a digit");
    }
  }
  return detail::check_character(first17.data());
}

bool resident_id_valid(const char* p, std::size_t n) noexcept {
  return p != nullptr && detail::check(p, n).ok;
}

bool resident_id_decode(const char* p, std::size_t n, Date* birth, Sex* sex) noexcept {
  if (p == nullptr) return false;
  const detail::Check r = detail::check(p, n);
  if (!r.ok) return false;
  if (birth) *birth = r.birth;
  if (sex) *sex = (r.chars[16] - '0') % 2 == 1 ? Sex::male : Sex::female;
  return true;
}

std::string mask_id(std::string_view text) {
  if (text.size() < 11) return std::string(text.size(), '*');
  std::string out(text.substr(0, 6));
  out.append(text.size() - 10, '*');
  out.append(text.substr(text.size() - 4));
  return out;
}

}  // namespace canbao
