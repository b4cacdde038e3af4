// Whole numbers as offices type them (docs/office-data.md, "Numbers"): the
// one parser of progress values, resident_grade_yuan and integer facts.
// Accepted: ASCII or full-width digits (０-９), a leading '-' or '－', and
// thousands separators ',' or '，' between groups of exactly three digits
// ("1,330", "１，３３０"). Anything else, "1,33" or "13,30" included (which
// thousand was meant?), is refused with a reason; nothing is guessed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace canbao::detail {

// True and *out set when `text` is such a number that fits int64. Otherwise
// false and, when `reason` is given, why ("thousands separators group exactly
// three digits").
bool parse_office_integer(std::string_view text, std::int64_t* out, std::string* reason = nullptr);

}  // namespace canbao::detail
