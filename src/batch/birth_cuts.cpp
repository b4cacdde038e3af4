// The birth-day cut-offs of an as-of date, shared by the fixed-field tables
// (prepare.cpp) and the generic ones (generic_prepare.cpp).
#include <algorithm>
#include <limits>

#include <canbao/retirement.hpp>

#include "../detail/condition.hpp"
#include "generic.hpp"

namespace canbao::detail {

std::vector<std::int32_t> birth_cuts(const RowIndex& index, Date as_of,
                                     const std::vector<BirthVariant>& variants) {
  const RecommendationRules& rules = *index.rules;
  // Births from 1900-01-01 (the retirement schedule's first year) to as_of,
  // at most 2200-12-31 (its last); age n is reached by everyone born on or
  // before years_before(as_of, n).
  const Date first_birth = *Date::from_ymd(1900, 1, 1);
  const Date last_birth = std::min(as_of, *Date::from_ymd(2200, 12, 31));
  if (last_birth < first_birth) return {};
  const std::int32_t last_day = last_birth.day_number();
  std::vector<std::int32_t> cuts = {first_birth.day_number() - 1, last_day};
  auto age_cut = [&](int years) {
    if (years >= 0 && as_of.year() - years >= 1900) {
      const std::int32_t c = years_before(as_of, years).day_number();
      if (c < last_day) cuts.push_back(c);
    }
  };
  for_each_condition(rules, [&](const PersonCondition& c) {
    if (!c.age) return;
    if (c.age->min != std::numeric_limits<std::int32_t>::min()) age_cut(c.age->min);
    if (c.age->max != std::numeric_limits<std::int32_t>::max()) age_cut(c.age->max + 1);
  });
  if (index.uses_retirement) {
    // Retirement facts depend on the birth month only: cut wherever any
    // retirement condition changes value from one birth month to the next.
    std::vector<const PersonCondition*> conds;
    for_each_condition(rules, [&](const PersonCondition& c) {
      if (uses_retirement(c)) conds.push_back(&c);
    });
    // Variants that differ only in the months already paid share one
    // derive a month (the retirement schedule is the costly part).
    // Signatures: one bit per condition, in words; a variant's previous
    // month's at prev[vi * words], compared in place.
    const std::size_t words = (conds.size() + 63) / 64;
    std::vector<std::uint64_t> sig(words), prev(variants.size() * words);
    bool first_month = true;
    Person p;
    DerivedFacts f;
    for (Date month = first_birth; month <= last_birth;) {
      p.birth_date = month;
      for (std::size_t vi = 0; vi < variants.size(); ++vi) {
        const BirthVariant& v = variants[vi];
        if (vi == 0 || v.sex != variants[vi - 1].sex ||
            v.female_original_age != variants[vi - 1].female_original_age) {
          p.sex = v.sex;
          f = derive(p, as_of, v.female_original_age);
        }
        f.prior_contribution_months = v.prior_contribution_months;
        std::fill(sig.begin(), sig.end(), 0);
        for (std::size_t k = 0; k < conds.size(); ++k)
          sig[k / 64] |= std::uint64_t{retirement_part(*conds[k], f)} << (k % 64);
        std::uint64_t* before = &prev[vi * words];
        if (!first_month && !std::equal(sig.begin(), sig.end(), before))
          cuts.push_back(month.day_number() - 1);
        std::copy(sig.begin(), sig.end(), before);
      }
      first_month = false;
      const YearMonthDay ym = month.ymd();
      month = *Date::from_ymd(ym.month == 12 ? ym.year + 1 : ym.year,
                              ym.month == 12 ? 1 : ym.month + 1, 1);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

}  // namespace canbao::detail
