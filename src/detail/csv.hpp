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
// The reader works on the whole input in memory (a mapped file, a buffer, or
// a stream read in first): next_view() yields fields as views into it, with no
// copy for an unquoted field (issue 15: a 1 M-row roster at disk speed).
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

// One record as views: into the input for a plain field, into `scratch` for a
// quoted field with "" (unescaped) or converted GB18030 text. Valid until the
// next read into this row, and while the input bytes live.
struct CsvFields {
  std::size_t line = 0;  // line where the record starts
  std::vector<std::string_view> fields;
  std::string scratch;
};

class CsvReader {
 public:
  // `source` names the input in errors ("progress.csv"). The stream is read
  // to its end first (errors still name the first bad place).
  CsvReader(std::istream& in, std::string source, TableFormat format = {});
  // Reads `bytes` in place: they must outlive the reader and its views.
  CsvReader(std::string_view bytes, std::string source, TableFormat format = {});
  // A reader of `part`, a piece of whole.rest() after read_header() that
  // starts a record on line `line` + 1, with its header, delimiter and
  // format: records of one input read in parallel.
  CsvReader(const CsvReader& whole, std::string_view part, std::size_t line);
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
  // The same as views (no copy of a plain field).
  bool next_view(CsvFields& row);
  bool next_record_view(CsvFields& row);
  // "expected 11 fields as in the header, got 10".
  std::string field_count_message(const CsvRow& row) const;
  std::string field_count_message(std::size_t fields) const;

  // The line of a row of empty fields not yet followed by data (0: none): a
  // part reader's pending ",,," rows are an error when a later part has data.
  std::size_t empty_row_line() const { return empty_row_line_; }
  // The input still to read (after the header once read_header() ran), and
  // the line read last; a part reader reads a piece of it.
  std::string_view rest() const { return {pos_, static_cast<std::size_t>(end_ - pos_)}; }
  std::size_t line() const { return line_; }

  // "progress.csv:12:3" (line 12, column 3; column 0: none), as text and as fields.
  std::string where(std::size_t line, std::size_t column) const;
  ErrorPlace place(std::size_t line, std::size_t column) const;
  [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& message) const;

 private:
  void start();
  bool read_record(CsvFields& row);
  // The quoted field at pos_ (on its opening quote); the view is set when it
  // is in scratch (pending_scratch_).
  std::string_view quoted_field(CsvFields& row);
  // The end of the header record (up to its unquoted LF), to decide the delimiter.
  const char* raw_header_end();
  // Why a field is not UTF-8, with what to do ("looks like GB18030: ...");
  // `next` is where reading stopped (the file after it is sniffed).
  std::string not_utf8_message(std::string_view field, std::size_t at, const char* next);
  // Checks the finished field (UTF-8, field count) and appends it to the row;
  // `in_scratch`: the field is row.scratch from `offset` on.
  void end_field(CsvFields& row, std::string_view field, bool in_scratch, std::size_t offset,
                 const char* next);
  static constexpr std::size_t kNotInScratch = static_cast<std::size_t>(-1);
  std::size_t scratch_offset_ = kNotInScratch;  // quoted_field()'s field in row.scratch
  std::string owned_;                           // the stream's bytes, when read from a stream
  const char* begin_;                           // the input
  const char* pos_;                             // where the next record starts
  const char* end_;       // the end of the input (of the header line while it is read)
  const char* file_end_;  // the end of the input
  std::vector<std::size_t> scratch_fields_;  // fields in row.scratch: index, offset, size
  CsvFields view_row_;                       // next_record()'s row
  std::string source_;
  TableFormat format_;
  char delimiter_ = ',';
  void* iconv_ = nullptr;           // iconv_t for GB18030 -> UTF-8
  bool saw_utf8_text_ = false;      // a field had non-ASCII UTF-8 (then a bad byte is a mix)
  std::size_t empty_row_line_ = 0;  // a row of empty fields not yet followed by data
  std::size_t line_ = 0;
  bool first_ = true;
  bool special_[256] = {};  // bytes that end a plain field: NUL, quote, delimiter, CR, LF
  std::vector<std::string> header_;
  std::unordered_map<std::string, int> index_;
};

// The one CSV escaper of every CSV writer (RFC 4180): a field holding a comma,
// quote, CR or LF is quoted, inner quotes doubled; any other field is as is.
std::string csv_escape(std::string_view field);

// One record: the fields escaped, joined by commas, then "\n".
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace canbao::detail
