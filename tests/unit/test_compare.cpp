// compare(): people transitions on the 004 sample roster under the 50/45 age
// rule (004 四(二) says 45/40), and the writers' masking and totals.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <canbao/compare.hpp>
#include <canbao/error.hpp>
#include <canbao/reform.hpp>

namespace canbao {
namespace {

const std::string kDir = CANBAO_SOURCE_DIR "/examples/";

Roster roster004(Date as_of) {
  std::ifstream in(kDir + "rosters/004-sample.csv", std::ios::binary);
  return read_roster(in, "004-sample.csv", as_of, false);
}

TEST(Compare, AgeRule5045MovesOnlyMen45To49AndWomen40To44ToTheEmployeeScheme) {
  const Date as_of = *parse_iso_date("2023-06-30");
  const PolicyPtr base = load_policy_file(kDir + "policies/004-shiyan-2023.json");
  const PolicyPtr reform = apply_reform_file(*base, kDir + "patches/004-age-rule-50-45.json");
  const Roster roster = roster004(as_of);
  const ReformComparison c = compare(base, reform, &roster, {}, as_of, CompareOptions{100});
  ASSERT_TRUE(c.people);
  EXPECT_FALSE(c.payouts);
  EXPECT_EQ(c.people->people, static_cast<std::int64_t>(roster.persons.size()));
  std::int64_t total = 0, changed = 0;
  for (const Transition& t : c.people->transitions) {
    total += t.count;
    if (t.changed()) changed += t.count;
  }
  EXPECT_EQ(total, c.people->people);
  EXPECT_EQ(changed, c.people->changed);
  ASSERT_EQ(c.people->samples.size(), static_cast<std::size_t>(c.people->changed));
  // p02 and p08 of the sample roster (docs/testing-policy-changes.md).
  ASSERT_EQ(c.people->changed, 2);
  for (const PersonChange& p : c.people->samples) {
    // Everyone who changes is in the band the rule moved, and goes resident -> employee.
    if (p.sex == Sex::male) {
      EXPECT_TRUE(p.age >= 45 && p.age <= 49) << p.row_id << " age " << p.age;
    } else {
      EXPECT_TRUE(p.age >= 40 && p.age <= 44) << p.row_id << " age " << p.age;
    }
    EXPECT_EQ(p.before.scheme, Scheme::resident) << p.row_id;
    EXPECT_EQ(p.after.scheme, Scheme::employee) << p.row_id;
    EXPECT_EQ(p.masked_id.find_first_of('*'), 6u) << "masked: first 6 + last 4";
  }
  // p02: the uninsured local woman born 1982-01-01 (41) of issue 3.
  EXPECT_EQ(c.people->samples[0].row_id, "p02");
}

TEST(Compare, SamplesAreCappedAndOutputsNeverShowAWholeIdNumber) {
  const Date as_of = *parse_iso_date("2023-06-30");
  const PolicyPtr base = load_policy_file(kDir + "policies/004-shiyan-2023.json");
  const PolicyPtr reform = apply_reform_file(*base, kDir + "patches/004-age-rule-50-45.json");
  const Roster roster = roster004(as_of);
  const ReformComparison c = compare(base, reform, &roster, {}, as_of, CompareOptions{1});
  EXPECT_EQ(c.people->samples.size(), 1u);
  std::ostringstream text, json, csv;
  write_comparison_text(c, text);
  write_comparison_json(c, json);
  write_comparison_csv(c, csv);
  // p02's number from the roster, never whole in any format.
  for (const std::string& out : {text.str(), json.str(), csv.str()}) {
    EXPECT_EQ(out.find("50011519820101202X"), std::string::npos);
    EXPECT_NE(out.find(base->fingerprint()), std::string::npos);
    EXPECT_NE(out.find(reform->fingerprint()), std::string::npos);
  }
  const auto j = nlohmann::json::parse(json.str());
  EXPECT_EQ(j["people"]["samples"][0]["id_number_masked"], "500115********202X");
  EXPECT_EQ(j["reform_provenance"]["patch_kind"], "json_patch");
}

TEST(Compare, SamePolicyChangesNothing) {
  const PolicyPtr base = load_policy_file(kDir + "policies/000-xx-town-2021.json");
  std::ifstream in(kDir + "progress/000-xx-town-2021.csv");
  std::ostringstream s;
  s << in.rdbuf();
  const ReformComparison c = compare(base, base, nullptr, progress_from_csv_text(s.str(), "p.csv"),
                                     *parse_iso_date("2021-12-31"));
  EXPECT_EQ(c.payouts->units_changed, 0);
  EXPECT_EQ(c.payouts->total_delta.count(), 0);
  EXPECT_EQ(c.payouts->total_before.count(), 677960);
  EXPECT_EQ(c.scores->units_changed, 0);
  EXPECT_TRUE(c.milestones->empty());
}

TEST(Compare, MovedMilestoneDueDateIsReportedNewlyMissed) {
  const PolicyPtr base = load_policy_file(kDir + "policies/000-xx-town-2021.json");
  // 000 四(一): contribution rate >= 60% by end of July (xx-town met it on 07-31).
  const PolicyPtr reform = apply_reform(*base, R"([
    {"op": "test", "path": "/milestones/1/id", "value": "july_payment_rate"},
    {"op": "replace", "path": "/milestones/1/due", "value": "2021-07-15"}])");
  std::ifstream in(kDir + "progress/000-xx-town-2021.csv");
  std::ostringstream s;
  s << in.rdbuf();
  const ReformComparison c =
      compare(base, reform, nullptr, progress_from_csv_text(s.str(), "p.csv"),
              *parse_iso_date("2021-12-31"));
  ASSERT_EQ(c.milestones->size(), 1u);
  const MilestoneChange& m = c.milestones->front();
  EXPECT_EQ(m.milestone_id, "july_payment_rate");
  EXPECT_EQ(m.unit_id, "xx-town");
  EXPECT_EQ(m.kind, MilestoneChange::Kind::newly_missed);
  EXPECT_EQ(*m.before, MilestoneStatus::met_on_time);
  EXPECT_EQ(*m.after, MilestoneStatus::met_late);
}

TEST(Compare, NeedsSomethingToCompareAndRecommendationForARoster) {
  const PolicyPtr p000 = load_policy_file(kDir + "policies/000-xx-town-2021.json");
  const Date as_of = *parse_iso_date("2023-06-30");
  EXPECT_THROW(compare(p000, p000, nullptr, {}, as_of), ArgumentError);
  const Roster roster = roster004(as_of);
  try {
    compare(p000, p000, &roster, {}, as_of);
    FAIL();
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where(), "base policy: recommendation");
  }
}

}  // namespace
}  // namespace canbao
