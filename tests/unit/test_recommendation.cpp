// Recommendation tables: the 004 policy's rules (seed vectors from issue 3),
// the retirement-derived variant, load errors naming their JSON path, and the
// trace linking each answer to the row, its path and its source.
#include <canbao/batch.hpp>
#include <canbao/error.hpp>
#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "../../src/detail/facts_json.hpp"
#include "../../src/detail/recommendation_json.hpp"

namespace {

using namespace canbao;
using nlohmann::json;

const Date kAsOf = *Date::from_ymd(2023, 6, 30);

const PolicyPtr& policy004_ptr() {
  static PolicyPtr p =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  return p;
}
const Policy& policy004() { return *policy004_ptr(); }
const Policy& policy004_retirement() {
  static PolicyPtr p =
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023-retirement.json");
  return *p;
}

Person person(Sex sex, int y, int m, int d, InsuranceStatus status = InsuranceStatus::none,
              Employment employment = Employment::farmer, bool hukou_local = true) {
  Person p;
  p.sex = sex;
  p.birth_date = *Date::from_ymd(y, m, d);
  p.insurance_status = status;
  p.employment = employment;
  p.hukou_local = hukou_local;
  return p;
}

TEST(Recommendation, UninsuredLocalManUnder45GoesToEmployeeScheme) {
  // 004 四(二): 男45岁以下、女40岁以下参加城镇企业养老保险
  const Recommendation r = recommend(policy004(), person(Sex::male, 1980, 3, 1), kAsOf);
  EXPECT_EQ(r.facts.age, 43);
  EXPECT_EQ(r.scheme, Scheme::employee);
  EXPECT_TRUE(r.has(Action::enroll_employee));
  EXPECT_TRUE(r.in_group(8));
}

TEST(Recommendation, UninsuredLocalWoman40OrOlderGoesToResidentScheme) {
  const Recommendation r = recommend(policy004(), person(Sex::female, 1982, 1, 1), kAsOf);
  EXPECT_EQ(r.facts.age, 41);
  EXPECT_EQ(r.scheme, Scheme::resident);
  EXPECT_TRUE(r.has(Action::enroll_resident));
}

TEST(Recommendation, UninsuredLocalResidentAged60PlusBackPaysIntoResidentScheme) {
  // 004 三(二)2: 60周岁以上超龄未参保的长寿户籍老年居民以补缴...纳入城乡居民基本养老保险
  const Recommendation r = recommend(policy004(), person(Sex::male, 1962, 5, 1), kAsOf);
  EXPECT_EQ(r.facts.age, 61);
  EXPECT_EQ(r.scheme, Scheme::resident);
  EXPECT_TRUE(r.has(Action::back_pay));
  // Not local: no back-pay rule, the plain age rule applies.
  const Recommendation elsewhere = recommend(
      policy004(), person(Sex::male, 1962, 5, 1, InsuranceStatus::none, Employment::farmer, false),
      kAsOf);
  EXPECT_EQ(elsewhere.scheme, Scheme::resident);
  EXPECT_FALSE(elsewhere.has(Action::back_pay));
}

TEST(Recommendation, DibaoWomanGetsResidentSchemePaidByGovernment) {
  Person p = person(Sex::female, 1973, 1, 1);
  p.flags = flag_bit(PersonFlag::dibao);
  const Recommendation r = recommend(policy004(), p, kAsOf);
  EXPECT_EQ(r.scheme, Scheme::resident);
  EXPECT_TRUE(r.has(Action::government_pays));
  EXPECT_TRUE(r.in_group(6));
  EXPECT_FALSE(r.in_group(8));  // g8 is only for those in no other group
}

TEST(Recommendation, YoungResidentPayingAbove1000ConvertsToEmployee) {
  // 004 二(五): 已参加城乡居民基本养老保险且缴费档次高于1000元的人员
  Person p = person(Sex::male, 1990, 1, 1, InsuranceStatus::resident_paying);
  p.resident_grade_yuan = 1500;
  const Recommendation r = recommend(policy004(), p, kAsOf);
  EXPECT_EQ(r.scheme, Scheme::employee);
  EXPECT_TRUE(r.has(Action::convert_to_employee));
  EXPECT_TRUE(r.in_group(5));
  p.resident_grade_yuan = 1000;  // "高于1000元": 1000 itself is not above
  const Recommendation at = recommend(policy004(), p, kAsOf);
  EXPECT_EQ(at.scheme, Scheme::resident);
  EXPECT_FALSE(at.has(Action::convert_to_employee));
  EXPECT_FALSE(at.in_group(5));
}

TEST(Recommendation, PlatformWorkerOf30GoesToEmployeeSchemeInGroup3) {
  const Recommendation r = recommend(
      policy004(),
      person(Sex::female, 1993, 1, 15, InsuranceStatus::none, Employment::platform_worker), kAsOf);
  EXPECT_EQ(r.facts.age, 30);
  EXPECT_EQ(r.scheme, Scheme::employee);
  EXPECT_EQ(r.groups, GroupSet{1u << 2});  // g3 only
  // Even past the 40/45 age rule: 004 三(三) 动员引导新就业形态从业人员参加城镇企业职工基本养老保险
  const Recommendation older = recommend(
      policy004(),
      person(Sex::male, 1970, 1, 15, InsuranceStatus::none, Employment::platform_worker), kAsOf);
  EXPECT_EQ(older.scheme, Scheme::employee);
}

TEST(Recommendation, SuspendedElsewhereTransfersInAndResumes) {
  const Recommendation r = recommend(
      policy004(), person(Sex::female, 1985, 7, 1, InsuranceStatus::insured_elsewhere_suspended),
      kAsOf);
  EXPECT_TRUE(r.has(Action::transfer_in));
  EXPECT_TRUE(r.has(Action::resume_payment));
  EXPECT_EQ(r.scheme, Scheme::employee);  // 37: under 40
  EXPECT_TRUE(r.in_group(7));
}

TEST(Recommendation, AgeBoundaryIsTheBirthday) {
  // 45th birthday on the as-of date: 45, no longer "under 45".
  EXPECT_EQ(recommend(policy004(), person(Sex::male, 1978, 6, 30), kAsOf).scheme, Scheme::resident);
  EXPECT_EQ(recommend(policy004(), person(Sex::male, 1978, 7, 1), kAsOf).scheme, Scheme::employee);
}

TEST(Recommendation, PensionersAndStudentsAreNotEnrollmentTargets) {
  const Recommendation pensioner = recommend(
      policy004(), person(Sex::male, 1955, 1, 1, InsuranceStatus::receiving_pension), kAsOf);
  EXPECT_EQ(pensioner.scheme, Scheme::none);
  EXPECT_EQ(pensioner.actions, 0);
  EXPECT_EQ(pensioner.groups, 0);
  const Recommendation student =
      recommend(policy004(),
                person(Sex::female, 2004, 1, 1, InsuranceStatus::none, Employment::student), kAsOf);
  EXPECT_EQ(student.scheme, Scheme::none);
  EXPECT_EQ(student.groups, 0);
}

TEST(Recommendation, TraceNamesEachFiredRowWithPathSourceAndReason) {
  const Recommendation r = recommend(policy004(), person(Sex::male, 1962, 5, 1), kAsOf);
  ASSERT_EQ(r.trace.size(), 2u);  // scheme row + g8
  EXPECT_EQ(r.trace[0].rule->path, "recommendation.tables[0].rows[4]");
  EXPECT_EQ(r.trace[0].rule->source, "004 三(二)2");
  EXPECT_NE(r.trace[0].rule->reason.zh.find("补缴"), std::string::npos);
  EXPECT_EQ(r.trace[1].row, -1);
  EXPECT_EQ(r.trace[1].rule->path, "recommendation.tables[1].otherwise");
  EXPECT_EQ(r.fired_rows.at(0),
            (std::uint64_t{1} << r.trace[0].bit) | (std::uint64_t{1} << r.trace[1].bit));
  EXPECT_NE(r.reason_en().find("back-pay"), std::string::npos);
}

TEST(Recommendation, RetirementVariantUsesContributableYearsBeforeStatutoryRetirement) {
  // A man born 1979-06 retires at 63 (born after 1976-08): 2042-06, so from
  // 2023-06-30 he has 228 months, short of 2042's minimum of 240 months. The
  // 45 rule calls him employee, the derived rule resident.
  const Person p = person(Sex::male, 1979, 6, 15);
  const Recommendation by_age = recommend(policy004(), p, kAsOf);
  const Recommendation derived = recommend(policy004_retirement(), p, kAsOf);
  EXPECT_EQ(derived.facts.retirement_date, *Date::from_ymd(2042, 7, 1));
  EXPECT_EQ(derived.facts.contributable_months, 228);
  EXPECT_EQ(derived.facts.minimum_months, 240);
  EXPECT_EQ(by_age.scheme, Scheme::employee);
  EXPECT_EQ(derived.scheme, Scheme::resident);
  // Someone born 1995 has decades left: employee under both.
  EXPECT_EQ(recommend(policy004_retirement(), person(Sex::male, 1995, 1, 1), kAsOf).scheme,
            Scheme::employee);
}

TEST(Recommendation, BirthAfterAsOfDateIsAnInputError) {
  EXPECT_THROW(recommend(policy004(), person(Sex::male, 2024, 1, 1), kAsOf), InputError);
}

// --- load errors -----------------------------------------------------------

json minimal_section() {
  return json::parse(R"({"tables": [{"id": "t", "hit": "first", "rows": [
    {"when": {"age": {"lt": 45}}, "then": {"scheme": "employee"}, "reason": {"zh": "甲", "en": "a"}},
    {"when": {"age": {"ge": 45}}, "then": {"scheme": "resident"}, "reason": {"zh": "乙", "en": "b"}}]}]})");
}

