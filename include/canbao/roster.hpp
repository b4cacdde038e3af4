// Roster CSV: a list of persons in, one recommendation per person out (same
// order). See docs/roster.md for the columns.
//
// Input header (any order; every column required; other columns are kept and
// written back): id,id_number,name,sex,birth_date,hukou_local,insurance_status,
// employment,resident_grade_yuan,flags; plus a column for each fact the policy
// declares (facts.hpp), optional when the fact has a default. An optional
// unit_id column links each person to a policy unit (unit_counts.hpp); it is
// read and, like the other columns canbao does not evaluate, written back.
// A bad row stops reading with "file:line:column: reason", unless rejects are
// kept: then it goes to Roster::rejects with its reason. Nothing is dropped
// silently. ID numbers never appear whole in errors or rejects (mask_id).
#pragma once

#include <canbao/export.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/facts.hpp>
#include <canbao/person.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>
#include <canbao/table_format.hpp>

namespace canbao {

struct RosterPerson {
  std::size_t line = 0;
  std::string id;                // the roster's own row id (not the ID number)
  std::string id_number_masked;  // "" when the roster gives none
  Person person;
  std::vector<std::string> extra;  // values of Roster::extra_columns
  std::string unit_id;             // the unit_id cell ("" when absent or empty)
};

struct RosterReject {
  std::size_t line = 0;
  std::size_t column = 0;  // 1-based; 0 when the whole row is wrong
  std::string where;       // "roster.csv:12:5"
  std::string reason;
  std::vector<std::string> fields;  // the row as read, id_number masked
};

struct Roster {
  std::vector<std::string> header;         // as read
  std::vector<std::string> extra_columns;  // columns canbao does not read, in input order
  std::vector<RosterPerson> persons;
  std::vector<RosterReject> rejects;
  std::string source;              // the file name errors give
  std::size_t unit_id_column = 0;  // 1-based column of unit_id; 0 when the header has none
};

// Reads a roster for evaluation on `as_of` (birth dates after it are errors).
// `source` names the file in errors. keep_rejects: collect bad rows instead of
// throwing InputError at the first one.
CANBAO_API Roster read_roster(std::istream& in, const std::string& source, Date as_of,
                              bool keep_rejects);
// The same for a policy that declares facts (Recommender::facts()): each is
// read from its column (FactDeclaration::column) with FactDeclaration::parse.
// A fact whose column is absent, or whose cell is empty, takes its default;
// without a default the header must have the column (error naming it) and
// the cell must parse (a flag set's "" is no flags). A bad cell names its
// line and column like every other roster error. Fact columns are not extra
// columns: they are read, not written back.
CANBAO_API Roster read_roster(std::istream& in, const std::string& source, Date as_of,
                              bool keep_rejects, const FactDeclarations& facts);
// The same for a file as offices produce it (docs/office-data.md): GB18030
// when `format` says so, tab-separated, Chinese headers (身份证号, 姓名, ...),
// 户籍 as 是/否 or 本地/外地, grades as "1,000". Extra columns (written back
// as before) are also listed in notes->ignored_columns.
CANBAO_API Roster read_roster(std::istream& in, const std::string& source, Date as_of,
                              bool keep_rejects, const FactDeclarations& facts,
                              const TableFormat& format, TableNotes* notes = nullptr);

// Issue 15: a roster at disk speed. The file at `path` memory-mapped (read
// whole when it cannot be, e.g. a pipe), its rows read on `threads` threads
// (0: the machine's cores). The answer, and the first error in file order,
// are those of the stream overloads above whatever the thread count.
CANBAO_API Roster read_roster_file(const std::string& path, Date as_of, bool keep_rejects,
                                   const FactDeclarations& facts, const TableFormat& format = {},
                                   TableNotes* notes = nullptr, unsigned threads = 0);
// The same for roster bytes in memory; `source` names them in errors.
CANBAO_API Roster read_roster_bytes(std::string_view bytes, const std::string& source, Date as_of,
                                    bool keep_rejects, const FactDeclarations& facts,
                                    const TableFormat& format = {}, TableNotes* notes = nullptr,
                                    unsigned threads = 0);

// One result per roster person.
struct RosterResult {
  int age = 0;
  Scheme scheme = Scheme::none;
  ActionSet actions = 0;
  GroupSet groups = 0;
  Date retirement_date;
  // Recommender::fired_row_words() words: bit i % 64 of word i / 64 is global row i.
  std::vector<std::uint64_t> fired_rows;
};

// Evaluates every person through the batch path (the Recommender's prepared
// tables for `as_of`).
CANBAO_API std::vector<RosterResult> recommend_roster(const Recommender& recommender,
                                                      const Roster& roster, Date as_of);
// The same on `threads` threads (0: the machine's cores); the same results.
CANBAO_API std::vector<RosterResult> recommend_roster(const Recommender& recommender,
                                                      const Roster& roster, Date as_of,
                                                      unsigned threads);

// How an output row gives its reasons. codes: one column `reasons`, the codes
// of the rows that fired joined by ';' (reason_code(); docs/roster.md), the
// texts once in a reason table. text: columns reason and reason_en, the
// bilingual texts on every row.
enum class RosterReasons { text, codes };
// "scheme.3" for row 3 (0-based, as in the path ...tables[i].rows[3]) of the
// table with id "scheme", "scheme.otherwise" for its `otherwise` row.
CANBAO_API std::string reason_code(const Recommender& recommender, int bit);

// id,age,scheme,actions,groups,retirement_date,reason,reason_en, then the extra
// columns. reason joins the fired rows' reasons ("；" in Chinese, "; " in English).
CANBAO_API void write_roster_csv(std::ostream& out, const Recommender& recommender,
                                 const Roster& roster, const std::vector<RosterResult>& results);
// The same with `reasons` (codes: id,age,scheme,actions,groups,retirement_date,
// reasons, then the extra columns), formatted on `threads` threads (0: the
// machine's cores); the bytes do not depend on the thread count.
CANBAO_API void write_roster_csv(std::ostream& out, const Recommender& recommender,
                                 const Roster& roster, const std::vector<RosterResult>& results,
                                 RosterReasons reasons, unsigned threads = 0);
// The same fields as a JSON array of objects ("extra": {column: value}).
CANBAO_API void write_roster_json(std::ostream& out, const Recommender& recommender,
                                  const Roster& roster, const std::vector<RosterResult>& results);
// With codes: {"reasons": {code: {"zh": ..., "en": ...}}, "rows": [...]}, each
// row's "reasons" a list of codes instead of "reason"/"reason_en".
CANBAO_API void write_roster_json(std::ostream& out, const Recommender& recommender,
                                  const Roster& roster, const std::vector<RosterResult>& results,
                                  RosterReasons reasons);
// line,column,reason, then the row's fields under the input header.
CANBAO_API void write_rejects_csv(std::ostream& out, const Roster& roster);

}  // namespace canbao
