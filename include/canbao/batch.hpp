// Batch recommendation over columns (structure of arrays): the path for whole
// rosters, from C++, the C ABI and numpy. Gives exactly the answers of
// recommend() for each person. Usually reached through a Recommender
// (recommender.hpp), which keeps the prepared tables of the last few dates.
//
// Speed: PreparedRecommendation turns every birth-date condition ("45 or
// older on the as-of date", "enough contributable years before retirement")
// into birth-day cut-offs per sex once per as-of date, and every categorical
// condition into small lookup tables. run() then does a handful of compares,
// lookups and bit operations per person: no allocation, no parsing, no map.
#pragma once

#include <canbao/export.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/facts.hpp>
#include <canbao/recommendation.hpp>

namespace canbao {

class Recommender;  // recommender.hpp
namespace detail {
struct PreparedAccess;  // src/batch/prepared.hpp: the kernels' and test hooks' view
}  // namespace detail

// Input columns, each `count` long, owned by the caller.
struct PersonColumns {
  std::size_t count = 0;
  const std::uint8_t* sex = nullptr;                   // 0 male, 1 female
  const std::int32_t* birth_day = nullptr;             // Date::day_number()
  const std::uint8_t* hukou_local = nullptr;           // 0 or 1
  const std::uint8_t* insurance_status = nullptr;      // InsuranceStatus value
  const std::uint8_t* employment = nullptr;            // Employment value
  const std::uint16_t* resident_grade_yuan = nullptr;  // yuan per year, 0 for none
  const std::uint8_t* flags = nullptr;                 // PersonFlags bits
  // The policy's declared facts (Recommender::facts()), in declaration
  // order, each an int32 column encoded as facts.hpp says; `fact_count` of
  // them (0, or exactly the number declared). A null column, or none at all,
  // takes the fact's default (an ArgumentError for a fact without one).
  const std::int32_t* const* facts = nullptr;
  std::size_t fact_count = 0;
};

// Owning storage for the input columns, for callers that build a roster in
// C++ vectors; view() gives the PersonColumns over it (valid while it lives
// and is not resized).
struct CANBAO_API PersonColumnStore {
  PersonColumnStore() = default;
  // A store with a column for each declared fact (in `facts`' order).
  explicit PersonColumnStore(const FactDeclarations& facts) {
    for (const FactDeclaration& f : facts.facts) {
      fact_ids.push_back(f.id);
      fact_defaults.push_back(f.default_value);
    }
    fact_columns.resize(fact_ids.size());
  }

  std::vector<std::uint8_t> sex, hukou_local, insurance_status, employment, flags;
  std::vector<std::int32_t> birth_day;
  std::vector<std::uint16_t> resident_grade_yuan;
  // Declared facts: ids, defaults and columns, in declaration order.
  std::vector<std::string> fact_ids;
  std::vector<std::optional<FactValue>> fact_defaults;
  std::vector<std::vector<std::int32_t>> fact_columns;

  // Not thread-safe: it refreshes the table of fact column pointers.
  PersonColumns view() const {
    fact_pointers_.resize(fact_columns.size());
    for (std::size_t f = 0; f < fact_columns.size(); ++f)
      fact_pointers_[f] = fact_columns[f].data();
    PersonColumns v{sex.size(),
                    sex.data(),
                    birth_day.data(),
                    hukou_local.data(),
                    insurance_status.data(),
                    employment.data(),
                    resident_grade_yuan.data(),
                    flags.data()};
    v.facts = fact_pointers_.data();
    v.fact_count = fact_pointers_.size();
    return v;
  }

  // Appends one person: the one place a Person becomes column values
  // (person(i) reads them back). A declared fact the person lacks takes its
  // default; without one, ArgumentError names it.
  void push_back(const Person& p) {
    for (const auto& given : p.facts) {
      if (std::find(fact_ids.begin(), fact_ids.end(), given.first) == fact_ids.end())
        throw_fact_error(given.first, "the store has no column for this fact");
    }
    for (std::size_t f = 0; f < fact_ids.size(); ++f) {
      if (p.facts.find(fact_ids[f]) == p.facts.end() && !fact_defaults[f])
        throw_fact_error(fact_ids[f], "missing (the fact has no default)");
    }
    for (std::size_t f = 0; f < fact_ids.size(); ++f) {
      const auto it = p.facts.find(fact_ids[f]);
      fact_columns[f].push_back(it != p.facts.end() ? it->second : *fact_defaults[f]);
    }
    sex.push_back(p.sex == Sex::female ? 1 : 0);
    birth_day.push_back(p.birth_date.day_number());
    hukou_local.push_back(p.hukou_local ? 1 : 0);
    insurance_status.push_back(static_cast<std::uint8_t>(p.insurance_status));
    employment.push_back(static_cast<std::uint8_t>(p.employment));
    resident_grade_yuan.push_back(p.resident_grade_yuan);
    flags.push_back(p.flags);
  }

