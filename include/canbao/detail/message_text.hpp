// Making user values safe to put in a message: ID numbers masked, long values
// cut to a short excerpt, bytes that are not UTF-8 replaced. canbao::Error
// applies mask_id_numbers() and valid_utf8() to every message it builds; other
// outputs (reject files, CSV) call mask_id_numbers() themselves.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace canbao::detail {

// Masks every digit run that looks like a resident ID number: exactly 15
// digits, or exactly 17 digits followed by a digit or X/x (18 characters), not
// part of a longer digit run. The masked form is mask_id()'s: first 6 and last
// 4 characters kept ("110105********002X"). Other text is unchanged.
std::string mask_id_numbers(std::string_view text);

// Longest excerpt of a user value quoted in a message, in bytes (before "…").
inline constexpr std::size_t excerpt_bytes = 60;

// `text` whole when it fits in excerpt_bytes, else its first excerpt_bytes
// (cut at a UTF-8 character boundary) followed by "…". A digit run cut by
// the excerpt becomes '*' so no part-shown ID number escapes the masking.
std::string excerpt(std::string_view text, std::size_t max_bytes = excerpt_bytes);

// `text` with every byte that is not part of a valid UTF-8 sequence replaced
// by U+FFFD, so messages can always go into JSON and Python str.
std::string valid_utf8(std::string_view text);

}  // namespace canbao::detail
