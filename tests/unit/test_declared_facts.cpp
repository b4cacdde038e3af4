// Declared person facts (facts.hpp, docs/policy-format.md#facts): 004's facts
// the built-in person model lacks, worked by hand; strict reading; the batch
// kernels (table and row masks) against the one-person evaluation; and
// policies of more than 64 rows, whose fired rows take several words.
#include <canbao/batch.hpp>
#include <canbao/error.hpp>
#include <canbao/facts.hpp>
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

using canbao_test::load_error;
using canbao_test::policy_with;

// 004 二(二), 二(七), 三(二)2 and the 干部/工人 retirement ages.
const json kFacts = json::parse(R"J([
  {"id": "prior_contribution_years", "name": "已缴费年限", "type": "integer", "min": 0, "max": 60,
   "default": 0},
  {"id": "suspended_scheme", "name": "暂停缴费的险种", "type": "enumeration",
   "values": [{"id": "none", "name": "无"}, {"id": "employee", "name": "企业职工"},
              {"id": "resident", "name": "城乡居民"}, {"id": "public_sector", "name": "机关事业"}],
   "default": "none"},
  {"id": "retirement_category", "name": "退休身份", "type": "enumeration",
   "values": [{"id": "worker", "name": "工人"}, {"id": "cadre", "name": "干部"}], "default": "cadre"},
  {"id": "support_groups", "name": "参保补贴对象", "type": "flags",
   "values": [{"id": "graduate", "name": "高校毕业生"}, {"id": "employment_difficulty", "name": "就业困难人员"},
              {"id": "retired_fisher", "name": "退捕渔民"}, {"id": "industry_leader", "name": "产业带头人"},
              {"id": "migrant_worker", "name": "农村劳动力转移人员"}],
   "default": []},
  {"id": "expropriated_on", "name": "征地日期", "type": "date", "min": "1990-01-01", "max": "2030-12-31",
   "default": "1990-01-01"},
  {"id": "veteran", "name": "退役军人", "type": "boolean", "default": false}
])J");

const json kRules = json::parse(R"J({
  "retirement": {"female_original_age": {"by_fact": "retirement_category",
                                         "ages": {"worker": 50, "cadre": 55}}},
  "tables": [
    {"id": "scheme", "hit": "first", "rows": [
      {"when": {"suspended_scheme": ["public_sector"]}, "then": {"scheme": "none"},
       "reason": {"zh": "机关事业单位养老保险暂停缴费", "en": "suspended in the public-sector scheme"}},
      {"when": {"years_to_retirement": {"lt": 0}}, "then": {"scheme": "none"},
       "reason": {"zh": "已到退休年龄", "en": "past retirement age"}},
      {"when": {"prior_contribution_years": {"ge": 15}}, "then": {"scheme": "employee"},
       "reason": {"zh": "已缴满15年", "en": "15 years already paid"}},
      {"when": {"expropriated_on": {"ge": "2023-01-01"}}, "then": {"scheme": "resident"},
       "reason": {"zh": "新征地人员", "en": "newly land-expropriated"}}
    ], "otherwise": {"then": {"scheme": "employee"}, "reason": {"zh": "其他", "en": "other"}}},
    {"id": "groups", "hit": "collect", "rows": [
      {"when": {"support_groups": {"any": ["industry_leader", "migrant_worker"]}},
       "then": {"groups": ["g2"]}, "reason": {"zh": "二(二)", "en": "g2"}},
      {"when": {"suspended_scheme": ["employee", "resident"], "hukou_local": true},
       "then": {"groups": ["g7"], "actions": ["transfer_in"]}, "reason": {"zh": "二(七)", "en": "g7"}},
      {"when": {"veteran": true}, "then": {"actions": ["resume_payment"]},
       "reason": {"zh": "退役军人", "en": "veteran"}}
    ]}
  ]
})J");

Person woman_born(Date birth) {
  Person p;
  p.sex = Sex::female;
  p.birth_date = birth;
  p.hukou_local = true;
  return p;
}

