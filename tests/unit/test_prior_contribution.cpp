// Derived facts over a declared one (docs/facts.md#years-already-paid): the
// months still needed for the minimum and whether they fit before
// retirement, counting the years a person has already paid. Worked by hand
// from the 2025 retirement reform and its minimum years (国务院关于渐进式延迟
// 法定退休年龄的办法: 15 years, +6 months a year from 2030 to 20 in 2039), then
// every batch kernel against the one-person answers.
#include <canbao/batch.hpp>
#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <random>
#include <string>

#include "detail/batch_hooks.hpp"
#include "policy_with.hpp"

namespace {

using namespace canbao;
using nlohmann::json;

Date day(int y, int m, int d) { return *Date::from_ymd(y, m, d); }

const json kFacts = json::parse(R"J([
  {"id": "prior_contribution_years", "name": "已累计缴费年限", "type": "integer", "min": 0, "max": 60, "default": 0}
])J");

// Employee scheme when the minimum still fits before retirement, counting
// the years already paid; group g1 for those 16 or more years short, g2 for
// those who need nothing more.
const json kRules = json::parse(R"J({
  "retirement": {"female_original_age": 55, "prior_contribution_years": {"by_fact": "prior_contribution_years"}},
  "tables": [
    {"id": "scheme", "hit": "first",
     "rows": [{"when": {"reaches_minimum_by_retirement": true}, "then": {"scheme": "employee"},
               "reason": {"zh": "退休前可缴满最低年限", "en": "the minimum fits before retirement"}}],
     "otherwise": {"then": {"scheme": "resident"},
                   "reason": {"zh": "退休前缴不满最低年限", "en": "the minimum does not fit"}}},
    {"id": "short", "hit": "collect",
     "rows": [{"when": {"contribution_years_still_needed": {"ge": 16}}, "then": {"groups": ["g1"]},
               "reason": {"zh": "尚需16年以上", "en": "16 or more years still needed"}},
              {"when": {"contribution_years_still_needed": {"le": 0}}, "then": {"groups": ["g2"]},
               "reason": {"zh": "已缴满最低年限", "en": "the minimum is already paid"}}]}
  ]
})J");

using canbao_test::load_error;
using canbao_test::policy_with;

Person born(Sex sex, Date birth, int prior_years) {
  Person p;
  p.sex = sex;
  p.birth_date = birth;
  p.facts["prior_contribution_years"] = prior_years;
  return p;
}

TEST(PriorContribution, WorkedByHand) {
  const Recommender r(policy_with(kFacts, kRules));
  const Date as_of = day(2024, 6, 30);
  // A man born 1970-03-10: 62 months after 1965-01, so the reform adds
  // 62 / 4 + 1 = 16 months to 60: he retires at 61 years 4 months, in
  // 2031-07 (the retirement date is 2031-08-01). Retiring in 2031 he needs
  // 15 years + 2 x 6 months = 192 months. From 2024-06-30 to 2031-08-01 he
  // can pay 85 whole months.
  const Person man = born(Sex::male, day(1970, 3, 10), 0);
  const Recommendation none_paid = r.recommend(man, as_of);
  EXPECT_EQ(none_paid.facts.retirement_date, day(2031, 8, 1));
  EXPECT_EQ(none_paid.facts.minimum_months, 192);
  EXPECT_EQ(none_paid.facts.contributable_months, 85);
  EXPECT_EQ(none_paid.facts.months_still_needed(), 192);
  EXPECT_EQ(none_paid.facts.years_still_needed(), 16);
  EXPECT_EQ(none_paid.scheme, Scheme::resident);
  EXPECT_TRUE(none_paid.in_group(1));
  // 8 years paid: 192 - 96 = 96 months still needed, more than 85 (8 years).
  const Recommendation eight = r.recommend(born(Sex::male, day(1970, 3, 10), 8), as_of);
  EXPECT_EQ(eight.facts.months_still_needed(), 96);
  EXPECT_EQ(eight.facts.years_still_needed(), 8);
  EXPECT_FALSE(eight.facts.reaches_minimum_by_retirement());
  EXPECT_EQ(eight.scheme, Scheme::resident);
  EXPECT_EQ(eight.groups, 0);
  // 9 years: 84 months still needed, and 85 fit: employee (7 years, rounded up).
  const Recommendation nine = r.recommend(born(Sex::male, day(1970, 3, 10), 9), as_of);
  EXPECT_EQ(nine.facts.months_still_needed(), 84);
  EXPECT_EQ(nine.facts.years_still_needed(), 7);
  EXPECT_EQ(nine.scheme, Scheme::employee);
  // 16 years: nothing more needed (g2).
  const Recommendation paid = r.recommend(born(Sex::male, day(1970, 3, 10), 16), as_of);
  EXPECT_EQ(paid.facts.months_still_needed(), 0);
  EXPECT_EQ(paid.scheme, Scheme::employee);
  EXPECT_TRUE(paid.in_group(2));

  // A woman born 1985-06-01 (original age 55): 185 months after 1970-01,
  // 185 / 4 + 1 = 47 months, capped at 36: 58, so 2043-06 (date 2043-07-01),
  // and 2043 needs 20 years = 240 months. She can pay 228 whole months:
  // none paid falls 12 short; one year paid fits exactly.
  const Recommendation woman0 = r.recommend(born(Sex::female, day(1985, 6, 1), 0), as_of);
  EXPECT_EQ(woman0.facts.retirement_date, day(2043, 7, 1));
  EXPECT_EQ(woman0.facts.minimum_months, 240);
  EXPECT_EQ(woman0.facts.contributable_months, 228);
  EXPECT_EQ(woman0.scheme, Scheme::resident);
  EXPECT_TRUE(woman0.in_group(1));  // 20 years still needed
  const Recommendation woman1 = r.recommend(born(Sex::female, day(1985, 6, 1), 1), as_of);
  EXPECT_EQ(woman1.facts.months_still_needed(), 228);
  EXPECT_EQ(woman1.scheme, Scheme::employee);
  EXPECT_TRUE(woman1.in_group(1));  // 19 years still needed
}

