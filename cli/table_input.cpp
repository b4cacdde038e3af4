#include "table_input.hpp"

#include <ostream>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>

namespace canbao::cli {

const char* const kTableOptionsHelp =
    "\ntable options (docs/office-data.md):\n"
    "  --encoding    utf-8 (default; a UTF-8 byte order mark is fine), gb18030 or gbk\n"
    "                (Excel's CSV on Chinese Windows; gbk is read as gb18030)\n"
    "  --delimiter   comma or tab (default: what the header line uses)\n"
    "Chinese headers (单位, 指标, 身份证号, ...), dates as 2021/6/1, 2021年6月1日 or\n"
    "20210601 (--as-of too) and numbers as 1,330 are read as well.\n";

bool usage_reads_tables(const std::string& usage) {
  return usage.find("--progress") != std::string::npos ||
         usage.find("--roster") != std::string::npos;
}

TableFormat table_format(const std::string* encoding, const std::string* delimiter) {
  TableFormat f;
  if (encoding) {
    const auto e = parse_text_encoding(*encoding);
    if (!e) {
      throw ArgumentError(kEncodingOption, "expected utf-8, gb18030 or gbk, got \"" +
                                               detail::excerpt(*encoding) + "\"");
    }
    f.encoding = *e;
  }
  if (delimiter) {
    const auto d = parse_table_delimiter(*delimiter);
    if (!d) {
      throw ArgumentError(kDelimiterOption,
                          "expected comma or tab, got \"" + detail::excerpt(*delimiter) + "\"");
    }
    f.delimiter = *d;
  }
  return f;
}

TableFormat table_format(const Args& args) {
  const auto e = args.value(kEncodingOption);
  const auto d = args.value(kDelimiterOption);
  return table_format(e ? &*e : nullptr, d ? &*d : nullptr);
}

void tell_ignored_columns(std::ostream& err, const std::string& file, const TableNotes& notes,
                          const char* what) {
  if (notes.ignored_columns.empty()) return;
  std::string list;
  for (const auto& c : notes.ignored_columns) list += (list.empty() ? "" : ", ") + c;
  err << "canbao: " << detail::valid_utf8(file) << ": " << what << ": "
      << detail::mask_id_numbers(list) << "\n";
}

}  // namespace canbao::cli
