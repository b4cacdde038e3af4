// How a table file (progress CSV, roster CSV) is written down: its text
// encoding and its delimiter, as offices produce them (docs/office-data.md).
// The default reads what canbao always read and refuses to guess: UTF-8 (a
// UTF-8 byte order mark is skipped), the delimiter decided by the header line.
#pragma once

#include <canbao/export.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace canbao {

enum class TextEncoding {
  // UTF-8 with or without a byte order mark. Bytes that are not UTF-8 are an
  // error naming line and column; when they read as GB18030 the message says
  // so, but nothing is ever converted unless gb18030 is asked for.
  utf8,
  // GB18030 (Excel's "CSV" on Chinese Windows), converted to UTF-8 with the C
  // library's iconv. GBK and GB2312 files are GB18030 files (a superset).
  gb18030,
};

enum class TableDelimiter {
  detect,  // from the header line: tabs and no commas: tab; otherwise comma;
           // both outside quotes: an error naming line 1
  comma,
  tab,
};

struct TableFormat {
  TextEncoding encoding = TextEncoding::utf8;
  TableDelimiter delimiter = TableDelimiter::detect;
};

// What a reader noticed and the caller may want to tell a person.
struct TableNotes {
  // Header cells of columns the reader does not read, as written (progress:
  // ignored; roster: passed through as extra columns).
  std::vector<std::string> ignored_columns;
};

// "utf-8" (or "utf8"), "gb18030", "gbk" (read as GB18030): the CLI's
// --encoding values, exactly (no case folding). Nothing for anything else.
CANBAO_API std::optional<TextEncoding> parse_text_encoding(std::string_view name) noexcept;
// "comma" or "tab": the CLI's --delimiter values.
CANBAO_API std::optional<TableDelimiter> parse_table_delimiter(std::string_view name) noexcept;

// Reads a table's records with the checks every table reader makes first
// (encoding, NUL bytes, quoting, the delimiter, empty rows) and nothing else:
// InputError "source:line:column" at the first problem, in the readers' own
// words. For a host that decodes a file itself (Python) and wants the
// readers' message and place for bytes it cannot decode.
CANBAO_API void check_table_text(std::istream& in, const std::string& source,
                                 const TableFormat& format = {});

}  // namespace canbao
