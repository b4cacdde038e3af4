// Sex as recorded in a resident ID number (GB 11643-1999: digit 17 odd = male,
// even = female) and as used by the statutory retirement rule (men and women
// have different original retirement ages).
#pragma once

#include <string_view>

namespace canbao {

enum class Sex { male, female };

// "male" / "female": the spelling used in JSON, CSV and the CLI.
constexpr const char* sex_name(Sex sex) noexcept { return sex == Sex::male ? "male" : "female"; }

// Every spelling parse_sex accepts: the English names used in JSON, CSV and
// the CLI, and the Chinese 男 / 女 of office rosters (UTF-8). Python maps
// roster columns with this table (canbao._core.SEX_SPELLINGS).
struct SexSpelling {
  std::string_view text;
  Sex sex;
};
inline constexpr SexSpelling kSexSpellings[] = {{"male", Sex::male},
                                                {"\xE7\x94\xB7", Sex::male},  // 男
                                                {"female", Sex::female},
                                                {"\xE5\xA5\xB3", Sex::female}};  // 女

// Accepts exactly a spelling of kSexSpellings. Returns false and leaves *out
// untouched for anything else (no case folding, no "m"/"f" guessing).
constexpr bool parse_sex(std::string_view text, Sex* out) noexcept {
  for (const SexSpelling& s : kSexSpellings) {
    if (text == s.text) {
      *out = s.sex;
      return true;
    }
  }
  return false;
}

}  // namespace canbao