  // Person i as the one-person API takes it (values not checked: for columns
  // already known valid, e.g. comparing recommend() with the batch).
  Person person(std::size_t i) const {
    Person p;
    p.sex = sex[i] ? Sex::female : Sex::male;
    p.birth_date = Date::from_day_number(birth_day[i]);
    p.hukou_local = hukou_local[i] != 0;
    p.insurance_status = static_cast<InsuranceStatus>(insurance_status[i]);
    p.employment = static_cast<Employment>(employment[i]);
    p.resident_grade_yuan = resident_grade_yuan[i];
    p.flags = flags[i];
    for (std::size_t f = 0; f < fact_ids.size(); ++f) p.facts[fact_ids[f]] = fact_columns[f][i];
    return p;
  }

 private:
  [[noreturn]] static void throw_fact_error(const std::string& id, const char* why);
  mutable std::vector<const std::int32_t*> fact_pointers_;
};

// Output columns, each `count` long, owned by the caller. fired_rows may be
// null; the others are required.
struct RecommendationColumns {
  std::uint8_t* scheme = nullptr;   // Scheme value
  std::uint8_t* actions = nullptr;  // ActionSet
  std::uint8_t* groups = nullptr;   // GroupSet
  // Recommender::fired_row_words() words per person (one when the policy has
  // at most 64 rows): bit i % 64 of the person's word i / 64 is set when
  // global row i fired (Recommender::row(i)).
  std::uint64_t* fired_rows = nullptr;
  // The narrow form of fired_rows, one byte a person (may be null): the
  // number k of the person's fired-row set, whose words are
  // PreparedRecommendation::fired_set_words(k) (fired_rows of person i ==
  // those words). Only when has_fired_sets(): at most 256 distinct sets and
  // an answer table that numbers them; otherwise run() throws ArgumentError
  // naming the limit (ask for fired_rows then). Either, both or neither.
  std::uint8_t* fired_set = nullptr;
};

// Which kernel run() uses for a PreparedRecommendation (fastest first). All
// give the answers of recommend(); the choice only depends on the size of
// the tables the policy needs, never on the persons.
enum class BatchKernelKind : std::uint8_t {
  avx2_table,      // AVX2, one lookup per person in a direct table of at most 65,536 entries
  portable_table,  // portable C++, two lookups per person in an answer table
  per_person,      // portable C++, per person: AND of the compiled row masks, then the
                   // tables' hit policies (no answer table: too many combinations)
};
CANBAO_API const char* batch_kernel_name(BatchKernelKind kind) noexcept;

// The tables specialised for one as-of date. Cheap to run many times.
// Immutable, thread-safe to share; it keeps no reference to the rules it was
// made from. Usually got from Recommender::prepared(as_of), which keeps the
// last few.
class CANBAO_API PreparedRecommendation {
 public:
  // ArgumentError for an unsupported as-of date (or rules over their limits).
  PreparedRecommendation(const Recommender& recommender, Date as_of);
  PreparedRecommendation(const RecommendationRules& rules, Date as_of);
  ~PreparedRecommendation();
  PreparedRecommendation(const PreparedRecommendation&) = delete;
  PreparedRecommendation& operator=(const PreparedRecommendation&) = delete;

  // Evaluates every person. A value outside its range (an enum value, a flag
  // bit beyond the known flags, a birth day before 1900-01-01 or after the
  // as-of date or 2200-12-31) throws InputError naming the first bad row and
  // column as "columns.<column>[<row>]"; outputs are then unspecified. Null
  // columns throw ArgumentError.
  void run(const PersonColumns& in, const RecommendationColumns& out) const;

  Date as_of() const;

  // The kernel run() uses on this machine (a test hook can force a slower
  // one), and why: a line for --explain / debug traces, e.g.
  // "portable_table: answer table of ... entries; no AVX2 table: its
  // direct table would need 80886 entries, over 65536 (16-bit keys)". Never
  // part of the results.
  BatchKernelKind kernel() const;
  std::string kernel_reason() const;

  // The distinct fired-row sets of this as-of date, numbered once when the
  // tables are prepared (RecommendationColumns::fired_set holds the
  // numbers). Available when the prepared answer table has at most 256
  // distinct sets (a uint8 number); not for rules whose answers are resolved
  // per person (no answer table: kernel_reason() says per_person is the
  // best kernel) nor for more sets. Every kernel, also a slower one forced by
  // a test hook, writes the same numbers. fired_sets_reason() says why not
  // ("" when available); fired_set_count() and fired_set_words() throw
  // ArgumentError with it.
  bool has_fired_sets() const noexcept;
  std::string fired_sets_reason() const;
  std::size_t fired_set_count() const;
  // Set k's Recommender::fired_row_words() words (layout as fired_rows);
  // valid while this object lives. ArgumentError for k >= fired_set_count().
  const std::uint64_t* fired_set_words(std::size_t k) const;
  // Words a set (and a person in fired_rows): Recommender::fired_row_words().
  std::size_t fired_row_words() const;

 private:
  struct Impl;  // src/batch/prepared.hpp
  friend struct detail::PreparedAccess;
  std::unique_ptr<const Impl> impl_;
};

}  // namespace canbao
