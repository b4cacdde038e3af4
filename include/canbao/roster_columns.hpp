// A roster read straight into columns for its CSV answer (issue 15:
// `canbao recommend` of a 1 M-row roster on 2 cores in under a second).
// read_roster_file + recommend_roster + write_roster_csv build a
// RosterPerson (strings, a vector) per row; this path keeps the values the
// batch kernel reads and, per row, the written-back cells (row id, extra
// columns) already as they are written. The same parser reads the rows, so
// the rows accepted, the rejects, the first error in file order and the
// bytes written are those of the three calls, whatever the thread count.
#pragma once

#include <canbao/export.hpp>

#include <array>
#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include <canbao/date.hpp>
#include <canbao/roster.hpp>
#include <canbao/table_format.hpp>

namespace canbao {

class Recommender;

class CANBAO_API RosterColumns {
 public:
  ~RosterColumns();
  RosterColumns(RosterColumns&&) noexcept;
  RosterColumns& operator=(RosterColumns&&) noexcept;

  // The roster's header, extra_columns, rejects (with keep_rejects), source
  // and unit_id_column as read_roster gives them; `persons` stays empty.
  const Roster& roster() const;
  // The rows read (rejects not counted).
  std::size_t size() const;

  // Evaluates every row on the as-of date it was read for (as
  // recommend_roster) and writes the CSV (as write_roster_csv with
  // `reasons`: the same bytes) on `threads` threads (0: the machine's
  // cores). Returns the rows by Scheme value (none, employee, resident).
  std::array<std::size_t, 3> write_csv(std::ostream& out, RosterReasons reasons,
                                       unsigned threads = 0) const;

  struct Impl;  // src/roster_columns.cpp

 private:
  explicit RosterColumns(std::unique_ptr<Impl> impl);
  friend CANBAO_API RosterColumns read_roster_columns_bytes(std::string_view, const std::string&,
                                                            const Recommender&, Date, bool,
                                                            const TableFormat&, unsigned);
  std::unique_ptr<Impl> impl_;
};

// Reads a roster as read_roster_bytes does (the recommender's declared facts,
// `as_of`, keep_rejects, format; rows on `threads` threads), into columns.
// The bytes are not needed afterwards; `recommender` must outlive the result.
CANBAO_API RosterColumns read_roster_columns_bytes(
    std::string_view bytes, const std::string& source, const Recommender& recommender, Date as_of,
    bool keep_rejects, const TableFormat& format = {}, unsigned threads = 0);
// The same for the file at `path`, memory-mapped (read whole when it cannot be).
CANBAO_API RosterColumns read_roster_columns_file(const std::string& path,
                                                  const Recommender& recommender, Date as_of,
                                                  bool keep_rejects, const TableFormat& format = {},
                                                  unsigned threads = 0);

}  // namespace canbao