std::string load_error(const json& section) {
  try {
    detail::read_recommendation(section, "recommendation", Policy{}, nullptr);
  } catch (const PolicyError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(RecommendationLoad, ConditionOnUnknownFieldIsRejectedWithItsPath) {
  json s = minimal_section();
  s["tables"][0]["rows"][1]["when"]["salary"] = 3;
  const std::string e = load_error(s);
  EXPECT_NE(e.find("recommendation.tables[0].rows[1].when.salary: unknown key"), std::string::npos)
      << e;
}

TEST(RecommendationLoad, ImpossibleRangeIsRejectedWithItsPath) {
  json s = minimal_section();
  s["tables"][0]["rows"][0]["when"]["age"] = {{"lt", 40}, {"ge", 45}};
  const std::string e = load_error(s);
  EXPECT_NE(e.find("recommendation.tables[0].rows[0].when.age: impossible range"),
            std::string::npos)
      << e;
}

TEST(RecommendationLoad, RowCoveredByAnEarlierRowOfAFirstHitTableIsUnreachable) {
  json s = minimal_section();
  // Exact duplicate.
  s["tables"][0]["rows"][1]["when"] = s["tables"][0]["rows"][0]["when"];
  std::string e = load_error(s);
  EXPECT_NE(
      e.find("recommendation.tables[0].rows[1]: unreachable: recommendation.tables[0].rows[0]"),
      std::string::npos)
      << e;
  // Strictly narrower: men under 30 after everyone under 45.
  s = minimal_section();
  s["tables"][0]["rows"][1]["when"] = {{"sex", "male"}, {"age", {{"lt", 30}}}};
  e = load_error(s);
  EXPECT_NE(e.find("recommendation.tables[0].rows[1]: unreachable"), std::string::npos) << e;
  // In a collect table both fire: no error.
  s["tables"][0]["hit"] = "collect";
  s["tables"][0]["rows"][0]["then"] = {{"groups", {"g1"}}};
  s["tables"][0]["rows"][1]["then"] = {{"groups", {"g2"}}};
  EXPECT_EQ(load_error(s), "(no error)");
}

json row(const json& when, const char* scheme) {
  return {{"when", when}, {"then", {{"scheme", scheme}}}, {"reason", {{"zh", "丙"}, {"en", "c"}}}};
}

TEST(RecommendationLoad, RowCoveredOnlyBySeveralEarlierRowsTogetherIsUnreachable) {
  // Under 45 and 45 or over together match everyone: a third row never fires,
  // though neither earlier row alone covers it.
  json s = minimal_section();
  s["tables"][0]["rows"].push_back(row({{"insurance_status", {"none"}}}, "none"));
  std::string e = load_error(s);
  EXPECT_NE(e.find("recommendation.tables[0].rows[2]: unreachable: everyone this matches is "
                   "already matched by recommendation.tables[0].rows[0], "
                   "recommendation.tables[0].rows[1] (the table fires only the first hit)"),
            std::string::npos)
      << e;
  // Across fields: men, then women under 60, then women 60 or over with
  // any grade: the last of four rows is covered by rows 1 and 2 together.
  s = minimal_section();
  s["tables"][0]["rows"] = json::array({row({{"sex", "male"}}, "employee"),
                                        row({{"sex", "female"}, {"age", {{"lt", 60}}}}, "resident"),
                                        row({{"sex", "female"}, {"age", {{"ge", 60}}}}, "resident"),
                                        row({{"resident_grade_yuan", {{"gt", 1000}}}}, "none")});
  e = load_error(s);
  EXPECT_NE(e.find("recommendation.tables[0].rows[3]: unreachable"), std::string::npos) << e;
  // Leave a gap (women 60-69 reach the last row): loads.
  s["tables"][0]["rows"][2]["when"]["age"] = {{"ge", 70}};
  EXPECT_EQ(load_error(s), "(no error)");
}

TEST(RecommendationLoad, OtherwiseCoveredByTheRowsIsUnreachable) {
  json s = minimal_section();
  s["tables"][0]["otherwise"] = {{"then", {{"scheme", "none"}}},
                                 {"reason", {{"zh", "丁"}, {"en", "d"}}}};
  std::string e = load_error(s);
  EXPECT_NE(e.find("recommendation.tables[0].otherwise: unreachable"), std::string::npos) << e;
  // In a collect table too: otherwise fires only when no row does.
  s["tables"][0]["hit"] = "collect";
  s["tables"][0]["rows"][0]["then"] = {{"groups", {"g1"}}};
  s["tables"][0]["rows"][1]["then"] = {{"groups", {"g2"}}};
  s["tables"][0]["otherwise"]["then"] = {{"groups", {"g8"}}};
  e = load_error(s);
  EXPECT_NE(e.find("recommendation.tables[0].otherwise: unreachable: everyone this matches is "
                   "already matched by recommendation.tables[0].rows[0], "
                   "recommendation.tables[0].rows[1] (otherwise fires only when no row does)"),
            std::string::npos)
      << e;
  // With a gap in the rows (no one 45-49), otherwise is reachable.
  s["tables"][0]["rows"][1]["when"]["age"] = {{"ge", 50}};
  EXPECT_EQ(load_error(s), "(no error)");
}

TEST(RecommendationLoad, RowsThatMatchNobodyTogetherWithTheGuardAreRejected) {
  // The row wants dibao or tekun but not tekun, so dibao; the guard excludes
  // dibao. No single field contradicts the guard; together they do.
  json s = minimal_section();
  s["tables"][0]["when"] = {{"flags_none", {"dibao"}}};
  s["tables"][0]["rows"][1]["when"]["flags_any"] = {"dibao", "tekun"};
  s["tables"][0]["rows"][1]["when"]["flags_none"] = {"tekun"};
  const std::string e = load_error(s);
  EXPECT_NE(e.find("recommendation.tables[0].rows[1]: matches nobody: its conditions and the "
                   "table's when exclude each other"),
            std::string::npos)
      << e;
}

TEST(RecommendationLoad, RowContradictingItsTablesGuardIsRejected) {
  json s = minimal_section();
  s["tables"][0]["when"] = {{"sex", "female"}};
  s["tables"][0]["rows"][1]["when"]["sex"] = "male";
  const std::string e = load_error(s);
  EXPECT_NE(e.find("recommendation.tables[0].rows[1].when: matches nobody: sex"), std::string::npos)
      << e;
}

TEST(RecommendationLoad, UnknownNamesAndEmptyListsAreRejected) {
  json s = minimal_section();
  s["tables"][0]["rows"][0]["when"]["employment"] = {"employer", "astronaut"};
  std::string e = load_error(s);
  EXPECT_NE(e.find("when.employment[1]: unknown value \"astronaut\""), std::string::npos) << e;
  s = minimal_section();
  s["tables"][0]["rows"][0]["when"]["insurance_status"] = json::array();
  e = load_error(s);
  EXPECT_NE(e.find("when.insurance_status: an empty list matches nobody"), std::string::npos) << e;
  s = minimal_section();
  s["tables"][0]["rows"][0]["then"]["actions"] = {"pray"};
  e = load_error(s);
  EXPECT_NE(e.find("then.actions[0]: unknown value \"pray\""), std::string::npos) << e;
}

TEST(RecommendationLoad, OnlyOneFirstHitTableDecidesTheScheme) {
  json s = minimal_section();
  s["tables"].push_back(s["tables"][0]);
  s["tables"][1]["id"] = "t2";
  std::string e = load_error(s);
  EXPECT_NE(
      e.find("recommendation.tables[1].rows[0].then.scheme: only one table may decide the scheme"),
      std::string::npos)
      << e;
  s = minimal_section();
  s["tables"][0]["hit"] = "collect";
  e = load_error(s);
  EXPECT_NE(e.find("only a table with \"hit\": \"first\" may decide the scheme"), std::string::npos)
      << e;
}

TEST(RecommendationLoad, TablesOfOver63RowsLoad) {
  // Two collect tables of 40 rows (no row unreachable): 80 rows, over the 63
  // that canbao.policy/1 allowed before issue 11; fired_rows takes two words.
  json s = json::object();
  s["tables"] = json::array();
  for (int t = 0; t < 2; ++t) {
    json rows = json::array();
    for (int r = 0; r < 40; ++r) {
      rows.push_back({{"when", {{"age", {{"ge", r}}}}},
                      {"then", {{"groups", {"g1"}}}},
                      {"reason", {{"zh", "甲"}, {"en", "a"}}}});
    }
    s["tables"].push_back({{"id", "t" + std::to_string(t)}, {"hit", "collect"}, {"rows", rows}});
  }
  EXPECT_EQ(load_error(s), "(no error)");
  const RecommendationRules rules =
      detail::read_recommendation(s, "recommendation", Policy{}, nullptr);
  EXPECT_EQ(rules.row_count(), 80);
  EXPECT_EQ(rules.fired_row_words(), 2);
}

TEST(RecommendationLoad, CanonicalJsonReadsBackToTheSameTables) {
  const RecommendationRules& t = *policy004().recommendation;
  const json once = detail::write_recommendation(t);
  const json facts = detail::write_facts(t.facts);  // 004 declares facts its tables test
  const auto again = detail::read_recommendation(once, "recommendation", Policy{}, &facts);
  EXPECT_EQ(detail::write_recommendation(again), once);
  EXPECT_EQ(again.row_count(), t.row_count());
}

}  // namespace

TEST(Recommendation, AsOfDayOutsideTheSupportedRangeIsSaidPlainlyOnEveryPath) {
  // An as-of day after 2200 used to fail deep in the retirement schedule with a
  // "birth_month" usage error.
  const Date late = *Date::from_ymd(2300, 1, 1);
  const std::string expected =
      "as_of: 2300-01-01 is outside the supported range 1900-01-01..2200-12-31";
  try {
    recommend(policy004(), person(Sex::male, 1980, 3, 1), late);
    FAIL() << "one person: accepted";
  } catch (const ArgumentError& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
  try {
    Recommender(policy004_ptr()).prepared(late);
    FAIL() << "batch: accepted";
  } catch (const ArgumentError& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
  try {
    const PersonColumnStore none;
    recommend_batch(policy004(), late, none.view(), RecommendationColumns{});
    FAIL() << "batch, one-off: accepted";
  } catch (const ArgumentError& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
}

TEST(Recommendation, RequestAsOfOutsideTheSupportedRangeIsAnInputErrorNamingTheKey) {
  try {
    call_json(
        policy004(),
        R"({"op":"recommend","as_of":"2300-01-01","person":{"sex":"male","birth_date":"1980-03-01"}})");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "request.as_of: 2300-01-01 is outside the supported range 1900-01-01..2200-12-31");
  }
}