TEST(DeclaredFacts, ValuesParseAndPrintInOneTextForm) {
  const PolicyPtr policy = policy_with(kFacts, kRules);
  const FactDeclarations& f = policy->recommendation->facts;
  ASSERT_EQ(f.size(), 6u);
  const FactDeclaration& groups = f.facts[3];
  EXPECT_EQ(groups.parse("industry_leader;graduate"), 0b1001);
  EXPECT_EQ(groups.text(0b1001), "graduate;industry_leader");
  EXPECT_EQ(groups.parse(""), 0);
  std::string why;
  EXPECT_FALSE(groups.parse("fisher", &why));
  EXPECT_NE(why.find("unknown flag \"fisher\""), std::string::npos) << why;
  EXPECT_FALSE(f.facts[0].parse("61", &why));  // over the declared max
  EXPECT_EQ(f.facts[0].parse("15"), 15);
  EXPECT_EQ(f.facts[1].parse("public_sector"), 3);
  EXPECT_EQ(f.facts[4].parse("2023-03-01"), day(2023, 3, 1).day_number());
  EXPECT_FALSE(f.facts[4].parse("1989-12-31"));  // before the declared min
  EXPECT_EQ(f.facts[5].parse("是"), 1);
  EXPECT_EQ(*f.facts[2].default_value, 1);  // cadre
}

TEST(DeclaredFacts, SeedRulesWorkedByHand) {
  const Recommender r(policy_with(kFacts, kRules));
  const Date as_of = day(2023, 6, 30);
  // A woman born 1970-03-15. As a 工人 (original age 50) she retired in
  // 2020-03, before the 2025 reform: past retirement (the retirement date is
  // the first day of the next month, 2020-04-01). As a 干部 (55) she would
  // retire in 2025-03, which the reform delays one month for every four
  // months of birth from 1970-01: 2025-04, so 2025-05-01, one whole year away.
  Person p = woman_born(day(1970, 3, 15));
  p.facts["retirement_category"] = 0;  // worker
  Recommendation worker = r.recommend(p, as_of);
  EXPECT_EQ(worker.scheme, Scheme::none);
  EXPECT_EQ(worker.facts.retirement_date, day(2020, 4, 1));
  EXPECT_EQ(worker.reason_en(), "past retirement age");
  p.facts.erase("retirement_category");  // the default: cadre
  const Recommendation cadre = r.recommend(p, as_of);
  EXPECT_EQ(cadre.facts.retirement_date, day(2025, 5, 1));
  EXPECT_EQ(cadre.facts.years_to_retirement, 1);
  EXPECT_EQ(cadre.scheme, Scheme::employee);  // otherwise: 0 prior years, no new expropriation
  // 15 prior years (004's minimum): employee; 14 and expropriated in 2023: resident.
  p.facts["prior_contribution_years"] = 15;
  EXPECT_EQ(r.recommend(p, as_of).reason_en(), "15 years already paid");
  p.facts["prior_contribution_years"] = 14;
  p.facts["expropriated_on"] = day(2023, 1, 1).day_number();
  EXPECT_EQ(r.recommend(p, as_of).scheme, Scheme::resident);
  p.facts["expropriated_on"] = day(2022, 12, 31).day_number();
  EXPECT_EQ(r.recommend(p, as_of).scheme, Scheme::employee);
  // Suspended in the public-sector scheme: first row, whatever else holds.
  p.facts["suspended_scheme"] = 3;
  EXPECT_EQ(r.recommend(p, as_of).scheme, Scheme::none);
  // g2 by 产业带头人, g7 + transfer for a local suspended in the employee
  // scheme, resume for a veteran: the collect table fires all three.
  p.facts["suspended_scheme"] = 1;
  p.facts["support_groups"] = 1 << 3;
  p.facts["veteran"] = 1;
  const Recommendation all = r.recommend(p, as_of);
  EXPECT_TRUE(all.in_group(2));
  EXPECT_TRUE(all.in_group(7));
  EXPECT_TRUE(all.has(Action::transfer_in));
  EXPECT_TRUE(all.has(Action::resume_payment));
  EXPECT_EQ(all.trace.size(), 4u);
}

