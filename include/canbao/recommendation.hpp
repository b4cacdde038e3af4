// Person recommendations: which pension scheme to enroll someone in, what to
// do (enroll, convert, back-pay, transfer in, ...) and which of 004's eight
// priority groups (扩面重点) they belong to, with a reason for every answer.
//
// The rules are data: a policy's "recommendation" section holds decision
// tables (docs/recommendation.md), read into RecommendationRules when the
// policy loads. This header is the model only; a Recommender (recommender.hpp)
// evaluates it for one person or, through batch.hpp, for whole rosters.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/facts.hpp>
#include <canbao/person.hpp>
#include <canbao/sex.hpp>

namespace canbao {

// Stable numbers (batch output columns, C ABI).
enum class Scheme : std::uint8_t {
  none = 0,      // no enrollment recommended (already pensioned, not eligible)
  employee = 1,  // 城镇企业职工基本养老保险
  resident = 2,  // 城乡居民基本养老保险
};
CANBAO_API const char* scheme_name(Scheme s) noexcept;
CANBAO_API std::optional<Scheme> parse_scheme(std::string_view text) noexcept;

// Actions are bits of an ActionSet: bit i is the Action with value i.
enum class Action : std::uint8_t {
  enroll_employee = 0,
  enroll_resident = 1,
  convert_to_employee = 2,  // 居民转职工 (004 二(五))
  back_pay = 3,             // 补缴 (004 三(二)2, 60+)
  government_pays = 4,      // 代缴 (004 三(二)2, 低保/特困/重度残疾)
  transfer_in = 5,          // 转移接续 (004 二(七))
  resume_payment = 6,       // 续缴
  raise_grade = 7,          // 提高缴费档次 (004 三(三) 更多缴费)
};
inline constexpr int kActionCount = 8;
using ActionSet = std::uint8_t;
constexpr ActionSet action_bit(Action a) {
  return static_cast<ActionSet>(1u << static_cast<int>(a));
}
CANBAO_API const char* action_name(Action a) noexcept;
CANBAO_API std::optional<Action> parse_action(std::string_view text) noexcept;
// "enroll_resident;back_pay" in Action order; "" for none.
CANBAO_API std::string actions_text(ActionSet actions);

// 004 二's eight priority groups g1..g8: bit (g-1) of a GroupSet.
using GroupSet = std::uint8_t;
inline constexpr int kGroupCount = 8;
// "g1".."g8" -> 1..8.
CANBAO_API std::optional<int> parse_group(std::string_view text) noexcept;
// "g3;g6" in group order; "" for none.
CANBAO_API std::string groups_text(GroupSet groups);

enum class HitPolicy : std::uint8_t {
  first,    // the first row that matches fires (rows are tried in order)
  collect,  // every row that matches fires
};

// An inclusive integer range; absent bounds are open.
struct CANBAO_API IntRange {
  std::int32_t min = std::numeric_limits<std::int32_t>::min();
  std::int32_t max = std::numeric_limits<std::int32_t>::max();
  constexpr bool contains(std::int64_t v) const { return min <= v && v <= max; }
  friend constexpr bool operator==(IntRange a, IntRange b) {
    return a.min == b.min && a.max == b.max;
  }
};

// Facts derived from a person on the as-of date. Retirement follows the
// statutory schedule (retirement.hpp) with the policy's assumption for women.
struct DerivedFacts {
  int age = 0;                   // whole years (周岁)
  Date retirement_date;          // statutory retirement date
  int years_to_retirement = 0;   // whole years from as_of to retirement_date (negative after)
  int contributable_months = 0;  // whole months from as_of to retirement_date (0 after)
  int minimum_months = 0;        // minimum contribution for a monthly pension, in months
  // Months already paid: 12 x the declared fact the rules name
  // (RecommendationRules::prior_contribution_years_fact); 0 without one.
  int prior_contribution_months = 0;
  bool contributable_years_ge_minimum() const { return contributable_months >= minimum_months; }
  // Months still needed for the minimum, counting what is already paid (0 when met).
  int months_still_needed() const {
    return minimum_months > prior_contribution_months ? minimum_months - prior_contribution_months : 0;
  }
  // Whole years still needed, rounded up (国发〔2014〕8号 六: 累计缴费不少于15年).
  int years_still_needed() const { return (months_still_needed() + 11) / 12; }
  // Whether paying every month from as_of to retirement reaches the minimum,
  // counting the months already paid (years add up across schemes and regions:
  // 国办发〔2009〕66号).
  bool reaches_minimum_by_retirement() const {
    return contributable_months >= months_still_needed();
  }
};

// A test of one declared fact (facts.hpp). Boolean and enumeration facts: the
// value is one of `values` (bit i = value i). Flags: at least one of `any`
// (when not 0) and none of `none`. Integer and date facts: the value lies in
// `range` (dates as day numbers).
struct FactTest {
  int fact = -1;  // index into RecommendationRules::facts
  FactType type = FactType::boolean;  // the fact's type (set with `fact`)
  std::uint64_t values = 0;
  std::uint32_t any = 0;
  std::uint32_t none = 0;
  IntRange range;
  friend bool operator==(const FactTest& a, const FactTest& b) {
    return a.fact == b.fact && a.type == b.type && a.values == b.values && a.any == b.any && a.none == b.none &&
           a.range == b.range;
  }
};

// A row's condition: every present part must hold. Sets are bitmasks over the
// enum values (bit i = value i); 0 means "any".
struct CANBAO_API PersonCondition {
  std::optional<Sex> sex;
  std::optional<bool> hukou_local;
  std::uint16_t insurance_status = 0;
  std::uint16_t employment = 0;
  PersonFlags flags_any = 0;   // at least one of these flags (0: no condition)
  PersonFlags flags_none = 0;  // none of these flags
  std::optional<IntRange> age;
  std::optional<IntRange> resident_grade_yuan;
  std::optional<IntRange> years_to_retirement;
  std::optional<bool> contributable_years_ge_minimum;
  // Over the months already paid (DerivedFacts::prior_contribution_months).
  std::optional<IntRange> contribution_years_still_needed;
  std::optional<bool> reaches_minimum_by_retirement;
  // Tests of declared facts, at most one per fact, in declaration order.
  std::vector<FactTest> facts;

