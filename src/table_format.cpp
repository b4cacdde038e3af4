#include <canbao/table_format.hpp>

namespace canbao {

std::optional<TextEncoding> parse_text_encoding(std::string_view name) noexcept {
  if (name == "utf-8" || name == "utf8") return TextEncoding::utf8;
  // GBK and GB2312 are subsets of GB18030: one decoder reads all three.
  if (name == "gb18030" || name == "gbk") return TextEncoding::gb18030;
  return std::nullopt;
}

std::optional<TableDelimiter> parse_table_delimiter(std::string_view name) noexcept {
  if (name == "comma") return TableDelimiter::comma;
  if (name == "tab") return TableDelimiter::tab;
  return std::nullopt;
}

}  // namespace canbao