TEST(DeclaredFacts, PersonsWithMissingUnknownOrBadFactsAreErrors) {
  json facts = kFacts;
  facts[0].erase("default");
  const Recommender r(policy_with(facts, kRules));
  Person p = woman_born(day(1980, 1, 1));
  auto error_of = [&](const Person& q) -> std::string {
    try {
      r.recommend(q, day(2023, 6, 30));
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_NE(error_of(p).find("facts.prior_contribution_years"), std::string::npos) << error_of(p);
  p.facts["prior_contribution_years"] = 3;
  p.facts["veterans"] = 1;
  EXPECT_NE(error_of(p).find("facts.veterans"), std::string::npos) << error_of(p);
  p.facts.erase("veterans");
  p.facts["suspended_scheme"] = 4;  // four values: 0..3
  EXPECT_NE(error_of(p).find("facts.suspended_scheme"), std::string::npos) << error_of(p);
}

TEST(DeclaredFacts, StrictReadingNamesTheJsonPath) {
  json rules = kRules;
  rules["tables"][0]["rows"][0]["when"]["suspended_scheme"] = json::array({"public"});
  EXPECT_NE(load_error(kFacts, rules)
                .find("recommendation.tables[0].rows[0].when.suspended_scheme[0]: "
                      "unknown value \"public\""),
            std::string::npos)
      << load_error(kFacts, rules);
  rules = kRules;
  rules["tables"][0]["rows"][0]["when"]["veterans"] = true;
  EXPECT_NE(
      load_error(kFacts, rules).find("recommendation.tables[0].rows[0].when.veterans: unknown key"),
      std::string::npos)
      << load_error(kFacts, rules);
  json facts = kFacts;
  facts[5]["id"] = "age";
  EXPECT_NE(load_error(facts, kRules).find("facts[5].id: \"age\" is a built-in fact"),
            std::string::npos)
      << load_error(facts, kRules);
  facts = kFacts;
  facts[0]["type"] = "number";
  EXPECT_NE(load_error(facts, kRules).find("facts[0].type: expected \"boolean\""),
            std::string::npos);
  facts = kFacts;
  facts[3]["default"] = json::array({"graduate", "graduate"});
  EXPECT_NE(load_error(facts, kRules).find("facts[3].default: flag \"graduate\" is listed twice"),
            std::string::npos)
      << load_error(facts, kRules);
  facts = kFacts;
  facts[0]["colour"] = "red";
  EXPECT_NE(load_error(facts, kRules).find("facts[0].colour: unknown key"), std::string::npos);
  rules = kRules;
  rules["retirement"]["female_original_age"]["by_fact"] = "veteran";
  EXPECT_NE(load_error(kFacts, rules).find("recommendation.retirement.female_original_age.by_fact"),
            std::string::npos);
  rules = kRules;
  rules["tables"][0]["rows"][2]["when"]["prior_contribution_years"] = {{"ge", 61}};
  EXPECT_NE(load_error(kFacts, rules).find("impossible range"), std::string::npos)
      << load_error(kFacts, rules);
}

TEST(DeclaredFacts, CanonicalJsonReadsBackToTheSameAnswers) {
  const PolicyPtr a = policy_with(kFacts, kRules);
  const std::string text = to_json(*a);
  const PolicyPtr b = load_policy(text, "again");
  EXPECT_EQ(to_json(*b), text);
  EXPECT_EQ(a->fingerprint(), b->fingerprint());
}

// Random persons with random fact values: every kernel gives the one-person answers.
void expect_kernels_agree(const PolicyPtr& policy, std::size_t n, unsigned seed) {
  const Recommender r(policy);
  const Date as_of = day(2023, 6, 30);
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  PersonColumnStore c(r.facts());
  for (std::size_t i = 0; i < n; ++i) {
    Person p;
    p.sex = pick(0, 1) ? Sex::female : Sex::male;
    p.birth_date = Date::from_day_number(pick(day(1930, 1, 1).day_number(), as_of.day_number()));
    p.hukou_local = pick(0, 1);
    p.insurance_status = static_cast<InsuranceStatus>(pick(0, kInsuranceStatusCount - 1));
    p.employment = static_cast<Employment>(pick(0, kEmploymentCount - 1));
    p.resident_grade_yuan = static_cast<std::uint16_t>(pick(0, 3000));
    p.flags = static_cast<PersonFlags>(pick(0, kAllPersonFlags));
    for (const FactDeclaration& f : r.facts().facts) {
      if (pick(0, 4) == 0 && f.default_value) continue;  // the default
      switch (f.type) {
        case FactType::boolean:
          p.facts[f.id] = pick(0, 1);
          break;
        case FactType::enumeration:
          p.facts[f.id] = pick(0, static_cast<int>(f.values.size()) - 1);
          break;
        case FactType::flags:
          p.facts[f.id] = pick(0, (1 << f.values.size()) - 1);
          break;
        case FactType::integer:
        case FactType::date:
          p.facts[f.id] = pick(f.min, f.max);
          break;
      }
    }
    c.push_back(p);
  }
  const std::size_t words = static_cast<std::size_t>(r.fired_row_words());
  for (const auto kernel : {detail::BatchKernel::automatic, detail::BatchKernel::portable,
                            detail::BatchKernel::per_person}) {
    detail::set_batch_kernel(kernel);
    std::vector<std::uint8_t> scheme(n), actions(n), groups(n);
    std::vector<std::uint64_t> fired(n * words);
    r.recommend_batch(
        as_of, c.view(),
        RecommendationColumns{scheme.data(), actions.data(), groups.data(), fired.data()});
    const std::string kernel_name = r.prepared(as_of)->kernel_reason();
    detail::set_batch_kernel(detail::BatchKernel::automatic);
    for (std::size_t i = 0; i < n; ++i) {
      const Recommendation want = r.recommend(c.person(i), as_of);
      ASSERT_EQ(scheme[i], static_cast<std::uint8_t>(want.scheme))
          << kernel_name << " person " << i;
      ASSERT_EQ(actions[i], want.actions) << kernel_name << " person " << i;
      ASSERT_EQ(groups[i], want.groups) << kernel_name << " person " << i;
      for (std::size_t w = 0; w < words; ++w)
        ASSERT_EQ(fired[i * words + w], want.fired_rows.at(w)) << kernel_name << " person " << i;
    }
  }
}

TEST(DeclaredFacts, BatchKernelsGiveTheOnePersonAnswers) {
  const PolicyPtr policy = policy_with(kFacts, kRules);
  EXPECT_EQ(Recommender(policy).prepared(day(2023, 6, 30))->kernel(),
            detail::batch_avx2_available() ? BatchKernelKind::avx2_table
                                           : BatchKernelKind::portable_table);
  expect_kernels_agree(policy, 20000, 11);
}

// 004 itself: with fact columns (the generic kernels), and without (every
// fact at its default: the fixed-field tables, as for rosters that predate the facts).
TEST(DeclaredFacts, The004PolicyGivesTheOnePersonAnswersWithAndWithoutFactColumns) {
  const PolicyPtr policy =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  expect_kernels_agree(policy, 20000, 13);
  const Recommender r(policy);
  const Date as_of = day(2023, 6, 30);
  const auto prepared = r.prepared(as_of);
  EXPECT_NE(prepared->kernel_reason().find("calls without fact columns"), std::string::npos)
      << prepared->kernel_reason();
  std::mt19937 rng(14);
  PersonColumnStore c;
  for (int i = 0; i < 20000; ++i) {
    Person p;
    p.sex = rng() % 2 ? Sex::female : Sex::male;
    p.birth_date = Date::from_day_number(day(1930, 1, 1).day_number() +
                                         static_cast<std::int32_t>(rng() % 34000));
    p.hukou_local = rng() % 2;
    p.insurance_status = static_cast<InsuranceStatus>(rng() % kInsuranceStatusCount);
    p.employment = static_cast<Employment>(rng() % kEmploymentCount);
    p.resident_grade_yuan = static_cast<std::uint16_t>(rng() % 3000);
    p.flags = static_cast<PersonFlags>(rng() % 64);
    c.push_back(p);
  }
  std::vector<std::uint8_t> scheme(c.sex.size()), actions(c.sex.size()), groups(c.sex.size());
  std::vector<std::uint64_t> fired(c.sex.size());
  r.recommend_batch(
      as_of, c.view(),
      RecommendationColumns{scheme.data(), actions.data(), groups.data(), fired.data()});
  for (std::size_t i = 0; i < c.sex.size(); ++i) {
    const Recommendation want = r.recommend(c.person(i), as_of);
    ASSERT_EQ(scheme[i], static_cast<std::uint8_t>(want.scheme)) << i;
    ASSERT_EQ(actions[i], want.actions) << i;
    ASSERT_EQ(groups[i], want.groups) << i;
    ASSERT_EQ(fired[i], want.fired_rows.at(0)) << i;
  }
}

TEST(DeclaredFacts, ColumnsMayBeLeftOutForFactsWithDefaults) {
  const Recommender r(policy_with(kFacts, kRules));
  PersonColumnStore c;  // no fact columns: every fact takes its default
  c.push_back(woman_born(day(1970, 3, 15)));
  std::uint8_t scheme = 9, actions = 9, groups = 9;
  r.recommend_batch(day(2023, 6, 30), c.view(),
                    RecommendationColumns{&scheme, &actions, &groups, nullptr});
  EXPECT_EQ(scheme, static_cast<std::uint8_t>(Scheme::employee));  // cadre: one year to go
  json facts = kFacts;
  facts[0].erase("default");
  const Recommender strict(policy_with(facts, kRules));
  try {
    strict.recommend_batch(day(2023, 6, 30), c.view(),
                           RecommendationColumns{&scheme, &actions, &groups, nullptr});
    FAIL() << "no error";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("columns.prior_contribution_years"), std::string::npos)
        << e.what();
  }
  // A bad value names its column and row.
  PersonColumnStore bad(strict.facts());
  Person p = woman_born(day(1970, 3, 15));
  p.facts["prior_contribution_years"] = 3;
  bad.push_back(p);
  bad.fact_columns[1][0] = 7;  // suspended_scheme has 4 values
  try {
    strict.recommend_batch(day(2023, 6, 30), bad.view(),
                           RecommendationColumns{&scheme, &actions, &groups, nullptr});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("columns.suspended_scheme[0]"), std::string::npos)
        << e.what();
  }
}

