// What each part of a PersonCondition means, written once. The one-person
// path (PersonCondition::matches) ANDs every part; the batch tables
// (src/batch/prepare.cpp) and the reachability check
// (src/recommendation_reachability.cpp) evaluate one fact at a time, so each
// part is its own function over that fact alone.
#pragma once

#include <cstdint>

#include <canbao/recommendation.hpp>

namespace canbao::detail {

// A set of enum values as a bitmask (bit i = value i); 0 means "any".
inline bool in_set(std::uint16_t set, int value) {
  return set == 0 || ((set >> value) & 1u) != 0;
}

inline bool sex_part(const PersonCondition& c, Sex sex) { return !c.sex || *c.sex == sex; }
inline bool hukou_part(const PersonCondition& c, bool local) {
  return !c.hukou_local || *c.hukou_local == local;
}
inline bool status_part(const PersonCondition& c, int status) {
  return in_set(c.insurance_status, status);
}
inline bool employment_part(const PersonCondition& c, int employment) {
  return in_set(c.employment, employment);
}
inline bool flags_part(const PersonCondition& c, unsigned flags) {
  if (c.flags_any && (flags & c.flags_any) == 0) return false;
  return (flags & c.flags_none) == 0;
}
inline bool age_part(const PersonCondition& c, std::int64_t age) {
  return !c.age || c.age->contains(age);
}
inline bool grade_part(const PersonCondition& c, std::int64_t grade_yuan) {
  return !c.resident_grade_yuan || c.resident_grade_yuan->contains(grade_yuan);
}
inline bool years_to_retirement_part(const PersonCondition& c, std::int64_t years) {
  return !c.years_to_retirement || c.years_to_retirement->contains(years);
}
inline bool contributable_part(const PersonCondition& c, bool ge_minimum) {
  return !c.contributable_years_ge_minimum || *c.contributable_years_ge_minimum == ge_minimum;
}

inline bool still_needed_part(const PersonCondition& c, std::int64_t years) {
  return !c.contribution_years_still_needed || c.contribution_years_still_needed->contains(years);
}
inline bool reaches_part(const PersonCondition& c, bool reaches) {
  return !c.reaches_minimum_by_retirement || *c.reaches_minimum_by_retirement == reaches;
}

// One declared-fact test on the fact's encoded value (facts.hpp).
inline bool fact_test_holds(const FactTest& t, FactValue v) {
  switch (t.type) {
    case FactType::boolean:
    case FactType::enumeration:
      return t.values == 0 || (v >= 0 && v < 64 && ((t.values >> v) & 1u) != 0);
    case FactType::flags: {
      const auto bits = static_cast<std::uint32_t>(v);
      if (t.any && (bits & t.any) == 0) return false;
      return (bits & t.none) == 0;
    }
    case FactType::integer:
    case FactType::date:
      return t.range.contains(v);
  }
  return false;
}

// The condition's test of fact `fact` (declaration index) holds for value
// `v`; true when the condition does not test that fact.
inline bool fact_part(const PersonCondition& c, int fact, FactValue v) {
  for (const FactTest& t : c.facts) {
    if (t.fact == fact) return fact_test_holds(t, v);
  }
  return true;
}

// Whether the condition needs retirement facts (DerivedFacts beyond age).
inline bool uses_retirement(const PersonCondition& c) {
  return c.years_to_retirement || c.contributable_years_ge_minimum ||
         c.contribution_years_still_needed || c.reaches_minimum_by_retirement;
}

// The retirement parts alone (what changes from one birth month to the next).
inline bool retirement_part(const PersonCondition& c, const DerivedFacts& f) {
  return years_to_retirement_part(c, f.years_to_retirement) &&
         contributable_part(c, f.contributable_years_ge_minimum()) &&
         still_needed_part(c, f.years_still_needed()) &&
         reaches_part(c, f.reaches_minimum_by_retirement());
}

// The parts that depend on sex and birth date (through the derived facts).
inline bool birth_part(const PersonCondition& c, Sex sex, const DerivedFacts& f) {
  return sex_part(c, sex) && age_part(c, f.age) && retirement_part(c, f);
}

// Calls f on every condition of the rules: each table's guard, rows and otherwise.
template <typename F>
void for_each_condition(const RecommendationRules& rules, F f) {
  for (const DecisionTable& table : rules.tables) {
    f(table.when);
    for (const DecisionRow& row : table.rows) f(row.when);
    if (table.otherwise) f(table.otherwise->when);
  }
}

}  // namespace canbao::detail
