// The straightforward evaluation of decision tables for one person: every
// row's condition is checked against the person's facts and the derived facts
// of the as-of date (src/batch/ must give the same answers from cut-offs);
// and the Recommender, which owns the row index and the prepared batch tables.
#include <canbao/recommender.hpp>

#include <mutex>
#include <string>
#include <vector>

#include <canbao/error.hpp>
#include <canbao/retirement.hpp>

#include "detail/condition.hpp"
#include "detail/row_index.hpp"

namespace canbao {

namespace detail {

RowIndex::RowIndex(const RecommendationRules& r) : rules(&r) {
  if (r.female_original_retirement_age != 50 && r.female_original_retirement_age != 55) {
    throw ArgumentError("female_original_retirement_age", "must be 50 or 55");
  }
  for (std::size_t t = 0; t < r.tables.size(); ++t) {
    const DecisionTable& table = r.tables[t];
    for (std::size_t k = 0; k < table.rows.size(); ++k)
      rows.push_back(RowRef{static_cast<int>(t), static_cast<int>(k), &table.rows[k]});
    if (table.otherwise) rows.push_back(RowRef{static_cast<int>(t), -1, &*table.otherwise});
  }
  for_each_condition(r, [&](const PersonCondition& c) {
    if (detail::uses_retirement(c)) uses_retirement = true;
  });
  if (static_cast<int>(rows.size()) > RecommendationRules::kMaxRows) {
    throw ArgumentError("tables", std::to_string(rows.size()) +
                                      " rows in all (counting otherwise rows), at most " +
                                      std::to_string(RecommendationRules::kMaxRows) +
                                      " are supported: fired_rows keeps one bit per row");
  }
}

DerivedFacts derive(const RecommendationRules& rules, const Person& person, Date as_of) {
  if (!is_supported_date(as_of)) throw ArgumentError("as_of", unsupported_date_message(as_of));
  if (person.birth_date > as_of) {
    throw InputError("birth_date",
                     person.birth_date.iso() + " is after the as-of date " + as_of.iso());
  }
  // The retirement schedule covers births 1900..2200 (retirement.cpp); the
  // batch path takes the same range (src/batch/).
  if (person.birth_date < *Date::from_ymd(1900, 1, 1)) {
    throw InputError("birth_date", person.birth_date.iso() + " is before 1900-01-01");
  }
  if (person.birth_date > *Date::from_ymd(2200, 12, 31)) {
    throw InputError("birth_date", person.birth_date.iso() +
                                       " is after 2200-12-31, the last supported birth date");
  }
  DerivedFacts f;
  f.age = age_on(person.birth_date, as_of);
  const YearMonthDay b = person.birth_date.ymd();
  const int original = person.sex == Sex::male ? 60 : rules.female_original_retirement_age;
  const RetirementSchedule s =
      statutory_retirement(person.sex, YearMonth{b.year, b.month}, original);
  f.retirement_date = s.retirement_date;
  f.minimum_months = s.minimum_contribution_months;
  // Whole years from as_of to the retirement date, floored (negative after it).
  f.years_to_retirement = age_on(as_of, f.retirement_date);
  if (f.retirement_date > as_of) {
    const YearMonthDay a = as_of.ymd(), r = f.retirement_date.ymd();
    f.contributable_months =
        (r.year * 12 + r.month) - (a.year * 12 + a.month) - (r.day < a.day ? 1 : 0);
  }
  return f;
}

Recommendation evaluate(const RowIndex& index, const Person& person, Date as_of) {
  const std::vector<DecisionTable>& tables = index.rules->tables;
  Recommendation out;
  out.facts = derive(*index.rules, person, as_of);
  int bit = 0;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    const DecisionTable& table = tables[t];
    const bool guard = table.when.matches(person, out.facts);
    bool any = false;
    for (std::size_t r = 0; r < table.rows.size(); ++r, ++bit) {
      if (any && table.hit == HitPolicy::first) continue;
      if (!guard || !table.rows[r].when.matches(person, out.facts)) continue;
      any = true;
      out.trace.push_back(FiredRow{static_cast<int>(t), static_cast<int>(r), bit, &table.rows[r]});
    }
    if (table.otherwise) {
      if (!any && guard && table.otherwise->when.matches(person, out.facts)) {
        out.trace.push_back(FiredRow{static_cast<int>(t), -1, bit, &*table.otherwise});
      }
      ++bit;
    }
  }
  for (const FiredRow& f : out.trace) {
    const Outcome& o = f.rule->then;
    if (o.scheme) out.scheme = *o.scheme;  // one table decides the scheme (checked at load)
    out.actions |= o.actions;
    out.groups |= o.groups;
    out.fired_rows |= std::uint64_t{1} << f.bit;
  }
  return out;
}

}  // namespace detail

