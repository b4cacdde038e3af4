// Roster CSV in, recommendations out. Parsing happens here, once per row;
// evaluation goes through the batch path (batch.hpp).
#include <canbao/roster.hpp>

#include <istream>
#include <map>
#include <ostream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include <canbao/batch.hpp>
#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/recommender.hpp>
#include <canbao/resident_id.hpp>

#include "detail/column_aliases.hpp"
#include "detail/csv.hpp"
#include "detail/office_number.hpp"

namespace canbao {

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
enum Col {
  kId,
  kIdNumber,
  kName,
  kSex,
  kBirth,
  kHukou,
  kStatus,
  kEmployment,
  kGrade,
  kFlags,
  kColCount
};

// A user value in a reason: short, and masked again with the reason itself.
std::string quoted(const std::string& value) { return "\"" + detail::excerpt(value) + "\""; }

// Any cell canbao writes back (rejects, output id and extra columns, header
// names): a whole ID number in the wrong column is masked like everywhere else.
std::string safe_cell(const std::string& value) { return detail::mask_id_numbers(value); }

// A bad field: which column (index into the header) and why.
struct FieldError {
  int column;
  std::string reason;
};

// A declared fact's roster column (-1: the header lacks it; the fact then
// takes its default).
struct FactColumn {
  const FactDeclaration* fact;
  int column;
};

// One declared fact's cell. An empty cell takes the fact's default; without
// one it must parse (a flag set's "" is no flags).
void parse_fact(const FactColumn& fc, const std::string& cell, Person& person) {
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
  person.facts[f.id] = *v;
}

RosterPerson parse_person(const detail::CsvRow& row, const int (&col)[kColCount],
                          const std::vector<FactColumn>& fact_cols,
                          const std::vector<int>& extra_cols, int unit_col, Date as_of,
                          const BuiltinValues& builtin) {
  auto field = [&](Col c) -> const std::string& {
    return row.fields[static_cast<std::size_t>(col[c])];
  };
  auto fail = [&](Col c, std::string reason) { throw FieldError{col[c], std::move(reason)}; };
  RosterPerson p;
  p.line = row.line;
  p.id = field(kId);
  if (p.id.empty()) fail(kId, "id is empty (each row needs the roster's own id)");

  std::optional<ResidentId> rid;
  if (!field(kIdNumber).empty()) {
    IdProblem why;
    rid = parse_resident_id(field(kIdNumber), &why);
    // A bad-date reason quotes digits 7-14, which the mask hides: never both.
    if (!rid) {
      fail(kIdNumber, "id_number " +
                          (why.fault == IdFault::bad_birth_date ? std::string("(withheld)")
                                                                : mask_id(field(kIdNumber))) +
                          " is not valid: " + why.reason);
    }
    p.id_number_masked = rid->masked();
  }

  const std::string& sex = field(kSex);
  if (sex.empty()) {
    if (!rid) fail(kSex, "sex is empty and there is no id_number to take it from");
    p.person.sex = rid->sex();
  } else {
    if (!parse_sex(sex, &p.person.sex))
      fail(kSex, "expected \"male\" or \"female\", got " + quoted(sex));
    if (rid && rid->sex() != p.person.sex) {
      fail(kSex, "sex " + sex + " disagrees with id_number " + rid->masked());
    }
  }

  const std::string& birth = field(kBirth);
  if (birth.empty()) {
    if (!rid) fail(kBirth, "birth_date is empty and there is no id_number to take it from");
    p.person.birth_date = rid->birth_date();
  } else {
    std::string why;
    const auto d = parse_office_date(birth, &why);  // 1980/3/1, 1980年3月1日 as offices type them
    if (!d) fail(kBirth, why);
    if (rid && rid->birth_date() != *d) {
      fail(kBirth,
           "birth_date " + birth + " disagrees with the birth date in id_number " + rid->masked());
    }
    p.person.birth_date = *d;
  }
  if (p.person.birth_date > as_of) {
    fail(rid && birth.empty() ? kIdNumber : kBirth, "born after the as-of date " + as_of.iso());
  }
  if (p.person.birth_date.year() < 1900)
    fail(rid && birth.empty() ? kIdNumber : kBirth, "born before 1900");

  // 户籍: is the person's hukou local? 是/本地 and 否/外地 as offices write it.
  const std::string& hukou = field(kHukou);
  if (hukou == "true" || hukou == "1" || hukou == "是" || hukou == "本地") {
    p.person.hukou_local = true;
  } else if (hukou == "false" || hukou == "0" || hukou == "否" || hukou == "外地") {
    p.person.hukou_local = false;
  } else {
    // The message stays as before: 是/否 and 本地/外地 are in docs/office-data.md.
    fail(kHukou, "expected true, false, 1 or 0, got " + quoted(hukou));
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
      static_cast<InsuranceStatus>(code(kStatus, BuiltinList::insurance_status));
  p.person.employment = static_cast<Employment>(code(kEmployment, BuiltinList::employment));

  const std::string& grade = field(kGrade);
  if (!grade.empty()) {
    std::int64_t v = 0;  // "1,000" and full-width digits as offices type them
    if (!detail::parse_office_integer(grade, &v) || v < 0 || v > 65535)
      fail(kGrade, "expected whole yuan 0..65535 (or empty for none), got " + quoted(grade));
    p.person.resident_grade_yuan = static_cast<std::uint16_t>(v);
  }

  std::string why;
  const auto flags = builtin.parse_flags(field(kFlags), &why);
  if (!flags) fail(kFlags, why);
  p.person.flags = static_cast<PersonFlags>(*flags);

  for (const FactColumn& fc : fact_cols) {
    if (fc.column >= 0) parse_fact(fc, row.fields[static_cast<std::size_t>(fc.column)], p.person);
  }

  for (int c : extra_cols) p.extra.push_back(row.fields[static_cast<std::size_t>(c)]);
  if (unit_col >= 0) p.unit_id = row.fields[static_cast<std::size_t>(unit_col)];
  return p;
}

std::vector<std::string> masked_fields(const detail::CsvRow& row, int id_number_col) {
  // The id_number column is masked whole (even a malformed number); every other
  // cell has its ID-like digit runs masked, for rows shifted by a missing comma.
  std::vector<std::string> f;
  for (std::size_t k = 0; k < row.fields.size(); ++k) {
    const std::string& v = row.fields[k];
    f.push_back(static_cast<int>(k) == id_number_col && !v.empty() ? mask_id(v) : safe_cell(v));
  }
  return f;
}

struct ReasonText {
  std::string zh, en;
};

class ReasonCache {
 public:
  explicit ReasonCache(const Recommender& r) : recommender_(r) {}
  const ReasonText& get(const std::vector<std::uint64_t>& fired) {
    auto it = cache_.find(fired);
    if (it != cache_.end()) return it->second;
    ReasonText r;
    for (int bit = 0; bit < recommender_.row_count(); ++bit) {
      if (!((fired[static_cast<std::size_t>(bit / 64)] >> (bit % 64)) & 1u)) continue;
      const Reason& why = recommender_.row(bit).reason;
      r.zh += (r.zh.empty() ? "" : "；") + why.zh;
      r.en += (r.en.empty() ? "" : "; ") + why.en;
    }
    return cache_.emplace(fired, std::move(r)).first->second;
  }

 private:
  const Recommender& recommender_;
  std::map<std::vector<std::uint64_t>, ReasonText> cache_;
};

}  // namespace

Roster read_roster(std::istream& in, const std::string& source, Date as_of, bool keep_rejects) {
  return read_roster(in, source, as_of, keep_rejects, FactDeclarations{});
}

Roster read_roster(std::istream& in, const std::string& source, Date as_of, bool keep_rejects,
                   const FactDeclarations& facts) {
  return read_roster(in, source, as_of, keep_rejects, facts, TableFormat{});
}

Roster read_roster(std::istream& in, const std::string& source, Date as_of, bool keep_rejects,
                   const FactDeclarations& facts, const TableFormat& format, TableNotes* notes) {
  detail::CsvReader csv(in, source, format);
  Roster roster;
  roster.source = source;
  const detail::AliasTable aliases = detail::roster_column_aliases();
  roster.header = csv.read_header(&aliases);
  // unit_id stays an extra column (written back as before) and is also read.
  const int unit_col = csv.column("unit_id");
  roster.unit_id_column = static_cast<std::size_t>(unit_col + 1);
  int col[kColCount];
  for (int c = 0; c < kColCount; ++c) col[c] = csv.required_column(kColumns[c]);
  std::vector<FactColumn> fact_cols;
  for (const FactDeclaration& f : facts.facts) {
    const int c = csv.column(f.column);
    if (c < 0 && !f.default_value) {
      csv.fail(1, 0,
               "the header has no column \"" + f.column + "\" for the declared fact " + f.id +
                   ", which has no default");
    }
    fact_cols.push_back(FactColumn{&f, c});
  }
  std::vector<int> extra_cols;
  for (std::size_t i = 0; i < roster.header.size(); ++i) {
    bool known = false;
    for (int c = 0; c < kColCount; ++c) known = known || col[c] == static_cast<int>(i);
    for (const FactColumn& fc : fact_cols) known = known || fc.column == static_cast<int>(i);
    if (!known) {
      extra_cols.push_back(static_cast<int>(i));
      roster.extra_columns.push_back(roster.header[i]);
      if (notes) notes->ignored_columns.push_back(safe_cell(roster.header[i]));
    }
  }
  detail::CsvRow row;
  for (;;) {
    // Syntax and encoding errors (not UTF-8, NUL, an open quote) stop the
    // run even with rejects kept: the rest of the file cannot be read safely.
    if (!csv.next_record(row)) break;
    if (row.fields.size() != roster.header.size()) {
      // A row with the wrong number of fields: its fields are not trustworthy.
      if (!keep_rejects) csv.fail(row.line, 0, csv.field_count_message(row));
      roster.rejects.push_back(RosterReject{row.line, 0, csv.where(row.line, 0),
                                            csv.field_count_message(row),
                                            masked_fields(row, col[kIdNumber])});
      continue;
    }
    try {
      roster.persons.push_back(
          parse_person(row, col, fact_cols, extra_cols, unit_col, as_of, facts.builtin));
    } catch (const FieldError& e) {
      const std::size_t column = static_cast<std::size_t>(e.column) + 1;
      if (!keep_rejects) csv.fail(row.line, column, e.reason);
      roster.rejects.push_back(RosterReject{row.line, column, csv.where(row.line, column),
                                            safe_cell(e.reason),
                                            masked_fields(row, col[kIdNumber])});
    }
  }
  return roster;
}

std::vector<RosterResult> recommend_roster(const Recommender& recommender, const Roster& roster,
                                           Date as_of) {
  const std::size_t n = roster.persons.size();
  PersonColumnStore in(recommender.facts());
  for (const RosterPerson& rp : roster.persons) in.push_back(rp.person);
  std::vector<std::uint8_t> scheme(n), actions(n), groups(n);
  const std::size_t words = static_cast<std::size_t>(recommender.fired_row_words());
  std::vector<std::uint64_t> fired(n * words);
  recommender.recommend_batch(
      as_of, in.view(),
      RecommendationColumns{scheme.data(), actions.data(), groups.data(), fired.data()});
  std::vector<RosterResult> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const DerivedFacts f = recommender.derive(roster.persons[i].person, as_of);
    out[i] = RosterResult{
        f.age,
        static_cast<Scheme>(scheme[i]),
        actions[i],
        groups[i],
        f.retirement_date,
        std::vector<std::uint64_t>(fired.begin() + static_cast<std::ptrdiff_t>(i * words),
                                   fired.begin() + static_cast<std::ptrdiff_t>((i + 1) * words))};
  }
  return out;
}

