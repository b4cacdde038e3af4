// A roster read into columns and answered as CSV (roster_columns.hpp, issue
// 15): the rows are parsed by parse_roster_row (roster_csv.cpp) into a sink
// that appends the kernel's input columns and the written-back cells, each
// part of the file on its own thread; then chunks of rows are evaluated and
// formatted on the threads and written in order.
#include <canbao/roster_columns.hpp>

#include <algorithm>
#include <ostream>
#include <vector>

#include <canbao/batch.hpp>
#include <canbao/recommender.hpp>

#include "detail/csv.hpp"
#include "detail/mapped_file.hpp"
#include "detail/parallel.hpp"
#include "detail/roster_output.hpp"
#include "detail/roster_rows.hpp"
#include "detail/row_index.hpp"

namespace canbao {
namespace {

// One part of the roster's rows as columns: PersonColumns' values, and the
// cells written back, already as written (escaped, ID numbers masked): row
// i's id is cells[end of row i - 1, id_end[i]), its extra columns (each
// after a comma) [id_end[i], row_end[i]).
class ColumnPart final : public detail::RosterRowSink {
 public:
  explicit ColumnPart(const detail::RosterRowReader& rr) : rr_(&rr), facts(rr.fact_cols.size()) {}

  void reserve(std::size_t bytes) override {
    const std::size_t n = bytes / 64;
    for (auto* v : {&sex, &hukou_local, &insurance_status, &employment, &flags}) v->reserve(n);
    birth_day.reserve(n);
    resident_grade_yuan.reserve(n);
    id_end.reserve(n);
    row_end.reserve(n);
    cells.reserve(bytes / 4);  // the id and extra columns: a fifth of a row in 004's rosters
    for (std::size_t k = 0; k < facts.size(); ++k)
      if (rr_->fact_cols[k].column >= 0) facts[k].reserve(n);
  }

  void add(const detail::CsvFields& row, const detail::ParsedRosterRow& parsed) override {
    const Person& p = parsed.person;
    sex.push_back(p.sex == Sex::female ? 1 : 0);
    birth_day.push_back(p.birth_date.day_number());
    hukou_local.push_back(p.hukou_local ? 1 : 0);
    insurance_status.push_back(static_cast<std::uint8_t>(p.insurance_status));
    employment.push_back(static_cast<std::uint8_t>(p.employment));
    resident_grade_yuan.push_back(p.resident_grade_yuan);
    flags.push_back(p.flags);
    // A fact whose column the header lacks stays a null column (its default).
    for (std::size_t k = 0; k < facts.size(); ++k) {
      const detail::RosterFactColumn& fc = rr_->fact_cols[k];
      if (fc.column >= 0)
        facts[k].push_back(parsed.fact_given[k] ? parsed.fact_values[k] : *fc.fact->default_value);
    }
    detail::append_roster_cell(cells, parsed.id);
    id_end.push_back(cells.size());
    for (int c : rr_->extra_cols) {
      cells += ',';
      detail::append_roster_cell(cells, row.fields[static_cast<std::size_t>(c)]);
    }
    row_end.push_back(cells.size());
  }

  std::size_t size() const { return sex.size(); }