namespace {

const RecommendationRules& rules_of(const Policy& policy) {
  if (!policy.recommendation) {
    throw ArgumentError("policy", "the policy has no recommendation section");
  }
  return *policy.recommendation;
}

}  // namespace

struct CANBAO_LOCAL Recommender::Impl {
  explicit Impl(PolicyPtr p) : policy(std::move(p)), index(rules_of(*policy)) {}

  PolicyPtr policy;  // keeps the rules `index` points into alive
  detail::RowIndex index;
  // A cache, not state: prepared() gives the same answers with or without it.
  mutable std::mutex prepared_mutex;
  mutable std::vector<std::shared_ptr<const PreparedRecommendation>> prepared;
};

Recommender::Recommender(PolicyPtr policy) {
  if (!policy) throw ArgumentError("policy", "must not be null");
  impl_ = std::make_shared<const Impl>(std::move(policy));
}

const Policy& Recommender::policy() const { return *impl_->policy; }
const RecommendationRules& Recommender::rules() const { return *impl_->index.rules; }
int Recommender::row_count() const { return impl_->index.row_count(); }
const DecisionRow& Recommender::row(int bit) const { return impl_->index.row(bit); }
int Recommender::row_table(int bit) const { return impl_->index.rows[bit].table; }
int Recommender::row_index(int bit) const { return impl_->index.rows[bit].row; }
bool Recommender::uses_retirement() const { return impl_->index.uses_retirement; }

DerivedFacts Recommender::derive(const Person& person, Date as_of) const {
  return detail::derive(rules(), person, as_of);
}

Recommendation Recommender::recommend(const Person& person, Date as_of) const {
  return detail::evaluate(impl_->index, person, as_of);
}

std::shared_ptr<const PreparedRecommendation> Recommender::prepared(Date as_of) const {
  // The same range as the one-person path (derive): say so before any date arithmetic.
  if (!is_supported_date(as_of)) throw ArgumentError("as_of", unsupported_date_message(as_of));
  // Four dates: enough for an analyst comparing a few as-of dates in turn.
  constexpr std::size_t kKept = 4;
  const Impl& m = *impl_;
  auto find = [&]() -> std::shared_ptr<const PreparedRecommendation> {
    for (const auto& p : m.prepared)
      if (p->as_of() == as_of) return p;
    return nullptr;
  };
  {
    const std::lock_guard<std::mutex> lock(m.prepared_mutex);
    if (auto hit = find()) return hit;
  }
  // Prepared outside the lock: other dates stay available meanwhile.
  auto made = std::make_shared<const PreparedRecommendation>(*this, as_of);
  const std::lock_guard<std::mutex> lock(m.prepared_mutex);
  if (auto hit = find()) return hit;  // another thread prepared it first
  if (m.prepared.size() == kKept) m.prepared.erase(m.prepared.begin());
  m.prepared.push_back(made);
  return made;
}

void Recommender::recommend_batch(Date as_of, const PersonColumns& in,
                                  const RecommendationColumns& out) const {
  prepared(as_of)->run(in, out);
}

Recommendation recommend(const Policy& policy, const Person& person, Date as_of) {
  const detail::RowIndex index(rules_of(policy));
  return detail::evaluate(index, person, as_of);
}

void recommend_batch(const Policy& policy, Date as_of, const PersonColumns& in,
                     const RecommendationColumns& out) {
  const RecommendationRules& rules = rules_of(policy);
  if (!is_supported_date(as_of)) throw ArgumentError("as_of", unsupported_date_message(as_of));
  PreparedRecommendation(rules, as_of).run(in, out);
}

}  // namespace canbao
