// Roster CSV in, recommendations out. Parsing happens here, once per row
// (parse_roster_row, shared with the column path of recommend_roster_csv);
// evaluation goes through the batch path (batch.hpp).
#include <canbao/roster.hpp>

#include <algorithm>
#include <istream>
#include <iterator>
#include <unordered_map>

#include <canbao/batch.hpp>
#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/recommender.hpp>
#include <canbao/resident_id.hpp>

#include "detail/column_aliases.hpp"
#include "detail/csv.hpp"
#include "detail/mapped_file.hpp"
#include "detail/office_number.hpp"
#include "detail/parallel.hpp"
#include "detail/roster_rows.hpp"

namespace canbao {

namespace detail {
namespace {

constexpr const char* kColumns[] = {"id",
                                    "id_number",
                                    "name",
                                    "sex",
                                    "birth_date",
                                    "hukou_local",
                                    "insurance_status",
                                    "employment",
                                    "resident_grade_yuan",
                                    "flags"};
using Col = RosterCol;

// A user value in a reason: short, and masked again with the reason itself.
std::string quoted(std::string_view value) { return "\"" + detail::excerpt(value) + "\""; }

// Any cell canbao writes back (rejects, output id and extra columns, header
// names): a whole ID number in the wrong column is masked like everywhere else.
std::string safe_cell(std::string_view value) { return detail::mask_id_numbers(value); }

// A bad field: which column (index into the header) and why.
struct FieldError {
  int column;
  std::string reason;
};

// One declared fact's cell. An empty cell takes the fact's default; without
// one it must parse (a flag set's "" is no flags).
void parse_fact(const RosterFactColumn& fc, std::string_view cell, FactValue& value,
                std::uint8_t& given) {
  const FactDeclaration& f = *fc.fact;
  if (cell.empty() && f.default_value) return;
  std::string why;
  const auto v = f.parse(cell, &why);
  if (!v) {
    // parse() quotes the cell: an ID number typed into it is masked like everywhere else.
    throw FieldError{
        fc.column,
        f.column + ": " +
            (cell.empty() ? "empty, and the fact has no default (expected " + f.expected() + ")"
                          : detail::mask_id_numbers(why))};
  }
  value = *v;
  given = 1;
}

// The one row parser: validates `row` into `p` (FieldError at the first bad field).
void parse_roster_row(const CsvFields& row, const RosterRowReader& rr, ParsedRosterRow& p) {
  const int(&col)[kRosterColCount] = rr.col;
  const BuiltinValues& builtin = *rr.builtin;
  const Date as_of = rr.as_of;
  auto field = [&](Col c) -> std::string_view {
    return row.fields[static_cast<std::size_t>(col[c])];
  };
  auto fail = [&](Col c, std::string reason) { throw FieldError{col[c], std::move(reason)}; };
  p.person = Person{};
  p.id_number.reset();
  p.id = field(kRosterId);
  if (p.id.empty()) fail(kRosterId, "id is empty (each row needs the roster's own id)");

  std::optional<ResidentId>& rid = p.id_number;
  if (!field(kRosterIdNumber).empty()) {
    IdProblem why;
    rid = parse_resident_id(field(kRosterIdNumber), &why);
    // A bad-date reason quotes digits 7-14, which the mask hides: never both.
    if (!rid) {
      fail(kRosterIdNumber,
           "id_number " +
               (why.fault == IdFault::bad_birth_date ? std::string("(withheld)")
                                                     : mask_id(field(kRosterIdNumber))) +
               " is not valid: " + why.reason);
    }
  }

  const std::string_view sex = field(kRosterSex);
  if (sex.empty()) {
    if (!rid) fail(kRosterSex, "sex is empty and there is no id_number to take it from");
    p.person.sex = rid->sex();
  } else {
    if (!parse_sex(sex, &p.person.sex))
      fail(kRosterSex, "expected \"male\" or \"female\", got " + quoted(sex));
    if (rid && rid->sex() != p.person.sex) {
      fail(kRosterSex, "sex " + std::string(sex) + " disagrees with id_number " + rid->masked());
    }
  }

  const std::string_view birth = field(kRosterBirth);
  if (birth.empty()) {
    if (!rid) fail(kRosterBirth, "birth_date is empty and there is no id_number to take it from");
    p.person.birth_date = rid->birth_date();
  } else {
    std::string why;
    const auto d = parse_office_date(birth, &why);  // 1980/3/1, 1980年3月1日 as offices type them
    if (!d) fail(kRosterBirth, why);
    if (rid && rid->birth_date() != *d) {
      fail(kRosterBirth, "birth_date " + std::string(birth) +
                             " disagrees with the birth date in id_number " + rid->masked());
    }
    p.person.birth_date = *d;
  }
  if (p.person.birth_date > as_of) {
    fail(rid && birth.empty() ? kRosterIdNumber : kRosterBirth,
         "born after the as-of date " + as_of.iso());
  }
  if (p.person.birth_date.year() < 1900)
    fail(rid && birth.empty() ? kRosterIdNumber : kRosterBirth, "born before 1900");

  // 户籍: is the person's hukou local? 是/本地 and 否/外地 as offices write it.
  const std::string_view hukou = field(kRosterHukou);
  if (hukou == "true" || hukou == "1" || hukou == "是" || hukou == "本地") {
    p.person.hukou_local = true;
  } else if (hukou == "false" || hukou == "0" || hukou == "否" || hukou == "外地") {
    p.person.hukou_local = false;
  } else {
    // The message stays as before: 是/否 and 本地/外地 are in docs/office-data.md.
    fail(kRosterHukou, "expected true, false, 1 or 0, got " + quoted(hukou));
  }

  // Built-in values and those the policy adds (facts.hpp BuiltinValues).
  auto code = [&](Col c, BuiltinList l) {
    const int v = builtin.code(l, field(c));
    if (v < 0) {
      fail(c, std::string("unknown ") + builtin_list_name(l) + " " + quoted(field(c)) +
                  " (expected one of: " + builtin.names(l) + ")");
    }
    return static_cast<std::uint8_t>(v);
  };
  p.person.insurance_status =
      static_cast<InsuranceStatus>(code(kRosterStatus, BuiltinList::insurance_status));
  p.person.employment = static_cast<Employment>(code(kRosterEmployment, BuiltinList::employment));

  const std::string_view grade = field(kRosterGrade);
  if (!grade.empty()) {
    std::int64_t v = 0;  // "1,000" and full-width digits as offices type them
    if (!detail::parse_office_integer(grade, &v) || v < 0 || v > 65535)
      fail(kRosterGrade, "expected whole yuan 0..65535 (or empty for none), got " + quoted(grade));
    p.person.resident_grade_yuan = static_cast<std::uint16_t>(v);
  }

  std::string why;
  const auto flags = builtin.parse_flags(field(kRosterFlags), &why);
  if (!flags) fail(kRosterFlags, why);
  p.person.flags = static_cast<PersonFlags>(*flags);

  p.fact_values.assign(rr.fact_cols.size(), 0);
  p.fact_given.assign(rr.fact_cols.size(), 0);
  for (std::size_t k = 0; k < rr.fact_cols.size(); ++k) {
    const RosterFactColumn& fc = rr.fact_cols[k];
    if (fc.column >= 0) {
      parse_fact(fc, row.fields[static_cast<std::size_t>(fc.column)], p.fact_values[k],
                 p.fact_given[k]);
    }
  }
}

std::vector<std::string> masked_fields(const CsvFields& row, int id_number_col) {
  // The id_number column is masked whole (even a malformed number); every other
  // cell has its ID-like digit runs masked, for rows shifted by a missing comma.
  std::vector<std::string> f;
  for (std::size_t k = 0; k < row.fields.size(); ++k) {
    const std::string_view v = row.fields[k];
    f.push_back(static_cast<int>(k) == id_number_col && !v.empty() ? mask_id(v) : safe_cell(v));
  }
  return f;
}

// read_roster's sink: a RosterPerson a row, with its strings.
class PersonSink : public RosterRowSink {
 public:
  PersonSink(const RosterRowReader& rr, std::vector<RosterPerson>& persons)
      : rr_(rr), persons_(persons) {}
  void reserve(std::size_t bytes) override { persons_.reserve(bytes / 64); }
  void add(const CsvFields& row, const ParsedRosterRow& parsed) override {
    RosterPerson p;
    p.line = row.line;
    p.id = parsed.id;
    if (parsed.id_number) p.id_number_masked = parsed.id_number->masked();
    p.person = parsed.person;
    for (std::size_t k = 0; k < rr_.fact_cols.size(); ++k) {
      if (parsed.fact_given[k]) p.person.facts[rr_.fact_cols[k].fact->id] = parsed.fact_values[k];
    }
    p.extra.reserve(rr_.extra_cols.size());
    for (int c : rr_.extra_cols) p.extra.emplace_back(row.fields[static_cast<std::size_t>(c)]);
    if (rr_.unit_col >= 0) p.unit_id = row.fields[static_cast<std::size_t>(rr_.unit_col)];
    persons_.push_back(std::move(p));
  }