TEST(PriorContribution, WithoutTheFactNothingCountsAsPaid) {
  json rules = kRules;
  rules["retirement"].erase("prior_contribution_years");
  const Recommender r(policy_with(kFacts, rules));
  Person man = born(Sex::male, day(1970, 3, 10), 16);
  const Recommendation rec = r.recommend(man, day(2024, 6, 30));
  EXPECT_EQ(rec.facts.prior_contribution_months, 0);
  EXPECT_EQ(rec.facts.months_still_needed(), 192);
  EXPECT_EQ(rec.scheme, Scheme::resident);
}

TEST(PriorContribution, StrictReadingNamesTheJsonPath) {
  json rules = kRules;
  rules["retirement"]["prior_contribution_years"]["by_fact"] = "nope";
  EXPECT_NE(load_error(kFacts, rules)
                .find("recommendation.retirement.prior_contribution_years.by_fact: "
                      "\"nope\" is not a declared integer fact"),
            std::string::npos)
      << load_error(kFacts, rules);
  json facts = kFacts;
  facts[0]["min"] = -1;
  facts[0]["default"] = 0;
  EXPECT_NE(load_error(facts, kRules)
                .find("runs from -1 to 60: years already paid run from 0 to at most 100"),
            std::string::npos)
      << load_error(facts, kRules);
  rules = kRules;
  rules["retirement"]["prior_contribution_years"]["extra"] = 1;
  EXPECT_NE(load_error(kFacts, rules)
                .find("recommendation.retirement.prior_contribution_years.extra: unknown key"),
            std::string::npos)
      << load_error(kFacts, rules);
  rules = kRules;
  rules["tables"][1]["rows"][0]["when"]["contribution_years_still_needed"] = {{"ge", 31}};
  EXPECT_NE(
      load_error(kFacts, rules).find("tables[1].rows[0].when.contribution_years_still_needed"),
      std::string::npos)
      << load_error(kFacts, rules);
  rules = kRules;
  rules["tables"][0]["rows"][0]["when"]["reaches_minimum_by_retirement"] = "yes";
  EXPECT_NE(
      load_error(kFacts, rules).find("when.reaches_minimum_by_retirement: expected true or false"),
      std::string::npos)
      << load_error(kFacts, rules);
  // A declared fact may not take a derived condition's key.
  facts = kFacts;
  facts[0]["id"] = "reaches_minimum_by_retirement";
  EXPECT_NE(
      load_error(facts,
                 json::parse(R"({"tables": [{"id": "t", "rows": [{"then": {"scheme": "resident"},
            "reason": {"zh": "x", "en": "x"}}]}]})"))
          .find("is a built-in fact"),
      std::string::npos);
}

