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
  if (const auto& by = r.female_original_age_by_fact) {
    if (by->fact < 0 || static_cast<std::size_t>(by->fact) >= r.facts.size() ||
        r.facts.facts[by->fact].type != FactType::enumeration ||
        by->age.size() != r.facts.facts[by->fact].values.size()) {
      throw ArgumentError("female_original_age_by_fact",
                          "must name an enumeration fact and give an age for each of its values");
    }
    for (const int age : by->age) {
      if (age != 50 && age != 55)
        throw ArgumentError("female_original_age_by_fact", "ages must be 50 or 55");
    }
  }
  if (const auto& prior = r.prior_contribution_years_fact) {
    if (*prior < 0 || static_cast<std::size_t>(*prior) >= r.facts.size() ||
        r.facts.facts[*prior].type != FactType::integer || r.facts.facts[*prior].min < 0 ||
        r.facts.facts[*prior].max > RecommendationRules::kMaxPriorContributionYears) {
      throw ArgumentError("prior_contribution_years_fact",
                          "must name an integer fact with values from 0 to at most " +
                              std::to_string(RecommendationRules::kMaxPriorContributionYears));
    }
  }
  for (std::size_t t = 0; t < r.tables.size(); ++t) {
    const DecisionTable& table = r.tables[t];
    for (std::size_t k = 0; k < table.rows.size(); ++k)
      rows.push_back(RowRef{static_cast<int>(t), static_cast<int>(k), &table.rows[k]});
    if (table.otherwise) rows.push_back(RowRef{static_cast<int>(t), -1, &*table.otherwise});
  }
  for_each_condition(r, [&](const PersonCondition& c) {
    if (detail::uses_retirement(c)) uses_retirement = true;
    for (const FactTest& test : c.facts) {
      if (test.fact < 0 || static_cast<std::size_t>(test.fact) >= r.facts.size() ||
          r.facts.facts[test.fact].type != test.type) {
        throw ArgumentError("tables", "a condition tests fact " + std::to_string(test.fact) +
                                          ", which the rules do not declare with that type");
      }
    }
  });
}

std::vector<FactValue> declared_values(const RecommendationRules& rules, const Person& person) {
  const FactDeclarations& decl = rules.facts;
  for (const auto& given : person.facts) {
    if (decl.index_of(given.first) < 0) {
      throw InputError("facts." + given.first, decl.empty()
                                                   ? "the policy declares no facts"
                                                   : "the policy declares no fact with this id");
    }
  }
  std::vector<FactValue> out(decl.size());
  for (std::size_t i = 0; i < decl.size(); ++i) {
    const FactDeclaration& f = decl.facts[i];
    const auto it = person.facts.find(f.id);
    if (it == person.facts.end()) {
      if (!f.default_value) throw InputError("facts." + f.id, "missing (the fact has no default)");
      out[i] = *f.default_value;
    } else if (!f.valid(it->second)) {
      throw InputError("facts." + f.id, std::to_string(it->second) + " is not a valid " +
                                            fact_type_name(f.type) + " value (expected " +
                                            f.expected() + ")");
    } else {
      out[i] = it->second;
    }
  }
  return out;
}

int female_original_age(const RecommendationRules& rules, const std::vector<FactValue>& declared) {
  const auto& by = rules.female_original_age_by_fact;
  if (!by) return rules.female_original_retirement_age;
  return by->age[static_cast<std::size_t>(declared[static_cast<std::size_t>(by->fact)])];
}

int prior_contribution_months(const RecommendationRules& rules,
                              const std::vector<FactValue>& declared) {
  if (!rules.prior_contribution_years_fact) return 0;
  return 12 * declared[static_cast<std::size_t>(*rules.prior_contribution_years_fact)];
}

DerivedFacts derive(const RecommendationRules& rules, const Person& person, Date as_of) {
  const bool by_facts = rules.female_original_age_by_fact || rules.prior_contribution_years_fact;
  const std::vector<FactValue> declared =
      by_facts ? declared_values(rules, person) : std::vector<FactValue>{};
  return derive(person, as_of, female_original_age(rules, declared),
                prior_contribution_months(rules, declared));
}