  // `declared` holds the person's declared fact values in declaration order
  // (RecommendationRules::facts), already checked.
  bool matches(const Person& person, const DerivedFacts& derived,
               const std::vector<FactValue>& declared = {}) const;
};

struct Outcome {
  std::optional<Scheme> scheme;
  ActionSet actions = 0;
  GroupSet groups = 0;
};

struct Reason {
  std::string zh;
  std::string en;
};

struct DecisionRow {
  PersonCondition when;  // the row's own condition; the table's `when` applies too
  Outcome then;
  Reason reason;
  std::string source;  // citation, e.g. "004 四(二)"; may be empty
  std::string note;    // free text; may be empty
  std::string path;    // "recommendation.tables[0].rows[3]" or "...otherwise"
};

struct DecisionTable {
  std::string id;
  HitPolicy hit = HitPolicy::first;
  PersonCondition when;  // guard: applies to every row and to `otherwise`
  std::string source;
  std::string note;
  std::vector<DecisionRow> rows;
  // Fires when no row of this table fired (and its own `when` holds).
  std::optional<DecisionRow> otherwise;
  std::string path;
};

// One row that fired, in evaluation order.
struct FiredRow {
  int table = 0;                      // index into RecommendationRules::tables
  int row = 0;                        // index into the table's rows; -1 for `otherwise`
  int bit = 0;                        // global row number: bit of the batch fired_rows column
  const DecisionRow* rule = nullptr;  // points into the policy's RecommendationRules
};

struct CANBAO_API Recommendation {
  Scheme scheme = Scheme::none;
  ActionSet actions = 0;
  GroupSet groups = 0;
  DerivedFacts facts;
  // Bit i of word i / 64: global row i fired (as in batch.hpp); one word
  // per 64 rows of the policy (Recommender::fired_row_words()).
  std::vector<std::uint64_t> fired_rows;
  std::vector<FiredRow> trace;  // the rows that fired, in order

  bool has(Action a) const { return (actions & action_bit(a)) != 0; }
  bool fired(int bit) const {
    return bit >= 0 && static_cast<std::size_t>(bit / 64) < fired_rows.size() &&
           ((fired_rows[bit / 64] >> (bit % 64)) & 1u) != 0;
  }
  bool in_group(int g) const { return g >= 1 && g <= kGroupCount && (groups >> (g - 1)) & 1u; }
  // Every fired row's reason joined with "; " (zh or en).
  std::string reason_zh() const;
  std::string reason_en() const;
};

// A policy's "recommendation" section: its decision tables, data only
// (evaluation: recommender.hpp). Rows are numbered globally in table order,
// each table's rows then its `otherwise` row: that number is the row's bit in
// Recommendation::fired_rows and in the batch fired_rows column.
struct CANBAO_API RecommendationRules {
  // The facts the tables may test beyond the built-in ones (the policy's
  // top-level "facts" section).
  FactDeclarations facts;
  std::vector<DecisionTable> tables;
  // 50 or 55: the original statutory retirement age the policy assumes for women.
  int female_original_retirement_age = 55;
  // Or, per person, by an enumeration fact (工人 50, 干部 55): the fact's index
  // and the age for each of its values. Unset: female_original_retirement_age.
  struct FemaleAgeByFact {
    int fact = -1;
    std::vector<std::uint8_t> age;  // by enumeration value: 50 or 55
  };
  std::optional<FemaleAgeByFact> female_original_age_by_fact;
  // The declared integer fact (index) holding whole years already paid, which
  // contribution_years_still_needed and reaches_minimum_by_retirement count;
  // unset: nothing is counted as paid.
  std::optional<int> prior_contribution_years_fact;
  static constexpr int kMaxPriorContributionYears = 100;

  // Rows over all tables, counting `otherwise` rows.
  int row_count() const;
  // Words of 64 bits that hold one bit per row (at least 1).
  int fired_row_words() const { return row_count() <= 64 ? 1 : (row_count() + 63) / 64; }
};

}  // namespace canbao