// 130 rows in a collect table: fired rows past 64 are reported in every path.
TEST(DeclaredFacts, TablesOfAnyNumberOfRowsReportEveryFiredRow) {
  json rows = json::array();
  for (int k = 0; k < 130; ++k) {
    rows.push_back(
        {{"when", {{"prior_contribution_years", {{"ge", k % 43}}}}},
         {"then", {{"groups", {"g" + std::to_string(1 + k % 8)}}}},
         {"reason", {{"zh", "行" + std::to_string(k)}, {"en", "row " + std::to_string(k)}}}});
  }
  json rules = {{"tables", json::array({{{"id", "many"}, {"hit", "collect"}, {"rows", rows}}})}};
  const PolicyPtr policy = policy_with(kFacts, rules);
  const Recommender r(policy);
  EXPECT_EQ(r.row_count(), 130);
  EXPECT_EQ(r.fired_row_words(), 3);
  Person p = woman_born(day(1980, 1, 1));
  p.facts["prior_contribution_years"] = 42;  // every row
  const Recommendation all = r.recommend(p, day(2023, 6, 30));
  EXPECT_EQ(all.trace.size(), 130u);
  EXPECT_TRUE(all.fired(129));
  EXPECT_EQ(all.fired_rows.at(2), (std::uint64_t{1} << 2) - 1);  // rows 128, 129
  p.facts["prior_contribution_years"] = 0;                       // rows 0, 43, 86, 129
  const Recommendation few = r.recommend(p, day(2023, 6, 30));
  EXPECT_EQ(few.trace.size(), 4u);
  EXPECT_TRUE(few.fired(86));
  EXPECT_TRUE(few.fired(129));
  EXPECT_FALSE(few.fired(128));
  expect_kernels_agree(policy, 5000, 12);
}