TEST(PriorContribution, CanonicalJsonReadsBack) {
  const PolicyPtr a = policy_with(kFacts, kRules);
  const std::string text = to_json(*a, -1);
  EXPECT_EQ(to_json(*load_policy(text, "again"), -1), text);
  EXPECT_NE(text.find("\"prior_contribution_years\":{\"by_fact\":\"prior_contribution_years\"}"),
            std::string::npos);
}

// Every kernel, with the fact's column and without it (everyone at the
// default, 0 years), against the one-person answers.
TEST(PriorContribution, BatchKernelsGiveTheOnePersonAnswers) {
  const Recommender r(policy_with(kFacts, kRules));
  std::mt19937 rng(29);
  for (const Date as_of : {day(2024, 6, 30), day(2031, 2, 28), day(2045, 12, 31)}) {
    PersonColumnStore c(r.facts());
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int i = 0; i < 5000; ++i) {
      Person p = born(pick(0, 1) ? Sex::female : Sex::male,
                      Date::from_day_number(pick(day(1940, 1, 1).day_number(), as_of.day_number())),
                      pick(0, 60));
      c.push_back(p);
    }
    for (const bool with_column : {true, false}) {
      PersonColumns in = c.view();
      if (!with_column) in.fact_count = 0, in.facts = nullptr;
      for (const auto kernel : {detail::BatchKernel::automatic, detail::BatchKernel::portable,
                                detail::BatchKernel::per_person}) {
        detail::set_batch_kernel(kernel);
        std::vector<std::uint8_t> scheme(c.sex.size()), actions(c.sex.size()), groups(c.sex.size());
        r.recommend_batch(
            as_of, in,
            RecommendationColumns{scheme.data(), actions.data(), groups.data(), nullptr});
        detail::set_batch_kernel(detail::BatchKernel::automatic);
        for (std::size_t i = 0; i < c.sex.size(); ++i) {
          Person p = c.person(i);
          if (!with_column) p.facts.clear();
          const Recommendation want = r.recommend(p, as_of);
          ASSERT_EQ(scheme[i], static_cast<std::uint8_t>(want.scheme))
              << as_of.iso() << " person " << i;
          ASSERT_EQ(groups[i], want.groups) << as_of.iso() << " person " << i;
        }
      }
    }
  }
}

// A roster without the fact's column: everyone has the default's years
// (here 9), in the fixed-field tables as in the one-person path.
TEST(PriorContribution, RostersWithoutTheColumnTakeTheDefault) {
  json facts = kFacts;
  facts[0]["default"] = 9;
  const Recommender r(policy_with(facts, kRules));
  const Date as_of = day(2024, 6, 30);
  PersonColumnStore c(r.facts());
  // Born 1969-09-10: 56 months after 1965-01, 56 / 4 + 1 = 15 months: 61y3m,
  // 2030-12 (2031-01-01); minimum 186, 186 - 108 = 78 still needed, and
  // exactly 78 months fit. Born 1969-06-10: 53 / 4 + 1 = 14 months: 2030-08
  // (2030-09-01), also 78 still needed but only 74 fit.
  c.push_back(born(Sex::male, day(1969, 9, 10), 9));
  c.push_back(born(Sex::male, day(1969, 6, 10), 9));
  PersonColumns in = c.view();
  in.fact_count = 0, in.facts = nullptr;
  std::vector<std::uint8_t> scheme(2), actions(2), groups(2);
  r.recommend_batch(as_of, in,
                    RecommendationColumns{scheme.data(), actions.data(), groups.data(), nullptr});
  Person defaulted;  // no facts: the default's 9 years
  defaulted.birth_date = day(1969, 9, 10);
  const Recommendation exact = r.recommend(defaulted, as_of);
  EXPECT_EQ(exact.facts.prior_contribution_months, 108);
  EXPECT_EQ(exact.facts.months_still_needed(), 78);
  EXPECT_EQ(exact.facts.contributable_months, 78);
  EXPECT_EQ(scheme[0], static_cast<std::uint8_t>(Scheme::employee));
  defaulted.birth_date = day(1969, 6, 10);
  EXPECT_EQ(r.recommend(defaulted, as_of).facts.contributable_months, 74);
  EXPECT_EQ(scheme[1], static_cast<std::uint8_t>(Scheme::resident));
}

}  // namespace
