// Excel output (--format xlsx) for the CLI, written with libxlsxwriter. The
// library knows nothing of it: a command turns its results into Tables (most
// from the library's own CSV writers, so the facts are the same) and an
// XlsxBook writes them, one sheet each. Cells are typed by column: yuan are
// numbers shown with two decimals, counts integers, rates numbers in a percent
// format, dates real Excel dates (yyyy-mm-dd), never text. Every text cell is
// masked for ID numbers like the other outputs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <canbao/date.hpp>

namespace canbao::cli {

enum class CellKind { text, integer, number, yuan, percent, date };

struct Column {
  std::string header;
  CellKind kind = CellKind::text;
};

// One sheet: an optional title row (and notes), then the header row, which is
// frozen, then the rows. A cell is its text ("1234.00", "2021-08-31", "" for
// blank), converted by its column's kind; a cell that does not read as its
// kind is written as text, so nothing is lost.
struct Table {
  std::string sheet;  // at most 31 characters, none of []:*?/\ (Excel's rules)
  std::string title{};
  std::vector<std::string> notes{};
  std::vector<Column> columns{};
  std::vector<std::vector<std::string>> rows{};
};

// The kind a column gets from its CSV header name: *_yuan yuan, *_fen, rank,
// count, tier, basis... integers, *_on/*date/deadline/due dates, *_completion
// and *rate percents, points/value/target/shortfall numbers, the rest text.
CellKind kind_for_header(const std::string& header);

// A table from CSV text (RFC 4180, header row first) with kind_for_header
// kinds. A "*_fen" column without a "*_yuan" twin is shown in yuan ("before_fen"
// becomes "before_yuan"): an official reads yuan.
Table table_from_csv(std::string sheet, std::string title, const std::string& csv);

// CSV with "# section" lines (canbao diff --format csv): one table per section.
std::vector<Table> tables_from_sectioned_csv(const std::string& csv);

// The workbook, written to a temporary file next to `path` and renamed over it
// by commit() (like OutputFile: nothing half-written on error). `created`
// fixes the document's creation time so the same input gives the same bytes.
// `keep` is a text not masked (the policy fingerprint's hex).
class XlsxBook {
 public:
  XlsxBook(std::string path, std::string option, Date created, std::string keep = {});
  ~XlsxBook();
  XlsxBook(const XlsxBook&) = delete;
  XlsxBook& operator=(const XlsxBook&) = delete;

  void add(const Table& table);
  void commit();  // ArgumentError naming the option when the file cannot be written

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace canbao::cli
