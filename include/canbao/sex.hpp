// Sex as recorded in a resident ID number (GB 11643-1999: digit 17 odd = male,
// even = female) and as used by the statutory retirement rule (men and women
// have different original retirement ages).
#pragma once

#include <string_view>

namespace canbao {

enum class Sex { male, female };

// "male" / "female": the spelling used in JSON, CSV and the CLI.
constexpr const char* sex_name(Sex sex) noexcept { return sex == Sex::male ? "male" : "female"; }

// Accepts exactly "male" / "female" or the Chinese "男" / "女" (UTF-8).
// Returns false and leaves *out untouched for anything else (no case folding,
// no "m"/"f" guessing).
constexpr bool parse_sex(std::string_view text, Sex* out) noexcept {
  if (text == "male" || text == "\xE7\x94\xB7") {  // 男
    *out = Sex::male;
    return true;
  }
  if (text == "female" || text == "\xE5\xA5\xB3") {  // 女
    *out = Sex::female;
    return true;
  }
  return false;
}

}  // namespace canbao
