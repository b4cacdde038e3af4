// Policy test cases (policy_test.hpp): strict case files, expected-vs-got
// mismatches, and the example case files passing on their own policies.
#include <gtest/gtest.h>

#include <sstream>

#include <canbao/error.hpp>
#include <canbao/policy_test.hpp>
#include <canbao/reform.hpp>

namespace canbao {
namespace {

const std::string kDir = CANBAO_SOURCE_DIR "/examples/";

// One 1,234-person village (000's dongfeng) completing on `date`.
std::string village_case(const std::string& date, const std::string& expect) {
  return R"({"name": "v", "as_of": "2021-12-31", "progress": [
      {"unit_id": "dongfeng", "metric": "resident_enrolled", "date": ")" +
         date + R"(", "value": 1234},
      {"unit_id": "dongfeng", "metric": "resident_paid", "date": ")" +
         date + R"(", "value": 1000}],
    "expect": )" +
         expect + "}";
}

std::string where_of(const std::string& text) {
  try {
    parse_case_file(text, "cases");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(PolicyTest, ExampleCaseFilesPassOnTheirPolicies) {
  for (const char* stem : {"000-xx-town-2021", "001-chengjiang-2021", "002-huangshan-template",
                           "003-hengyang", "004-shiyan-2023", "004-shiyan-2023-retirement"}) {
    const PolicyCaseFile file = read_case_file(kDir + "cases/" + stem + ".cases.json");
    ASSERT_TRUE(file.policy) << stem;
    const PolicyPtr policy = load_policy_file(*file.policy);
    for (const CaseResult& r : run_cases(*policy, file)) {
      std::ostringstream out;
      write_case_result(r, out);
      EXPECT_TRUE(r.passed) << stem << "\n" << out.str();
    }
  }
}

TEST(PolicyTest, VillageOf1234PeopleByCompletionDate) {
  const PolicyPtr p = load_policy_file(kDir + "policies/000-xx-town-2021.json");
  // 000 五(一): by 09-30 1 yuan, by 10-15 0.8, by 11-30 0.6 per insured person.
  const std::pair<const char*, const char*> vectors[] = {
      {"2021-09-30", R"({"payouts": {"dongfeng": {"tier": 1, "amount_fen": 123400}}})"},
      {"2021-10-01", R"({"payouts": {"dongfeng": {"tier": 2, "amount_fen": 98720}}})"},
      {"2021-11-30", R"({"payouts": {"dongfeng": {"tier": 3, "amount_fen": 74040}}})"},
      {"2021-12-01",
       R"({"payouts": {"dongfeng": {"status": "late", "tier": null, "amount_fen": 0}}})"}};
  for (const auto& [date, expect] : vectors) {
    const PolicyCaseFile f =
        parse_case_file(R"({"cases": [)" + village_case(date, expect) + "]}", "cases");
    const CaseResult r = run_case(*p, f.cases[0]);
    EXPECT_TRUE(r.passed) << date << (r.mismatches.empty() ? r.error : r.mismatches[0].path);
  }
}

TEST(PolicyTest, WrongExpectationShowsExpectedAndGot) {
  const PolicyPtr p = load_policy_file(kDir + "policies/000-xx-town-2021.json");
  const PolicyCaseFile f = parse_case_file(
      R"({"cases": [)" +
          village_case(
              "2021-10-01",
              R"({"payouts": {"dongfeng": {"tier": 1, "amount_fen": 123400}}, "total_fen": 98720})") +
          "]}",
      "cases");
  const CaseResult r = run_case(*p, f.cases[0]);
  EXPECT_FALSE(r.passed);
  ASSERT_EQ(r.mismatches.size(), 2u);
  EXPECT_EQ(r.mismatches[0].path, "payouts.dongfeng.tier");
  EXPECT_EQ(r.mismatches[0].expected, "1");
  EXPECT_EQ(r.mismatches[0].got, "2");
  EXPECT_EQ(r.mismatches[1].path, "payouts.dongfeng.amount_fen");
  EXPECT_EQ(r.mismatches[1].got, "98720");
  std::ostringstream out;
  write_case_result(r, out);
  EXPECT_EQ(out.str(),
            "  FAIL  v\n"
            "        payouts.dongfeng.tier: expected 1, got 2\n"
            "        payouts.dongfeng.amount_fen: expected 123400, got 98720\n");
}

TEST(PolicyTest, TheOldPlansCasesCatchTheDraftsChange) {
  // "Does the new draft still give the answers the old plan promised?"
  const PolicyPtr base = load_policy_file(kDir + "policies/000-xx-town-2021.json");
  const PolicyPtr draft = apply_reform_file(*base, kDir + "patches/000-second-tier-90.merge.json");
  const PolicyCaseFile file = read_case_file(kDir + "cases/000-xx-town-2021.cases.json");
  std::vector<std::string> failed;
  for (const CaseResult& r : run_cases(*draft, file)) {
    if (!r.passed) failed.push_back(r.name);
  }
  // Exactly the cases with a unit in the second tier: the 10-01 village and the synthetic town
  // (heping).
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_NE(failed[0].find("2021-10-01"), std::string::npos);
  EXPECT_NE(failed[1].find("synthetic town"), std::string::npos);
}

TEST(PolicyTest, PersonAndEvaluationErrorsFailTheCaseWithTheFilesPath) {
  const PolicyPtr p = load_policy_file(kDir + "policies/004-shiyan-2023.json");
  const PolicyCaseFile f = parse_case_file(R"({"cases": [
    {"name": "a", "as_of": "2023-06-30", "person": {"sex": "male", "birth_date": "1980-03-01", "hukou_local": true, "insurance_status": "none"},
     "expect": {"scheme": "resident", "actions": ["enroll_resident"]}},
    {"name": "b", "as_of": "2023-06-30", "person": {"sex": "male", "birth_date": "1980-03-01", "insurence_status": "none"},
     "expect": {"scheme": "employee"}}]})",
                                           "cases");
  const CaseResult a = run_case(*p, f.cases[0]);
  ASSERT_EQ(a.mismatches.size(), 2u);
  EXPECT_EQ(a.mismatches[0].path, "scheme");
  EXPECT_EQ(a.mismatches[0].got, "\"employee\"");
  EXPECT_EQ(a.mismatches[1].got, "[\"enroll_employee\"]");
  const CaseResult b = run_case(*p, f.cases[1]);
  EXPECT_FALSE(b.passed);
  EXPECT_EQ(b.error.rfind("cases[1].person.insurence_status: unknown key", 0), 0u) << b.error;
}

