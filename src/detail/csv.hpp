// CSV reading shared by progress and roster files, and the escaping every CSV
// writer uses. Reading: RFC 4180 quoting, UTF-8 with or without a BOM or
// GB18030 when asked (TableFormat), comma or tab delimited (decided by the
// header line), CRLF or LF, a required header. Positions are 1-based
// line and column (column = field number) so errors can name them.
// Rejected with file:line:column: bytes that are not UTF-8 (a GBK export; the
// message says when they read as GB18030) or, when asked for, not GB18030, a
// NUL byte (UTF-16 or binary), a CR not followed by LF outside quotes, a quote
// left open at the end, a field over kMaxFieldBytes, a record over kMaxFields,
// a header line with both commas and tabs, a row of empty fields (",,,")
// followed by data. Such rows at the end are not records (Excel leaves them).
// GB18030 is split into fields before it is converted: its multi-byte
// characters never hold an ASCII byte below 0x30, so no quote, comma, tab, CR
// or LF hides inside one.
#pragma once

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <canbao/error.hpp>
#include <canbao/table_format.hpp>

#include "column_aliases.hpp"

namespace canbao::detail {

struct CsvRow {
  std::size_t line = 0;  // line where the record starts
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  // `source` names the input in errors ("progress.csv").
  CsvReader(std::istream& in, std::string source, TableFormat format = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Far above any real roster or progress value; bounds memory and error text
  // for a file with a quote left open or a binary file.
  static constexpr std::size_t kMaxFieldBytes = 64 * 1024;
  static constexpr std::size_t kMaxFields = 1024;

  // Reads the header row; errors if missing, empty, or a name repeats. Cells
  // are trimmed of surrounding spaces; with `aliases`, column() and
  // required_column() find a column by its canonical name, and two cells
  // naming one column are an error naming both.
  const std::vector<std::string>& read_header(const AliasTable* aliases = nullptr);
  const std::vector<std::string>& header() const { return header_; }
  // Index of a header column, or -1.
  int column(std::string_view name) const;
  // Index of a required column; InputError naming the header otherwise.
  int required_column(std::string_view name) const;

  // Next record; false at end. A record whose field count differs from the
  // header's is an error naming its line.
  bool next(CsvRow& row);
  // Next record without the field-count check (for callers that keep such
  // rows as rejects). Syntax and encoding errors still throw: the stream is
  // then mid-record and nothing after it can be trusted.
  bool next_record(CsvRow& row);
  // "expected 11 fields as in the header, got 10".
  std::string field_count_message(const CsvRow& row) const;

  // "progress.csv:12:3" (line 12, column 3; column 0: none), as text and as fields.
  std::string where(std::size_t line, std::size_t column) const;
  ErrorPlace place(std::size_t line, std::size_t column) const;
  [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& message) const;

 private:
  bool read_record(CsvRow& row);
  // The raw bytes of the header record (up to its unquoted LF), to decide the delimiter.
  std::string raw_header_line();
  // The GB18030 field converted to UTF-8 (InputError naming line and column).
  std::string from_gb18030(const CsvRow& row, const std::string& field) const;
  // Why a field is not UTF-8, with what to do ("looks like GB18030: ...").
  std::string not_utf8_message(const std::string& field, std::size_t at);
  // Checks the finished field (UTF-8, field count) and appends it to the row.
  void end_field(CsvRow& row, std::string& field);
  std::istream* in_;    // where records are read: the file, or the header line
  std::istream* file_;  // the file
  std::string source_;
  TableFormat format_;
  char delimiter_ = ',';
  void* iconv_ = nullptr;           // iconv_t for GB18030 -> UTF-8
  bool saw_utf8_text_ = false;      // a field had non-ASCII UTF-8 (then a bad byte is a mix)
  std::size_t empty_row_line_ = 0;  // a row of empty fields not yet followed by data
  std::size_t line_ = 0;
  bool first_ = true;
  std::vector<std::string> header_;
  std::unordered_map<std::string, int> index_;
};

// The one CSV escaper of every CSV writer (RFC 4180): a field holding a comma,
// quote, CR or LF is quoted, inner quotes doubled; any other field is as is.
std::string csv_escape(std::string_view field);

// One record: the fields escaped, joined by commas, then "\n".
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace canbao::detail