// No limit on grade cut-offs either: 170 disjoint grade bands make 340 (the
// AVX2 kernels hold 256 or 64; past them the portable kernels answer).
TEST(DeclaredFacts, AnyNumberOfGradeCutOffs) {
  json rows = json::array();
  for (int k = 0; k < 170; ++k) {
    rows.push_back(
        {{"when", {{"resident_grade_yuan", {{"ge", 10 * k}, {"lt", 10 * k + 5}}}}},
         {"then", {{"groups", {"g" + std::to_string(1 + k % 8)}}}},
         {"reason", {{"zh", "档" + std::to_string(k)}, {"en", "band " + std::to_string(k)}}}});
  }
  json rules = {{"tables", json::array({{{"id", "bands"}, {"hit", "first"}, {"rows", rows}}})}};
  const PolicyPtr policy = policy_with(kFacts, rules);
  const Recommender r(policy);
  Person p = woman_born(day(1980, 1, 1));
  p.resident_grade_yuan = 1234;  // band 123 (1230..1234): g4
  EXPECT_EQ(r.recommend(p, day(2023, 6, 30)).groups, 1u << 3);
  p.resident_grade_yuan = 1235;  // between bands
  EXPECT_EQ(r.recommend(p, day(2023, 6, 30)).groups, 0u);
  expect_kernels_agree(policy, 5000, 14);
}

}  // namespace