void write_roster_csv(std::ostream& out, const Recommender& recommender, const Roster& roster,
                      const std::vector<RosterResult>& results) {
  out << "id,age,scheme,actions,groups,retirement_date,reason,reason_en";
  for (const std::string& c : roster.extra_columns) out << ',' << detail::csv_escape(safe_cell(c));
  out << '\n';
  ReasonCache reasons(recommender);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RosterPerson& p = roster.persons[i];
    const RosterResult& r = results[i];
    const ReasonText& why = reasons.get(r.fired_rows);
    out << detail::csv_escape(safe_cell(p.id)) << ',' << r.age << ',' << scheme_name(r.scheme)
        << ',' << actions_text(r.actions) << ',' << groups_text(r.groups) << ','
        << r.retirement_date.iso() << ',' << detail::csv_escape(why.zh) << ','
        << detail::csv_escape(why.en);
    for (const std::string& v : p.extra) out << ',' << detail::csv_escape(safe_cell(v));
    out << '\n';
  }
}

void write_roster_json(std::ostream& out, const Recommender& recommender, const Roster& roster,
                       const std::vector<RosterResult>& results) {
  using nlohmann::json;
  ReasonCache reasons(recommender);
  auto list = [](const std::string& text) {
    json a = json::array();
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(';', start);
      if (end == std::string::npos) end = text.size();
      a.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return a;
  };
  out << "[";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RosterPerson& p = roster.persons[i];
    const RosterResult& r = results[i];
    const ReasonText& why = reasons.get(r.fired_rows);
    json o = {{"id", safe_cell(p.id)},
              {"age", r.age},
              {"scheme", scheme_name(r.scheme)},
              {"actions", list(actions_text(r.actions))},
              {"groups", list(groups_text(r.groups))},
              {"retirement_date", r.retirement_date.iso()},
              {"reason", why.zh},
              {"reason_en", why.en}};
    if (!roster.extra_columns.empty()) {
      json extra = json::object();
      for (std::size_t k = 0; k < roster.extra_columns.size(); ++k)
        extra[safe_cell(roster.extra_columns[k])] = safe_cell(p.extra[k]);
      o["extra"] = std::move(extra);
    }
    out << (i ? ",\n " : "\n ") << o.dump();
  }
  out << (results.empty() ? "]\n" : "\n]\n");
}

void write_rejects_csv(std::ostream& out, const Roster& roster) {
  out << "line,column,reason";
  for (const std::string& h : roster.header) out << ',' << detail::csv_escape(safe_cell(h));
  out << '\n';
  for (const RosterReject& r : roster.rejects) {
    out << r.line << ',' << r.column << ',' << detail::csv_escape(r.reason);
    for (std::size_t k = 0; k < roster.header.size(); ++k) {
      out << ',' << (k < r.fields.size() ? detail::csv_escape(r.fields[k]) : std::string());
    }
    out << '\n';
  }
}

}  // namespace canbao
