// Every example policy loads, and evaluates with its synthetic progress when
// there is one; 000 (what scripts/run-example.sh shows) is checked in detail.
#include <canbao/ranking.hpp>

#include <gtest/gtest.h>

#include <filesystem>

using namespace canbao;
namespace fs = std::filesystem;

namespace {

const fs::path examples = fs::path(CANBAO_SOURCE_DIR) / "examples";

Date d(const char* iso) { return *parse_iso_date(iso); }

const WorkFundPayout& payout(const WorkFundResult& r, const std::string& id) {
  for (const auto& p : r.payouts) {
    if (p.unit_id == id) return p;
  }
  throw std::runtime_error("no payout for " + id);
}

}  // namespace

TEST(Examples, EveryExamplePolicyLoadsAndEvaluatesWithItsProgress) {
  int with_progress = 0;
  for (const auto& entry : fs::directory_iterator(examples / "policies")) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().string());
    const PolicyPtr p = load_policy_file(entry.path().string());
    const fs::path csv = examples / "progress" / (entry.path().stem().string() + ".csv");
    if (!fs::exists(csv)) continue;
    ++with_progress;
    const Progress g = read_progress_csv_file(p, csv.string());
    EXPECT_GT(g.observation_count(), 0u);
    const Date as_of = p->campaign.phases.back().end.date;
    const auto completions = completion_dates(g, as_of);
    const auto milestones = evaluate_milestones(g, as_of);
    EXPECT_EQ(milestones.size(), p->milestones.size());
    if (p->work_fund) {
      EXPECT_GE(evaluate_work_fund(g, as_of, completions).total, Fen(0));
    }
    if (p->scoring) {
      EXPECT_EQ(score_and_rank(g, as_of, completions).units.front().rank, 1);
    }
  }
  EXPECT_GE(with_progress, 3);
}

TEST(Examples, XxTownPaysEachTierAndNothingToTheLateAndUnfinishedVillages) {
  const PolicyPtr p = load_policy_file((examples / "policies/000-xx-town-2021.json").string());
  const Progress g =
      read_progress_csv_file(p, (examples / "progress/000-xx-town-2021.csv").string());
  const Date as_of = d("2021-12-31");
  const auto completions = completion_dates(g, as_of);
  const WorkFundResult w = evaluate_work_fund(g, as_of, completions);
  ASSERT_EQ(w.payouts.size(), 8u);
  EXPECT_EQ(payout(w, "dongfeng").amount, Fen(123'400));  // 1234 insured by 08-31 x 1 yuan
  EXPECT_EQ(payout(w, "hongqi").amount, Fen(199'500));
  EXPECT_EQ(payout(w, "heping").tier, 1);                // reported complete on 10-15 itself
  EXPECT_EQ(payout(w, "heping").amount, Fen(118'880));   // 1486 x 0.8 yuan
  EXPECT_EQ(payout(w, "guangming").tier, 2);             // 10-31 misses 10-15 by two weeks
  EXPECT_EQ(payout(w, "tuanjie").amount, Fen(103'500));  // 1725 x 0.6 yuan
  EXPECT_EQ(payout(w, "shengli").completed_on, d("2021-12-31"));
  EXPECT_EQ(payout(w, "shengli").status, WorkFundStatus::late);
  EXPECT_EQ(payout(w, "shengli").amount, Fen(0));
  EXPECT_FALSE(payout(w, "xiangyang").completed_on);
  EXPECT_EQ(payout(w, "xiangyang").amount, Fen(0));
  EXPECT_EQ(w.total, Fen(677'960));
  EXPECT_EQ(w.total.yuan_string(), "6779.60");
  EXPECT_EQ(w.payer, "县财政");
  // The town's own tasks (the sum of the villages') are done on 10-31.
  EXPECT_EQ(completions[static_cast<std::size_t>(p->units.find("xx-town"))].completed_on,
            d("2021-10-31"));
}

TEST(Examples, XxTownMilestonesShowTheJuneEnrollmentRateMetLate) {
  const PolicyPtr p = load_policy_file((examples / "policies/000-xx-town-2021.json").string());
  const Progress g =
      read_progress_csv_file(p, (examples / "progress/000-xx-town-2021.csv").string());
  const auto m = evaluate_milestones(g, d("2021-12-31"));
  ASSERT_EQ(m.size(), 5u);
  // 9630 / 11400 = 84.5% on 06-30; 10384 / 11400 = 91.1% on 09-30.
  EXPECT_EQ(m[0].units[0].status, MilestoneStatus::met_late);
  EXPECT_EQ(m[0].units[0].met_on, d("2021-09-30"));
  EXPECT_EQ(*g.value(0, p->metric_index("enrollment_rate"), d("2021-06-30")), Ratio(9630, 11400));
  EXPECT_EQ(m[1].units[0].status, MilestoneStatus::met_on_time);  // 6170 / 9990 = 61.8% on 07-31
  int late = 0;
  for (const auto& u : m[2].units) late += u.status == MilestoneStatus::met_late;
  EXPECT_EQ(late, 3);  // 和平社区, 胜利村, 向阳社区 below 70% on 08-31
}

TEST(Examples, XxTownRankingTiesTwoVillagesAndBarsTheUnfinishedOneFromAwards) {
  const PolicyPtr p = load_policy_file((examples / "policies/000-xx-town-2021.json").string());
  const Progress g =
      read_progress_csv_file(p, (examples / "progress/000-xx-town-2021.csv").string());
  const Date as_of = d("2021-12-31");
  const Ranking r = score_and_rank(g, as_of, completion_dates(g, as_of));
  ASSERT_EQ(r.units.size(), 8u);
  std::vector<std::string> ids;
  std::vector<int> ranks;
  for (const auto& u : r.units) {
    ids.push_back(u.unit_id);
    ranks.push_back(u.rank);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"dongfeng", "hongqi", "xinmin", "heping", "guangming",
                                           "tuanjie", "shengli", "xiangyang"}));
  // 东风村 110 points completes first; 红旗村 and 新民村 both 110 on 09-30: tied.
  EXPECT_EQ(ranks, (std::vector<int>{1, 2, 2, 4, 5, 6, 7, 8}));
  EXPECT_EQ(r.units[1].total_micro_points, 110'000'000);
  EXPECT_EQ(r.units[3].grade, "commend");
  EXPECT_EQ(r.units[6].grade, "pass");
  const UnitScore& last = r.units[7];
  EXPECT_EQ(points_string(last.total_micro_points), "96.759259");  // 50 + 50 x 1010/1080
  EXPECT_EQ(last.grade, "criticise");
  EXPECT_FALSE(last.eligible_for_awards);
}