  const detail::RosterRowReader* rr_;
  std::vector<std::uint8_t> sex, hukou_local, insurance_status, employment, flags;
  std::vector<std::int32_t> birth_day;
  std::vector<std::uint16_t> resident_grade_yuan;
  std::vector<std::vector<std::int32_t>> facts;  // per declared fact; empty: no column
  std::string cells;
  std::vector<std::size_t> id_end, row_end;
};

// A declared fact's value for row i of a part: its column, or its default.
std::int32_t fact_value(const ColumnPart& part, const FactDeclarations& decl, std::size_t fact,
                        std::size_t i) {
  const std::vector<std::int32_t>& column = part.facts[fact];
  return column.empty() ? *decl.facts[fact].default_value : column[i];
}

}  // namespace

struct RosterColumns::Impl {
  const Recommender* recommender = nullptr;
  Date as_of;
  Roster roster;
  std::unique_ptr<detail::RosterRowReader> rr;  // the parts point to it
  std::vector<std::unique_ptr<ColumnPart>> parts;
};

RosterColumns::RosterColumns(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RosterColumns::~RosterColumns() = default;
RosterColumns::RosterColumns(RosterColumns&&) noexcept = default;
RosterColumns& RosterColumns::operator=(RosterColumns&&) noexcept = default;

const Roster& RosterColumns::roster() const { return impl_->roster; }

std::size_t RosterColumns::size() const {
  std::size_t n = 0;
  for (const auto& p : impl_->parts) n += p->size();
  return n;
}

RosterColumns read_roster_columns_bytes(std::string_view bytes, const std::string& source,
                                        const Recommender& recommender, Date as_of,
                                        bool keep_rejects, const TableFormat& format,
                                        unsigned threads) {
  auto impl = std::make_unique<RosterColumns::Impl>();
  impl->recommender = &recommender;
  impl->as_of = as_of;
  detail::CsvReader csv(bytes, source, format);
  impl->rr = std::make_unique<detail::RosterRowReader>(detail::read_roster_header(
      csv, impl->roster, source, as_of, keep_rejects, recommender.facts(), nullptr));
  const detail::RosterRowReader& rr = *impl->rr;
  auto fresh_parts = [&](std::size_t n) {
    impl->parts.clear();
    for (std::size_t i = 0; i < n; ++i) impl->parts.push_back(std::make_unique<ColumnPart>(rr));
  };
  threads = detail::thread_count(threads);
  bool read = false;
  if (threads > 1 && csv.rest().size() >= detail::kRosterParallelBytes) {
    fresh_parts(threads);
    read = detail::read_roster_parts(
        csv, rr, threads, [&](std::size_t i) -> detail::RosterRowSink& { return *impl->parts[i]; });
  }
  if (!read) {  // one thread: the first error in file order, as read_roster_bytes
    fresh_parts(1);
    impl->parts[0]->reserve(csv.rest().size());
    detail::read_roster_rows(csv, rr, *impl->parts[0]);
  }
  for (auto& p : impl->parts) {
    std::move(p->rejects.begin(), p->rejects.end(), std::back_inserter(impl->roster.rejects));
    p->rejects.clear();
  }
  return RosterColumns(std::move(impl));
}

RosterColumns read_roster_columns_file(const std::string& path, const Recommender& recommender,
                                       Date as_of, bool keep_rejects, const TableFormat& format,
                                       unsigned threads) {
  const detail::MappedFile bytes(path);
  return read_roster_columns_bytes(bytes.bytes(), path, recommender, as_of, keep_rejects, format,
                                   threads);
}

namespace {

// The age and retirement date recommend_roster derives for each person
// (Recommender::derive). Without a declared fact in them (most policies) they
// depend on the sex and birth day only: then a table over the roster's birth
// days answers them, made once (a 1 M-row roster has some 40,000 days), when
// it is smaller than the roster.
class Derived {
 public:
  Derived(const Recommender& recommender, Date as_of,
          const std::vector<std::unique_ptr<ColumnPart>>& parts)
      : recommender_(recommender), as_of_(as_of) {
    const RecommendationRules& rules = recommender.rules();
    if (rules.female_original_age_by_fact || rules.prior_contribution_years_fact) return;
    std::int32_t lo = 0, hi = -1;
    for (const auto& p : parts) {
      for (std::int32_t d : p->birth_day) {
        if (hi < lo) lo = hi = d;
        lo = std::min(lo, d);
        hi = std::max(hi, d);
      }
    }
    std::size_t rows = 0;
    for (const auto& p : parts) rows += p->size();
    // A table larger than the roster would cost more than it saves.
    if (hi < lo || 2 * static_cast<std::size_t>(hi - lo + 1) > rows) return;
    first_day_ = lo;
    table_.resize(2 * static_cast<std::size_t>(hi - lo + 1));
    const std::vector<FactValue> none;
    const int female_age = detail::female_original_age(rules, none);
    for (std::int32_t d = lo; d <= hi; ++d) {
      for (int sex = 0; sex < 2; ++sex) {
        Person person;
        person.sex = sex ? Sex::female : Sex::male;
        person.birth_date = Date::from_day_number(d);
        const DerivedFacts f = detail::derive(person, as_of, female_age, 0);
        table_[2 * static_cast<std::size_t>(d - lo) + static_cast<std::size_t>(sex)] =
            Entry{f.age, f.retirement_date};
      }
    }
  }
  struct Entry {
    int age = 0;
    Date retirement_date;
  };
  // Row i of `part`.
  Entry at(const ColumnPart& part, std::size_t i, std::vector<FactValue>& declared) const {
    if (!table_.empty()) {
      return table_[2 * static_cast<std::size_t>(part.birth_day[i] - first_day_) + part.sex[i]];
    }
    const RecommendationRules& rules = recommender_.rules();
    const FactDeclarations& decl = recommender_.facts();
    Person person;
    person.sex = part.sex[i] ? Sex::female : Sex::male;
    person.birth_date = Date::from_day_number(part.birth_day[i]);
    declared.resize(decl.size());
    for (std::size_t f = 0; f < declared.size(); ++f) declared[f] = fact_value(part, decl, f, i);
    const DerivedFacts d =
        detail::derive(person, as_of_, detail::female_original_age(rules, declared),
                       detail::prior_contribution_months(rules, declared));
    return Entry{d.age, d.retirement_date};
  }

 private:
  const Recommender& recommender_;
  Date as_of_;
  std::int32_t first_day_ = 0;
  std::vector<Entry> table_;  // 2 per birth day from first_day_: men, women
};

// One worker's buffers, kept from chunk to chunk (no fresh pages each time).
struct Scratch {
  std::vector<std::uint8_t> scheme, actions, groups;
  std::vector<std::uint64_t> fired;
  std::vector<FactValue> declared;
  std::string text;
  std::array<std::size_t, 3> by_scheme{};
};

// Rows [begin, end) of one part evaluated and formatted into scratch.text
// (write_roster_csv's rows for them); counts by scheme added to scratch.by_scheme.
void format_rows(const Recommender& recommender, const PreparedRecommendation& prepared,
                 const Derived& derived, const ColumnPart& part, std::size_t begin, std::size_t end,
                 RosterReasons reasons, const detail::SetTexts& sets, Scratch& s) {
  const std::size_t m = end - begin;
  std::vector<const std::int32_t*> fact_pointers(part.facts.size());
  for (std::size_t k = 0; k < part.facts.size(); ++k)
    fact_pointers[k] = part.facts[k].empty() ? nullptr : part.facts[k].data() + begin;
  PersonColumns in{m,
                   part.sex.data() + begin,
                   part.birth_day.data() + begin,
                   part.hukou_local.data() + begin,
                   part.insurance_status.data() + begin,
                   part.employment.data() + begin,
                   part.resident_grade_yuan.data() + begin,
                   part.flags.data() + begin};
  in.facts = fact_pointers.data();
  in.fact_count = fact_pointers.size();
  const std::size_t words = static_cast<std::size_t>(recommender.fired_row_words());
  s.scheme.resize(m);
  s.actions.resize(m);
  s.groups.resize(m);
  s.fired.resize(m * words);
  prepared.run(in, RecommendationColumns{s.scheme.data(), s.actions.data(), s.groups.data(),
                                         s.fired.data()});

  detail::ReasonCache cache(recommender);
  std::string& out = s.text;
  out.clear();
  out.reserve(m * 64 + (part.row_end[end - 1] - (begin ? part.row_end[begin - 1] : 0)));
  for (std::size_t k = 0; k < m; ++k) {
    const std::size_t i = begin + k;
    const Derived::Entry d = derived.at(part, i, s.declared);
    const std::size_t cells_begin = i ? part.row_end[i - 1] : 0;
    out.append(part.cells, cells_begin, part.id_end[i] - cells_begin);
    detail::append_roster_answer(out, d.age, static_cast<Scheme>(s.scheme[k]), s.actions[k],
                                 s.groups[k], d.retirement_date, s.fired.data() + k * words,
                                 reasons, cache, sets);
    out.append(part.cells, part.id_end[i], part.row_end[i] - part.id_end[i]);
    out += '\n';
    ++s.by_scheme[s.scheme[k] < 3 ? s.scheme[k] : 0];
  }
}

}  // namespace

std::array<std::size_t, 3> RosterColumns::write_csv(std::ostream& out, RosterReasons reasons,
                                                    unsigned threads) const {
  const Impl& m = *impl_;
  const Recommender& recommender = *m.recommender;
  const std::shared_ptr<const PreparedRecommendation> prepared = recommender.prepared(m.as_of);
  out << detail::roster_csv_header(m.roster, reasons);
  const detail::SetTexts sets;
  const Derived derived(recommender, m.as_of, m.parts);
  // Chunks of about 64 Ki rows: evaluated and formatted on the threads,
  // written in order (the bytes never depend on the thread count).
  struct Chunk {
    const ColumnPart* part;
    std::size_t begin, end;
  };
  constexpr std::size_t kRows = 1 << 16;
  std::vector<Chunk> chunks;
  for (const auto& p : m.parts) {
    for (std::size_t b = 0; b < p->size(); b += kRows)
      chunks.push_back(Chunk{p.get(), b, std::min(p->size(), b + kRows)});
  }
  const std::size_t workers =
      std::max<std::size_t>(1, std::min<std::size_t>(chunks.size(), detail::thread_count(threads)));
  // Two sets of buffers: the calling thread writes one wave while the
  // workers format the next.
  std::vector<Scratch> scratch(2 * workers);
  const std::size_t waves = (chunks.size() + workers - 1) / workers;
  auto wave_size = [&](std::size_t w) { return std::min(workers, chunks.size() - w * workers); };
  for (std::size_t w = 0; w <= waves; ++w) {
    Scratch* now = scratch.data() + (w % 2) * workers;
    const Scratch* before = scratch.data() + ((w + 1) % 2) * workers;
    const std::size_t formatted = w < waves ? wave_size(w) : 0;
    const std::size_t written = w > 0 ? wave_size(w - 1) : 0;
    detail::run_parts(formatted + 1, [&](std::size_t k) {
      if (k == 0) {
        for (std::size_t j = 0; j < written; ++j)
          out.write(before[j].text.data(), static_cast<std::streamsize>(before[j].text.size()));
        return;
      }
      const Chunk& c = chunks[w * workers + k - 1];
      format_rows(recommender, *prepared, derived, *c.part, c.begin, c.end, reasons, sets,
                  now[k - 1]);
    });
  }
  std::array<std::size_t, 3> by_scheme{};
  for (const Scratch& s : scratch) {
    for (std::size_t i = 0; i < 3; ++i) by_scheme[i] += s.by_scheme[i];
  }
  return by_scheme;
}

}  // namespace canbao
