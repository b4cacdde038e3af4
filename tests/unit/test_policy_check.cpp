// check_policy_text (policy_check.hpp): every independent error at once,
// "did you mean" for misspelled keys, consistency warnings, and load_policy
// unchanged (it still throws the first error). Policies are built from
// tests/data/policies/valid-small.json: a town (target 100) over v1 (60) and
// v2 (40), one count metric, one phase 2023-01-01..02-28.
#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/policy_check.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "detail/did_you_mean.hpp"

using canbao::check_policy_text;
using canbao::CheckOptions;
using canbao::PolicyCheck;
using canbao::Severity;
using nlohmann::json;

namespace {

json small() {
  std::ifstream in(CANBAO_SOURCE_DIR "/tests/data/policies/valid-small.json");
  return json::parse(in);
}

// small() with completion, a milestone and a work fund: no warning yet.
json paid() {
  json doc = small();
  doc["completion"] = {
      {"tasks", {{{"metric", "resident_enrolled"}, {"op", ">="}, {"value", "target"}}}}};
  doc["milestones"] = {{{"id", "half"},
                        {"name", "过半"},
                        {"metric", "resident_enrolled"},
                        {"op", ">="},
                        {"value", 50},
                        {"due", "2023-02-01"}}};
  doc["work_fund"] = {{"tiers", {{{"deadline", "2023-02-15"}, {"per_person_fen", 100}}}},
                      {"paid_units", {{"level", "village"}}},
                      {"basis", {{"metric", "resident_enrolled"}, {"as_of", "completion_date"}}},
                      {"late", {{"rule", "zero"}}}};
  return doc;
}

PolicyCheck check(const json& doc, CheckOptions o = {}) { return check_policy_text(doc.dump(), o); }

// "path: message" lines, for readable failures.
std::string lines(const PolicyCheck& c) {
  std::string s;
  for (const auto& d : c.diagnostics)
    s += std::string(canbao::severity_name(d.severity)) + " " + d.path + ": " + d.message + "\n";
  return s;
}

std::string first_load_error(const json& doc) {
  try {
    canbao::load_policy(doc.dump());
  } catch (const canbao::Error& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST(PolicyCheck, ValidPoliciesHaveNoDiagnostics) {
  for (const json& doc : {small(), paid()}) {
    const PolicyCheck c = check(doc);
    EXPECT_TRUE(c.diagnostics.empty()) << lines(c);
    ASSERT_TRUE(c.policy);
    EXPECT_EQ(c.policy->fingerprint(), canbao::load_policy(doc.dump())->fingerprint());
  }
}

TEST(PolicyCheck, FourIndependentMistakesGiveFourErrorsAndLoadStillThrowsTheFirst) {
  json doc = paid();
  doc["campaign"]["tittle"] = doc["campaign"]["title"];  // misspelled required key
  doc["campaign"].erase("title");
  doc["units"][1]["targets"]["resident_enrolled"] = -5;  // a bad value
  doc["units"][2]["nmae"] = "x";                         // an unknown key
  doc["colour"] = "red";                                 // an unknown top-level key
  const PolicyCheck c = check(doc);
  ASSERT_EQ(c.diagnostics.size(), 4u) << lines(c);
  EXPECT_EQ(c.errors(), 4u);
  EXPECT_FALSE(c.policy);
  EXPECT_EQ(c.diagnostics[0].path, "campaign.title");
  EXPECT_EQ(c.diagnostics[0].message,
            "required key \"title\" is missing (did you mean \"tittle\" at campaign?)");
  EXPECT_EQ(c.diagnostics[1].path, "units[1].targets.resident_enrolled");
  EXPECT_EQ(c.diagnostics[1].message, "must be >= 0, got -5");
  EXPECT_EQ(c.diagnostics[2].path, "units[2].nmae");
  EXPECT_EQ(
      c.diagnostics[2].message.rfind("unknown key, did you mean \"name\"? (expected one of:", 0),
      0u)
      << c.diagnostics[2].message;
  EXPECT_EQ(c.diagnostics[3].path, "colour");
  // load_policy: the first error, as before.
  EXPECT_EQ(first_load_error(doc), "campaign.title: " + c.diagnostics[0].message);
}

TEST(PolicyCheck, EveryUnknownKeyOfOneObjectIsReported) {
  json doc = small();
  doc["units"][0]["tagets"] = json::object();
  doc["units"][0]["sorce"] = "000";
  const PolicyCheck c = check(doc);
  ASSERT_EQ(c.diagnostics.size(), 2u) << lines(c);
  EXPECT_EQ(c.diagnostics[0].path, "units[0].sorce");
  EXPECT_NE(c.diagnostics[0].message.find("did you mean \"source\"?"), std::string::npos);
  EXPECT_EQ(c.diagnostics[1].path, "units[0].tagets");
  EXPECT_NE(c.diagnostics[1].message.find("did you mean \"targets\"?"), std::string::npos);
}

TEST(PolicyCheck, AMissingKeyAndItsTypoAreOneDiagnostic) {
  json doc = paid();
  doc["milestones"][0]["vlaue"] = 50;
  doc["milestones"][0].erase("value");
  const PolicyCheck c = check(doc);
  ASSERT_EQ(c.diagnostics.size(), 1u) << lines(c);
  EXPECT_EQ(c.diagnostics[0].path, "milestones[0].value");
  EXPECT_EQ(c.diagnostics[0].message,
            "required key \"value\" is missing (did you mean \"vlaue\" at milestones[0]?)");
  // Without a near key the message stays as it was.
  doc["milestones"][0].erase("vlaue");
  EXPECT_EQ(first_load_error(doc), "milestones[0].value: required key is missing");
}

TEST(PolicyCheck, CaseHyphensAndUnderscoresAreNear) {
  json doc = paid();
  doc["work_fund"]["tiers"][0]["Per-Person-Fen"] = 100;
  doc["work_fund"]["tiers"][0].erase("per_person_fen");
  EXPECT_EQ(first_load_error(doc),
            "work_fund.tiers[0].per_person_fen: required key \"per_person_fen\" is missing (did "
            "you mean \"Per-Person-Fen\" at work_fund.tiers[0]?)");
}

TEST(PolicyCheck, ClosestNamesListsTiesAndNothingFar) {
  using canbao::detail::closest_names;
  EXPECT_EQ(closest_names("cat", {"cap", "car", "dog"}), (std::vector<std::string>{"cap", "car"}));
  EXPECT_EQ(closest_names("tagets", {"targets", "bases"}), std::vector<std::string>{"targets"});
  EXPECT_EQ(closest_names("uints", {"units", "unit"}), std::vector<std::string>{"units"});  // swap
  EXPECT_TRUE(closest_names("x", {"id"}).empty());  // 2 edits of a 2-letter key is no hint
  EXPECT_TRUE(closest_names("colour", {"level", "name"}).empty());
  EXPECT_EQ(canbao::detail::did_you_mean({"cap", "car"}), "did you mean \"cap\" or \"car\"?");
}

TEST(PolicyCheck, PartsThatReferToAFailedPartAreNotChecked) {
  // A bad metric fails the metrics section: the units (whose targets name
  // metrics) are skipped, so their errors are not reported as follow-ons.
  json doc = paid();
  doc["metrics"][0]["kind"] = "cnt";
  doc["units"][1]["targets"]["resident_enrolled"] = -5;
  doc["projection"] = {{"observations", 1}};  // independent of metrics: still checked
  const PolicyCheck c = check(doc);
  ASSERT_EQ(c.diagnostics.size(), 2u) << lines(c);
  EXPECT_EQ(c.diagnostics[0].path, "metrics[0].kind");
  EXPECT_EQ(c.diagnostics[1].path, "projection.observations");
}

TEST(PolicyCheck, CollectingStopsAtTheLimit) {
  json doc = small();
  for (int i = 0; i < 60; ++i) doc["units"][0]["k" + std::to_string(i)] = i;
  const PolicyCheck all = check(doc);
  EXPECT_EQ(all.diagnostics.size(), 50u);  // the default limit
  EXPECT_TRUE(all.truncated);
  CheckOptions three;
  three.max_diagnostics = 3;
  EXPECT_EQ(check(doc, three).diagnostics.size(), 3u);
  CheckOptions sixty;
  sixty.max_diagnostics = 60;
  EXPECT_FALSE(check(doc, sixty).truncated);
}

TEST(PolicyCheck, SyntaxErrorIsTheOnlyDiagnostic) {
  const PolicyCheck c = check_policy_text("{\"schema\": ", {}, "p.json");
  ASSERT_EQ(c.diagnostics.size(), 1u);
  EXPECT_EQ(c.diagnostics[0].path, "p.json");
  EXPECT_EQ(c.diagnostics[0].message.rfind("not valid JSON", 0), 0u);
}

TEST(PolicyCheck, DollarSchemaIsAllowedAndOutsideTheFingerprint) {
  json doc = small();
  const std::string before = canbao::load_policy(doc.dump())->fingerprint();
  doc["$schema"] = "../docs/schema/canbao.policy-1.schema.json";
  EXPECT_EQ(canbao::load_policy(doc.dump())->fingerprint(), before);
  doc["$schema"] = 1;
  EXPECT_EQ(first_load_error(doc), "$schema: expected a string, got an integer");
}

// ---------------------------------------------------------------- warnings

TEST(PolicyCheck, ChildrensTargetsThatDoNotAddUpWarn) {
  json doc = small();
  doc["units"][2]["targets"]["resident_enrolled"] = 30;  // 60 + 30 = 90, not 100
  const PolicyCheck c = check(doc);
  ASSERT_EQ(c.diagnostics.size(), 1u) << lines(c);
  EXPECT_EQ(c.diagnostics[0].severity, Severity::warning);
  EXPECT_EQ(c.diagnostics[0].path, "units[0].targets.resident_enrolled");
  EXPECT_EQ(c.diagnostics[0].message,
            "unit \"town\" has target 100 for \"resident_enrolled\", but its children's targets "
            "add up to 90 (units[1] \"v1\" 60, units[2] \"v2\" 30)");
  EXPECT_TRUE(c.ok());
  EXPECT_TRUE(c.policy);
  EXPECT_NO_THROW(canbao::load_policy(doc.dump()));  // warnings never stop loading
  CheckOptions strict;
  strict.strict = true;
  const PolicyCheck s = check(doc, strict);
  EXPECT_EQ(s.errors(), 1u);
  EXPECT_FALSE(s.ok());
}

TEST(PolicyCheck, AllocatedAndImpliedTargetsAddUpByConstruction) {
  // The town allocates 100 over v1 and v2 by base (3:1 -> 75, 25): no warning.
  json doc = small();
  doc["units"][0]["allocate"] = {{{"metric", "resident_enrolled"}, {"base", "people"}}};
  doc["units"][1]["targets"].erase("resident_enrolled");
  doc["units"][2]["targets"].erase("resident_enrolled");
  doc["units"][1]["bases"] = {{"people", 3}};
  doc["units"][2]["bases"] = {{"people", 1}};
  EXPECT_TRUE(check(doc).diagnostics.empty()) << lines(check(doc));
  // No town target: it is implied (60 + 40), nothing to compare.
  json implied = small();
  implied["units"][0].erase("targets");
  EXPECT_TRUE(check(implied).diagnostics.empty()) << lines(check(implied));
}

TEST(PolicyCheck, DatesOutsideTheCampaignWarn) {
  json doc = paid();
  doc["milestones"].push_back({{"id", "early"},
                               {"name", "早"},
                               {"metric", "resident_enrolled"},
                               {"op", ">="},
                               {"value", 1},
                               {"due", "2022-12-31"}});
  doc["milestones"].push_back({{"id", "late"},
                               {"name", "晚"},
                               {"metric", "resident_enrolled"},
                               {"op", ">="},
                               {"value", 1},
                               {"due", "2023-03-01"}});
  doc["work_fund"]["tiers"].push_back({{"deadline", "2023-03-31"}, {"per_person_fen", 50}});
  const PolicyCheck c = check(doc);
  ASSERT_EQ(c.diagnostics.size(), 3u) << lines(c);
  EXPECT_EQ(c.diagnostics[0].path, "milestones[1].due");
  EXPECT_EQ(c.diagnostics[0].message, "due 2022-12-31, before the campaign starts (2023-01-01)");
  EXPECT_EQ(c.diagnostics[1].path, "milestones[2].due");
  EXPECT_EQ(c.diagnostics[1].message,
            "due 2023-03-01, after the campaign ends (campaign.phases[0].end 2023-02-28)");
  EXPECT_EQ(c.diagnostics[2].path, "work_fund.tiers[1].deadline");
  EXPECT_EQ(c.diagnostics[2].message,
            "2023-03-31 is after the campaign ends (campaign.phases[0].end 2023-02-28)");
  // campaign.end, when given, is the end.
  doc["campaign"]["end"] = "2023-03-31";
  const PolicyCheck e = check(doc);
  ASSERT_EQ(e.diagnostics.size(), 1u) << lines(e);
  EXPECT_EQ(e.diagnostics[0].path, "milestones[1].due");
}

TEST(PolicyCheck, AMetricNothingUsesWarns) {
  json doc = small();
  doc["metrics"].push_back({{"id", "visits"}, {"name", "走访户数"}, {"kind", "count"}});
  doc["metrics"].push_back({{"id", "insured"}, {"name", "参保"}, {"kind", "count"}});
  doc["metrics"].push_back({{"id", "rate"},
                            {"name", "参保率"},
                            {"kind", "rate"},
                            {"numerator", "insured"},
                            {"denominator", "resident_enrolled"}});
  doc["units"][1]["targets"]["rate"] = "90%";  // the rate is used, so are its counts
  const PolicyCheck c = check(doc);
  ASSERT_EQ(c.diagnostics.size(), 1u) << lines(c);
  EXPECT_EQ(c.diagnostics[0].path, "metrics[1]");
  EXPECT_EQ(c.diagnostics[0].message.rfind("metric \"visits\" is never used", 0), 0u);
}

TEST(PolicyCheck, ExamplePoliciesHaveOnlyTheirRealWarnings) {
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(CANBAO_SOURCE_DIR "/examples/policies")) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    const PolicyCheck c = canbao::check_policy_file(entry.path().string());
    if (entry.path().filename() == "000-xx-town-2021.json") {
      // Real: 000 二's 十四五 goal (95% by 2025-12-31) is due after the 2021
      // campaign's last phase (总结验收, 2021-12-31); docs/editor.md says so.
      ASSERT_EQ(c.diagnostics.size(), 1u) << lines(c);
      EXPECT_EQ(c.diagnostics[0].path, "milestones[5].due");
      EXPECT_EQ(c.diagnostics[0].message,
                "due 2025-12-31, after the campaign ends (campaign.phases[2].end 2021-12-31)");
    } else {
      EXPECT_TRUE(c.diagnostics.empty()) << entry.path() << "\n" << lines(c);
    }
  }
  EXPECT_EQ(count, 7);
}

// ---------------------------------------------------------------- the CLI

TEST(PolicyCheck, ValidatePrintsEveryDiagnosticAndACount) {
  if (!canbao_test::cli_built()) GTEST_SKIP() << "the CLI is not built";
  json doc = small();
  doc["units"][1]["nmae"] = "x";
  doc["units"][2]["targets"]["resident_enrolled"] = 30;  // would warn, but errors come first
  doc["colour"] = 1;
  const std::string path = canbao_test::unique_temp_path("check.json");
  std::ofstream(path) << doc.dump();
  const auto r = canbao_test::run_cli("validate \"" + path + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path + ": units[1].nmae: unknown key, did you mean \"name\"?"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(path + ": colour: unknown key"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(path + ": 2 errors, 0 warnings\n"), std::string::npos) << r.err;

  // Fixed: the warning alone. Exit 0, or 1 with --strict.
  doc = small();
  doc["units"][2]["targets"]["resident_enrolled"] = 30;
  std::ofstream(path) << doc.dump();
  const auto w = canbao_test::run_cli("validate \"" + path + "\"");
  EXPECT_EQ(w.exit_code, 0) << w.output;
  EXPECT_NE(w.out.find(": ok (fingerprint "), std::string::npos);
  EXPECT_NE(w.err.find(": units[0].targets.resident_enrolled: warning: unit \"town\""),
            std::string::npos)
      << w.err;
  EXPECT_NE(w.err.find(": 0 errors, 1 warning\n"), std::string::npos) << w.err;
  const auto s = canbao_test::run_cli("validate --strict \"" + path + "\"");
  EXPECT_EQ(s.exit_code, 1) << s.output;
  EXPECT_EQ(s.out.find(": ok"), std::string::npos) << s.out;

  const auto j = canbao_test::run_cli("validate --format json \"" + path + "\"");
  EXPECT_EQ(j.exit_code, 0) << j.output;
  const json answer = json::parse(j.out);
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(answer[0]["ok"], true);
  EXPECT_EQ(answer[0]["warnings"], 1);
  EXPECT_EQ(answer[0]["diagnostics"][0]["severity"], "warning");
  EXPECT_EQ(answer[0]["diagnostics"][0]["path"], "units[0].targets.resident_enrolled");
  EXPECT_EQ(canbao_test::run_cli("validate --max-errors 0 \"" + path + "\"").exit_code, 2);
  std::remove(path.c_str());
}

TEST(PolicyCheck, SchemaCommandPrintsTheSchemaFile) {
  if (!canbao_test::cli_built()) GTEST_SKIP() << "the CLI is not built";
  std::ifstream in(CANBAO_SOURCE_DIR "/docs/schema/canbao.policy-1.schema.json", std::ios::binary);
  std::ostringstream file;
  file << in.rdbuf();
  EXPECT_EQ(canbao::policy_json_schema(), file.str());
  const auto r = canbao_test::run_cli("schema");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, file.str());
}

// ---------------------------------------------------------------- agreement

namespace {

// Every object key of `doc` (depth-first), as JSON pointers.
void object_keys(const json& j, const json::json_pointer& at,
                 std::vector<json::json_pointer>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      out.push_back(at / it.key());
      object_keys(it.value(), at / it.key(), out);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) object_keys(j[i], at / i, out);
  }
}

}  // namespace