DerivedFacts derive(const Person& person, Date as_of, int female_original_age,
                    int prior_contribution_months) {
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
  f.prior_contribution_months = prior_contribution_months;
  f.age = age_on(person.birth_date, as_of);
  const YearMonthDay b = person.birth_date.ymd();
  const int original = person.sex == Sex::male ? 60 : female_original_age;
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

namespace {
// The built-in fields hold values of the policy's lists (built-in plus the
// values it adds): the batch kernels refuse any other code, so this path does too.
void check_builtin(const BuiltinValues& builtin, const Person& person) {
  auto check = [&](BuiltinList l, unsigned code, const char* field) {
    if (code >= static_cast<unsigned>(builtin.count(l))) {
      throw InputError(field, std::to_string(code) + " is not a value of this policy's " + field +
                                  " list (expected 0.." + std::to_string(builtin.count(l) - 1) +
                                  ": " + builtin.names(l) + ")");
    }
  };
  check(BuiltinList::insurance_status, static_cast<unsigned>(person.insurance_status),
        "insurance_status");
  check(BuiltinList::employment, static_cast<unsigned>(person.employment), "employment");
  const int flags = builtin.count(BuiltinList::flags);
  if (flags < 8 && (person.flags >> flags) != 0) {
    throw InputError("flags", "unknown flag bits in " + std::to_string(person.flags) +
                                  " (this policy's flags: bits 0.." + std::to_string(flags - 1) +
                                  ", " + builtin.names(BuiltinList::flags) + ")");
  }
}
}  // namespace

Recommendation evaluate(const RowIndex& index, const Person& person, Date as_of) {
  const std::vector<DecisionTable>& tables = index.rules->tables;
  check_builtin(index.rules->facts.builtin, person);
  Recommendation out;
  const std::vector<FactValue> declared = declared_values(*index.rules, person);
  out.facts = derive(person, as_of, female_original_age(*index.rules, declared),
                     prior_contribution_months(*index.rules, declared));
  int bit = 0;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    const DecisionTable& table = tables[t];
    const bool guard = table.when.matches(person, out.facts, declared);
    bool any = false;
    for (std::size_t r = 0; r < table.rows.size(); ++r, ++bit) {
      if (any && table.hit == HitPolicy::first) continue;
      if (!guard || !table.rows[r].when.matches(person, out.facts, declared)) continue;
      any = true;
      out.trace.push_back(FiredRow{static_cast<int>(t), static_cast<int>(r), bit, &table.rows[r]});
    }
    if (table.otherwise) {
      if (!any && guard && table.otherwise->when.matches(person, out.facts, declared)) {
        out.trace.push_back(FiredRow{static_cast<int>(t), -1, bit, &*table.otherwise});
      }
      ++bit;
    }
  }
  out.fired_rows.assign(static_cast<std::size_t>(index.rules->fired_row_words()), 0);
  for (const FiredRow& f : out.trace) {
    const Outcome& o = f.rule->then;
    if (o.scheme) out.scheme = *o.scheme;  // one table decides the scheme (checked at load)
    out.actions |= o.actions;
    out.groups |= o.groups;
    out.fired_rows[static_cast<std::size_t>(f.bit / 64)] |= std::uint64_t{1} << (f.bit % 64);
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
int Recommender::fired_row_words() const { return impl_->index.rules->fired_row_words(); }
const FactDeclarations& Recommender::facts() const { return impl_->index.rules->facts; }
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

const PreparedRecommendation& Recommender::prepared_on_this_thread(Date as_of) const {
  // The weak owner keeps the Impl's control block (one allocation with it,
  // make_shared) from being reused, so another Recommender made later at the
  // same address never matches a stale entry.
  struct Last {
    std::weak_ptr<const Impl> owner;
    std::int32_t day = 0;
    std::shared_ptr<const PreparedRecommendation> tables;
  };
  thread_local Last last;
  const bool same_owner = !last.owner.owner_before(impl_) && !impl_.owner_before(last.owner);
  if (!last.tables || !same_owner || last.day != as_of.day_number()) {
    last.tables = prepared(as_of);
    last.owner = impl_;
    last.day = as_of.day_number();
  }
  return *last.tables;
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
