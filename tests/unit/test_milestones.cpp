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
  // The town gives no targets; its villages' (1,200 enrolled, 1,000 paid
  // each) add up to implied targets of 4,800 and 4,000, first met when the
  // last village reports: 4 x 1,234 enrolled and 4 x 1,100 paid on 12-01.
  EXPECT_TRUE(c[0].evaluated);
  EXPECT_EQ(c[0].completed_on, d("2021-12-01"));
  EXPECT_EQ(c[1].completed_on, d("2021-09-30"));
  EXPECT_EQ(c[4].completed_on, d("2021-12-01"));
  // Only enrollment reported: paid is still 0, so not complete.
  const Progress half =
      Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-06-30"), 5000}});
  EXPECT_FALSE(completion_dates(half, d("2021-12-31"))[1].completed_on);
}

namespace {

// "到11月参保缴费率达到80%" (issue 9): v1 pays 800 of 1,000 enrolled (80%) on
// 10-31, then enrollment grows to 1,040 with 780 paying (75%) on 11-30.
// v2 reaches 80% only on 12-31 (816 of 1,020); v3 reaches 80% on 10-31, falls
// to 75% on 11-30 and is back at 80% (832 of 1,040) on 12-31.
PolicyPtr november_policy() {
  return load_policy(R"({
    "schema": "canbao.policy/1",
    "campaign": {"id": "nov", "title": "t", "year": 2021,
                 "phases": [{"id": "all", "name": "全年", "start": "2021-06-01", "end": "2021-12-31"}]},
    "metrics": [
      {"id": "enrolled", "name": "参保人数", "kind": "count"},
      {"id": "paid", "name": "缴费人数", "kind": "count"},
      {"id": "payment_rate", "name": "参保缴费率", "kind": "rate", "numerator": "paid", "denominator": "enrolled"}
    ],
    "units": [{"id": "v1", "name": "一村", "level": "village"}, {"id": "v2", "name": "二村", "level": "village"},
              {"id": "v3", "name": "三村", "level": "village"}],
    "milestones": [{"id": "nov80", "name": "到11月参保缴费率达到80%", "metric": "payment_rate",
                    "op": ">=", "value": "80%", "due": "2021-11-30", "scope": "all"}]
  })");
}

Progress november_progress(const PolicyPtr& p) {
  std::vector<Observation> obs = {
      {"v1", "enrolled", d("2021-10-31"), 1000}, {"v1", "paid", d("2021-10-31"), 800},
      {"v1", "enrolled", d("2021-11-30"), 1040}, {"v1", "paid", d("2021-11-30"), 780},
      {"v2", "enrolled", d("2021-10-31"), 1000}, {"v2", "paid", d("2021-10-31"), 700},
      {"v2", "enrolled", d("2021-12-31"), 1020}, {"v2", "paid", d("2021-12-31"), 816},
      {"v3", "enrolled", d("2021-10-31"), 1000}, {"v3", "paid", d("2021-10-31"), 800},
      {"v3", "enrolled", d("2021-11-30"), 1040}, {"v3", "paid", d("2021-11-30"), 780},
      {"v3", "paid", d("2021-12-31"), 832},
  };
  return Progress::from_records(p, obs);
}

}  // namespace

TEST(Milestones, ReachedEarlierButBelowOnTheDueDateIsLostNotMet) {
  const PolicyPtr p = november_policy();
  const Progress g = november_progress(p);
  // As of 11-30 (the due date): v1 is at 780 / 1040 = 75%, so it is not met,
  // although it reached 80% on 10-31.
  const auto r = evaluate_milestones(g, d("2021-11-30"));
  const MilestoneUnitResult& v1 = r[0].units[0];
  EXPECT_EQ(v1.status, MilestoneStatus::lost);
  EXPECT_STREQ(milestone_status_name(v1.status), "lost");
  EXPECT_EQ(v1.reached_on, d("2021-10-31"));
  EXPECT_FALSE(v1.met_on);
  // v2 never reached 80% by the due date (70%): missed, nothing reached.
  EXPECT_EQ(r[0].units[1].status, MilestoneStatus::missed);
  EXPECT_FALSE(r[0].units[1].reached_on);
}

TEST(Milestones, NotHoldingOnTheDueDateButLaterIsMetLateOnTheFirstDayAfter) {
  const PolicyPtr p = november_policy();
  const auto r = evaluate_milestones(november_progress(p), d("2021-12-31"));
  // v1 stays at 75%: still lost as of 12-31.
  EXPECT_EQ(r[0].units[0].status, MilestoneStatus::lost);
  // v2: 816 / 1020 = 80% on 12-31, after the due date.
  EXPECT_EQ(r[0].units[1].status, MilestoneStatus::met_late);
  EXPECT_EQ(r[0].units[1].met_on, d("2021-12-31"));
  EXPECT_EQ(r[0].units[1].reached_on, d("2021-12-31"));
  // v3: reached 10-31, lost on 11-30, 832 / 1040 = 80% again on 12-31: late,
  // on the day after the due date that it held, not on 10-31.
  EXPECT_EQ(r[0].units[2].status, MilestoneStatus::met_late);
  EXPECT_EQ(r[0].units[2].met_on, d("2021-12-31"));
  EXPECT_EQ(r[0].units[2].reached_on, d("2021-10-31"));
}

TEST(Milestones, BeforeTheDueDateAReachedValueIsReachedNotMet) {
  const PolicyPtr p = november_policy();
  // As of 11-15, v1 holds 80% (since 10-31), but the due date has not come.
  const auto r = evaluate_milestones(november_progress(p), d("2021-11-15"));
  EXPECT_EQ(r[0].units[0].status, MilestoneStatus::reached);
  EXPECT_EQ(r[0].units[0].met_on, d("2021-10-31"));
  EXPECT_EQ(r[0].units[1].status, MilestoneStatus::not_yet_due);
  EXPECT_FALSE(r[0].units[1].met_on);
}

TEST(Milestones, HoldingOnTheDueDateIsMetOnTimeFromTheDayFirstReached) {
  const PolicyPtr p = november_policy();
  // Move v1's November report after the due date: on 11-30 it still holds 80%.
  std::vector<Observation> obs = {{"v1", "enrolled", d("2021-10-31"), 1000},
                                  {"v1", "paid", d("2021-10-31"), 800},
                                  {"v1", "enrolled", d("2021-12-01"), 1040},
                                  {"v1", "paid", d("2021-12-01"), 780}};
  const auto r = evaluate_milestones(Progress::from_records(p, obs), d("2021-12-31"));
  EXPECT_EQ(r[0].units[0].status, MilestoneStatus::met_on_time);
  EXPECT_EQ(r[0].units[0].met_on, d("2021-10-31"));
}
