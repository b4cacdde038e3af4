#include <canbao/evaluation.hpp>

#include <gtest/gtest.h>

using namespace canbao;

namespace {

const std::string data_dir = std::string(CANBAO_SOURCE_DIR) + "/tests/data/progress/";

Date d(const char* iso) { return *parse_iso_date(iso); }

// Town enrollment rate: 85% on 06-30, 92% on 07-31. Village payment rates on
// 08-31: v1 75%, v2 65% then 72% on 09-30, v3 60%, v4 no reports.
Progress progress(const PolicyPtr& p) {
  std::vector<Observation> obs;
  for (const char* v : {"v1", "v2", "v3"}) {
    obs.push_back({v, "resident_should_enroll", d("2021-06-30"), 1000});
    obs.push_back({v, "resident_enrolled", d("2021-06-30"), 850});
    obs.push_back({v, "resident_enrolled", d("2021-07-31"), 920});
  }
  obs.push_back({"v4", "resident_should_enroll", d("2021-06-30"), 0});
  obs.push_back({"v1", "resident_paid", d("2021-08-31"), 690});  // 690 / 920 = 75%
  obs.push_back({"v2", "resident_paid", d("2021-08-31"), 598});  // 65%
  obs.push_back({"v2", "resident_paid", d("2021-09-30"), 663});  // 72%
  obs.push_back({"v3", "resident_paid", d("2021-08-31"), 552});  // 60%
  return Progress::from_records(p, obs);
}

}  // namespace

TEST(Milestones, RateReachedAfterItsDueDateIsMetLateOnTheDayItWasReached) {
  const PolicyPtr p = load_policy_file(data_dir + "tiers-policy.json");
  const std::vector<MilestoneResult> r = evaluate_milestones(progress(p), d("2021-12-31"));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].milestone_id, "june_rate");
  ASSERT_EQ(r[0].units.size(), 1u);
  EXPECT_EQ(r[0].units[0].unit_id, "town");
  EXPECT_EQ(r[0].units[0].status, MilestoneStatus::met_late);
  EXPECT_EQ(r[0].units[0].met_on, d("2021-07-31"));
}

TEST(Milestones, EachVillageInScopeGetsItsOwnStatus) {
  const PolicyPtr p = load_policy_file(data_dir + "tiers-policy.json");
  const std::vector<MilestoneResult> r = evaluate_milestones(progress(p), d("2021-12-31"));
  const auto& units = r[1].units;
  ASSERT_EQ(units.size(), 4u);
  EXPECT_EQ(units[0].status, MilestoneStatus::met_on_time);
  EXPECT_EQ(units[0].met_on, d("2021-08-31"));
  EXPECT_EQ(units[1].status, MilestoneStatus::met_late);
  EXPECT_EQ(units[1].met_on, d("2021-09-30"));
  EXPECT_EQ(units[2].status, MilestoneStatus::missed);
  EXPECT_FALSE(units[2].met_on);
  // v4 has no enrolled people: its payment rate is undefined, never met.
  EXPECT_EQ(units[3].status, MilestoneStatus::missed);
  EXPECT_STREQ(milestone_status_name(units[3].status), "missed");
}

TEST(Milestones, UnmetMilestoneBeforeItsDueDateIsNotYetDue) {
  const PolicyPtr p = load_policy_file(data_dir + "tiers-policy.json");
  const std::vector<MilestoneResult> r = evaluate_milestones(progress(p), d("2021-08-15"));
  EXPECT_EQ(r[1].units[0].status, MilestoneStatus::not_yet_due);
  // As of 06-29 nothing has been reported: the 06-30 milestone is still open.
  const std::vector<MilestoneResult> early = evaluate_milestones(progress(p), d("2021-06-29"));
  EXPECT_EQ(early[0].units[0].status, MilestoneStatus::not_yet_due);
  // On the due day itself the progress is final.
  const std::vector<MilestoneResult> due = evaluate_milestones(progress(p), d("2021-06-30"));
  EXPECT_EQ(due[0].units[0].status, MilestoneStatus::missed);
}

TEST(Completion, FirstDayEveryTaskHoldsIsTheCompletionDate) {
  const PolicyPtr p = load_policy_file(data_dir + "tiers-policy.json");
  const Progress g = read_progress_csv_file(p, data_dir + "tiers-progress.csv");
  const std::vector<UnitCompletion> c = completion_dates(g, d("2021-12-31"));
  ASSERT_EQ(c.size(), 5u);
  EXPECT_FALSE(c[0].evaluated);  // the town has no targets to complete
  EXPECT_EQ(c[1].completed_on, d("2021-09-30"));
  EXPECT_EQ(c[4].completed_on, d("2021-12-01"));
  // Only enrollment reported: paid is still 0, so not complete.
  const Progress half =
      Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-06-30"), 5000}});
  EXPECT_FALSE(completion_dates(half, d("2021-12-31"))[1].completed_on);
}