 private:
  const RosterRowReader& rr_;
  std::vector<RosterPerson>& persons_;
};

}  // namespace

RosterRowReader read_roster_header(CsvReader& csv, Roster& roster, const std::string& source,
                                   Date as_of, bool keep_rejects, const FactDeclarations& facts,
                                   TableNotes* notes) {
  roster.source = source;
  const AliasTable aliases = roster_column_aliases();
  roster.header = csv.read_header(&aliases);
  RosterRowReader rr;
  // unit_id stays an extra column (written back as before) and is also read.
  rr.unit_col = csv.column("unit_id");
  roster.unit_id_column = static_cast<std::size_t>(rr.unit_col + 1);
  for (int c = 0; c < kRosterColCount; ++c) rr.col[c] = csv.required_column(kColumns[c]);
  for (const FactDeclaration& f : facts.facts) {
    const int c = csv.column(f.column);
    if (c < 0 && !f.default_value) {
      csv.fail(1, 0,
               "the header has no column \"" + f.column + "\" for the declared fact " + f.id +
                   ", which has no default");
    }
    rr.fact_cols.push_back(RosterFactColumn{&f, c});
  }
  for (std::size_t i = 0; i < roster.header.size(); ++i) {
    bool known = false;
    for (int c = 0; c < kRosterColCount; ++c) known = known || rr.col[c] == static_cast<int>(i);
    for (const RosterFactColumn& fc : rr.fact_cols)
      known = known || fc.column == static_cast<int>(i);
    if (!known) {
      rr.extra_cols.push_back(static_cast<int>(i));
      roster.extra_columns.push_back(roster.header[i]);
      if (notes) notes->ignored_columns.push_back(safe_cell(roster.header[i]));
    }
  }
  rr.as_of = as_of;
  rr.builtin = &facts.builtin;
  rr.keep_rejects = keep_rejects;
  rr.header_size = roster.header.size();
  return rr;
}

std::size_t read_roster_rows(CsvReader& csv, const RosterRowReader& rr, RosterRowSink& sink) {
  CsvFields row;
  ParsedRosterRow parsed;
  std::size_t records = 0;
  for (;;) {
    // Syntax and encoding errors (not UTF-8, NUL, an open quote) stop the
    // run even with rejects kept: the rest of the file cannot be read safely.
    if (!csv.next_record_view(row)) break;
    ++records;
    if (row.fields.size() != rr.header_size) {
      // A row with the wrong number of fields: its fields are not trustworthy.
      const std::string why = csv.field_count_message(row.fields.size());
      if (!rr.keep_rejects) csv.fail(row.line, 0, why);
      sink.rejects.push_back(RosterReject{row.line, 0, csv.where(row.line, 0), why,
                                          masked_fields(row, rr.col[kRosterIdNumber])});
      continue;
    }
    try {
      parse_roster_row(row, rr, parsed);
    } catch (const FieldError& e) {
      const std::size_t column = static_cast<std::size_t>(e.column) + 1;
      if (!rr.keep_rejects) csv.fail(row.line, column, e.reason);
      sink.rejects.push_back(RosterReject{row.line, column, csv.where(row.line, column),
                                          safe_cell(e.reason),
                                          masked_fields(row, rr.col[kRosterIdNumber])});
      continue;
    }
    sink.add(row, parsed);
  }
  return records;
}

bool read_roster_parts(const CsvReader& csv, const RosterRowReader& rr, std::size_t parts,
                       const std::function<RosterRowSink&(std::size_t)>& sink_of) {
  const RecordPieces split = split_records(csv.rest(), parts, csv.line());
  const std::vector<std::string_view>& pieces = split.rows;
  const std::vector<std::size_t>& first_line = split.first_line;
  struct Part {
    std::size_t records = 0, empty_row_line = 0;
    bool failed = false;
  };
  std::vector<Part> out(pieces.size());
  run_parts(pieces.size(), [&](std::size_t i) {
    try {
      CsvReader part(csv, pieces[i], first_line[i]);
      RosterRowSink& sink = sink_of(i);
      sink.reserve(pieces[i].size());
      out[i].records = read_roster_rows(part, rr, sink);
      out[i].empty_row_line = part.empty_row_line();
    } catch (const Error&) {
      out[i].failed = true;
    }
  });
  bool pending_empty = false;
  for (const Part& p : out) {
    if (p.failed || (pending_empty && p.records > 0)) return false;
    pending_empty = pending_empty || p.empty_row_line != 0;
  }
  return true;
}

}  // namespace detail

Roster read_roster(std::istream& in, const std::string& source, Date as_of, bool keep_rejects) {
  return read_roster(in, source, as_of, keep_rejects, FactDeclarations{});
}

Roster read_roster(std::istream& in, const std::string& source, Date as_of, bool keep_rejects,
                   const FactDeclarations& facts) {
  return read_roster(in, source, as_of, keep_rejects, facts, TableFormat{});
}

Roster read_roster(std::istream& in, const std::string& source, Date as_of, bool keep_rejects,
                   const FactDeclarations& facts, const TableFormat& format, TableNotes* notes) {
  const detail::MappedFile bytes(in);
  return read_roster_bytes(bytes.bytes(), source, as_of, keep_rejects, facts, format, notes, 1);
}

Roster read_roster_file(const std::string& path, Date as_of, bool keep_rejects,
                        const FactDeclarations& facts, const TableFormat& format, TableNotes* notes,
                        unsigned threads) {
  const detail::MappedFile bytes(path);
  return read_roster_bytes(bytes.bytes(), path, as_of, keep_rejects, facts, format, notes, threads);
}

Roster read_roster_bytes(std::string_view bytes, const std::string& source, Date as_of,
                         bool keep_rejects, const FactDeclarations& facts,
                         const TableFormat& format, TableNotes* notes, unsigned threads) {
  detail::CsvReader csv(bytes, source, format);
  Roster roster;
  const detail::RosterRowReader rr =
      detail::read_roster_header(csv, roster, source, as_of, keep_rejects, facts, notes);
  threads = detail::thread_count(threads);
  if (threads > 1 && csv.rest().size() >= detail::kRosterParallelBytes) {
    std::vector<std::vector<RosterPerson>> persons(threads);
    std::vector<detail::PersonSink> sinks;
    sinks.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) sinks.emplace_back(rr, persons[i]);
    if (detail::read_roster_parts(
            csv, rr, threads, [&](std::size_t i) -> detail::RosterRowSink& { return sinks[i]; })) {
      std::size_t n = 0;
      for (const auto& p : persons) n += p.size();
      roster.persons.reserve(n);
      for (unsigned i = 0; i < threads; ++i) {
        std::move(persons[i].begin(), persons[i].end(), std::back_inserter(roster.persons));
        std::move(sinks[i].rejects.begin(), sinks[i].rejects.end(),
                  std::back_inserter(roster.rejects));
        std::vector<RosterPerson>().swap(persons[i]);  // freed as joined: a lower peak
      }
      return roster;
    }
  }
  detail::PersonSink sink(rr, roster.persons);
  sink.reserve(csv.rest().size());
  detail::read_roster_rows(csv, rr, sink);
  roster.rejects = std::move(sink.rejects);
  return roster;
}

}  // namespace canbao