TEST(PolicyTest, CaseFilesAreStrict) {
  EXPECT_EQ(
      where_of(
          R"({"cases": [{"name": "x", "date": "2021-07-01", "expect": {"phases": [], "scheme": "employee"}}]})")
          .rfind("cases[0].expect.scheme: unknown key", 0),
      0u);
  EXPECT_EQ(
      where_of(
          R"({"cases": [{"name": "x", "date": "2021-07-01", "expect": {"phases": []}, "expcet": 1}]})")
          .rfind("cases[0].expcet: unknown key", 0),
      0u);
  EXPECT_EQ(
      where_of(R"({"cases": [)" +
               village_case("2021-10-01", R"({"payouts": {"dongfeng": {"tier": "2"}}})") + "]}"),
      "cases[0].expect.payouts.dongfeng.tier: expected an integer >= 1 (1 = the first deadline) or "
      "null, got \"2\"");
  EXPECT_EQ(
      where_of(
          R"({"cases": [{"name": "x", "as_of": "2023-06-30", "person": {}, "expect": {"scheme": "employe"}}]})"),
      "cases[0].expect.scheme: unknown value \"employe\" (expected one of: none, employee, "
      "resident)");
  EXPECT_EQ(
      where_of(R"({"cases": [{"name": "x", "as_of": "2023-06-30", "person": {}, "expect": {}}]})"),
      "cases[0].expect: expected at least one expectation");
  EXPECT_EQ(
      where_of(
          R"({"cases": [{"name": "x", "date": "2021-07-01", "as_of": "2021-07-01", "person": {}, "expect": {"phases": []}}]})"),
      "cases[0]: give exactly one input: person, date, or one of progress, progress_file, "
      "progress_csv");
  EXPECT_EQ(where_of(R"({"cases": [{"name": "x", "date": "2021-07-01", "expect": {"phases": []}},
                                   {"name": "x", "date": "2021-07-02", "expect": {"phases": []}}]})"),
            "cases[1].name: duplicate case name \"x\"");
  EXPECT_EQ(where_of(R"({"cases": []})"), "cases: expected at least one case");
  EXPECT_THROW(read_case_file(kDir + "cases/no-such.cases.json"), InputError);
}

}  // namespace
}  // namespace canbao