TEST(PolicyCheck, FirstDiagnosticIsLoadPolicysErrorForEveryDroppedOrMisspelledKey) {
  // 000 and 001 with each key in turn dropped, or misspelled (an "x" added):
  // the check fails exactly when loading does, and its first error is the
  // one load_policy throws, word for word.
  int variants = 0, failing = 0;
  for (const char* name : {"000-xx-town-2021.json", "001-chengjiang-2021.json"}) {
    std::ifstream in(std::string(CANBAO_SOURCE_DIR "/examples/policies/") + name);
    const json doc = json::parse(in);
    std::vector<json::json_pointer> keys;
    object_keys(doc, json::json_pointer(), keys);
    for (const auto& key : keys) {
      for (int misspell = 0; misspell < 2; ++misspell) {
        json edited = doc;
        json& parent = edited[key.parent_pointer()];
        const std::string k = key.back();
        if (misspell) parent[k + "x"] = parent[k];
        parent.erase(k);
        ++variants;
        const std::string loaded = first_load_error(edited);
        const PolicyCheck c = check(edited);
        if (loaded == "(loaded)") {
          EXPECT_EQ(c.errors(), 0u) << key.to_string() << "\n" << lines(c);
          continue;
        }
        ++failing;
        ASSERT_FALSE(c.diagnostics.empty()) << key.to_string();
        EXPECT_EQ(loaded, c.diagnostics[0].path + ": " + c.diagnostics[0].message)
            << key.to_string();
      }
    }
  }
  EXPECT_GT(variants, 400);
  EXPECT_GT(failing, 200);
}
