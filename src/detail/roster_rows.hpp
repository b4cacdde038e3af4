// The roster's one row parser (issue 15), shared by read_roster (a Roster of
// RosterPerson objects) and recommend_roster_csv (columns, no string per
// row): the header decides the columns once, parse_roster_row validates a
// row into a ParsedRosterRow without allocating, and a sink keeps what its
// caller needs. Both paths therefore accept, reject and word errors alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/facts.hpp>
#include <canbao/person.hpp>
#include <canbao/resident_id.hpp>
#include <canbao/roster.hpp>
#include <canbao/table_format.hpp>

#include "csv.hpp"

namespace canbao::detail {

// The roster's own columns (docs/roster.md), in header-name order of kColumns.
enum RosterCol {
  kRosterId,
  kRosterIdNumber,
  kRosterName,
  kRosterSex,
  kRosterBirth,
  kRosterHukou,
  kRosterStatus,
  kRosterEmployment,
  kRosterGrade,
  kRosterFlags,
  kRosterColCount
};

// A declared fact's roster column (-1: the header lacks it; the fact then
// takes its default).
struct RosterFactColumn {
  const FactDeclaration* fact;
  int column;
};

// What the rows of one roster are read with (the header's columns).
struct RosterRowReader {
  int col[kRosterColCount];
  std::vector<RosterFactColumn> fact_cols;  // declaration order
  std::vector<int> extra_cols;              // written back, in input order
  int unit_col = -1;
  Date as_of;
  const BuiltinValues* builtin = nullptr;
  bool keep_rejects = false;
  std::size_t header_size = 0;
};

// Reads the header of `csv` into roster.header, extra_columns, source and
// unit_id_column, and gives the reader of its rows (errors as read_roster).
RosterRowReader read_roster_header(CsvReader& csv, Roster& roster, const std::string& source,
                                   Date as_of, bool keep_rejects, const FactDeclarations& facts,
                                   TableNotes* notes);

// One row, validated. Reused from row to row: no allocation for a valid row.
struct ParsedRosterRow {
  std::string_view id;  // the row id cell (a view into the row)
  Person person;        // `facts` left empty: the declared facts are below
  // Per RosterRowReader::fact_cols entry: the value read, and whether its
  // cell gave one (0: the fact takes its default).
  std::vector<FactValue> fact_values;
  std::vector<std::uint8_t> fact_given;
  std::optional<ResidentId> id_number;
};

// Where the rows go: RosterPerson objects, or columns.
class RosterRowSink {
 public:
  virtual ~RosterRowSink() = default;
  // Room for the rows of `bytes` of input (rows are rarely shorter than 64 bytes).
  virtual void reserve(std::size_t bytes) { (void)bytes; }
  virtual void add(const CsvFields& row, const ParsedRosterRow& parsed) = 0;
  std::vector<RosterReject> rejects;
};

// The rows `csv` holds, into `sink` (bad rows into sink.rejects when
// rr.keep_rejects, else InputError at the first); returns the records read.
std::size_t read_roster_rows(CsvReader& csv, const RosterRowReader& rr, RosterRowSink& sink);

// Below this many bytes of rows one thread reads them (threads cost more).
constexpr std::size_t kRosterParallelBytes = 1 << 20;

// The rows after `csv`'s header read in `parts` pieces on as many threads,
// piece i into sink_of(i). false when a piece failed or ",,," rows of one
// piece are followed by data in a later one: the caller then reads the rows
// again on one thread (fresh sinks) and meets the first error in file order.
bool read_roster_parts(const CsvReader& csv, const RosterRowReader& rr, std::size_t parts,
                       const std::function<RosterRowSink&(std::size_t)>& sink_of);

}  // namespace canbao::detail
