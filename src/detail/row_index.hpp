// The evaluators' view of RecommendationRules: the global row numbering (bit
// i of fired_rows -> table, row, rule) and the derived facts. Shared by the
// Recommender (src/recommender.cpp) and the batch tables (src/batch/).
#pragma once

#include <vector>

#include <canbao/date.hpp>
#include <canbao/person.hpp>
#include <canbao/recommendation.hpp>

namespace canbao::detail {

struct RowRef {
  int table;
  int row;  // -1 for `otherwise`
  const DecisionRow* rule;
};

// Points into `rules`, which must outlive it. ArgumentError when the rules
// are inconsistent (female retirement ages, tests of undeclared facts).
struct RowIndex {
  explicit RowIndex(const RecommendationRules& rules);

  const RecommendationRules* rules;
  std::vector<RowRef> rows;       // by global row number
  bool uses_retirement = false;   // whether any condition needs retirement facts

  int row_count() const { return static_cast<int>(rows.size()); }
  const DecisionRow& row(int bit) const { return *rows[bit].rule; }
  // The guard (`when`) of the row's table.
  const PersonCondition& guard(int bit) const { return rules->tables[rows[bit].table].when; }
};

// The person's declared fact values in declaration order: defaults filled
// in; InputError ("facts.<id>") for a missing fact without a default, an
// invalid value, or an id the rules do not declare.
std::vector<FactValue> declared_values(const RecommendationRules& rules, const Person& person);

// The women's original retirement age for a person with these declared values.
int female_original_age(const RecommendationRules& rules, const std::vector<FactValue>& declared);

// Months already paid, by the rules' prior-contribution fact (0 without one).
int prior_contribution_months(const RecommendationRules& rules, const std::vector<FactValue>& declared);

// The derived facts for a given original retirement age of women (50 or 55)
// and months already paid.
DerivedFacts derive(const Person& person, Date as_of, int female_original_age,
                    int prior_contribution_months = 0);

// The person's facts on `as_of` under the rules' retirement assumption.
// ArgumentError for an unsupported as-of date; InputError for a birth date
// after it or outside 1900..2200 (the retirement schedule's years).
DerivedFacts derive(const RecommendationRules& rules, const Person& person, Date as_of);

// Every row's condition on the person's facts, with the trace.
Recommendation evaluate(const RowIndex& index, const Person& person, Date as_of);

}  // namespace canbao::detail
