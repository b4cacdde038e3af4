// Every example policy loads and every progress file is read whole; the
// figures of 000 (what scripts/run-example.sh shows), 001, 003 and 004 are checked
// against values worked out by hand from examples/progress/*.csv.
#include <canbao/ranking.hpp>
#include <canbao/report.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

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

TEST(Examples, EveryExamplePolicyLoads) {
  // Every file in examples/policies, counted: a new example must be added here
  // (and get a case file) on purpose.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(examples / "policies")) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().string());
    names.push_back(load_policy_file(entry.path().string())->campaign.id);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{
                       "chengjiang-2021", "hengyang-expansion", "huangshan-resident-pension",
                       "jinzhou-resident-pension", "shiyan-2023", "shiyan-2023", "xx-town-2021"}));
}

TEST(Examples, EveryProgressFileIsReadWhole) {
  // Observations = data lines of each CSV (wc -l minus the header).
  const std::pair<const char*, std::size_t> files[] = {{"000-xx-town-2021", 266},
                                                       {"001-chengjiang-2021", 305},
                                                       {"003-hengyang", 19},
                                                       {"004-shiyan-2023", 56}};
  for (const auto& [stem, count] : files) {
    SCOPED_TRACE(stem);
    const PolicyPtr p =
        load_policy_file((examples / "policies" / (std::string(stem) + ".json")).string());
    const Progress g =
        read_progress_csv_file(p, (examples / "progress" / (std::string(stem) + ".csv")).string());
    EXPECT_EQ(g.observation_count(), count);
  }
}

TEST(Examples, HengyangSectorRowsAreCountedPerSegmentApartFromTheWhole) {
  // 003 三(二) waves; illustrative rows. On 2008-09-15 the city's whole figure is
  // 3980 + 5600 + 900 = 10480; public_contract 820 + 1150 + 900 = 2870 (the
  // first wave's rows of 07-30); hospitality 410 + 640 = 1050; the third wave 90.
  const PolicyPtr p = load_policy_file((examples / "policies/003-hengyang.json").string());
  const Progress g = read_progress_csv_file(p, (examples / "progress/003-hengyang.csv").string());
  const Date day = d("2008-09-15");
  const int city = p->units.find("hengyang");
  const int m = p->metric_index("expansion_enrolled");
  EXPECT_EQ(g.count(city, m, day), 10480);
  EXPECT_EQ(g.for_segment("public_contract").count(city, m, day), 2870);
  EXPECT_EQ(g.for_segment("hospitality").count(city, m, day), 1050);
  EXPECT_EQ(g.for_segment("finance_logistics_retail").count(city, m, day), 90);
  // Before the second wave's first rows (08-31) its figure is 0.
  EXPECT_EQ(g.for_segment("hospitality").count(city, m, d("2008-08-30")), 0);
  const CampaignReport r = make_report(g, day);
  ASSERT_EQ(r.segments.size(), 3u);
  EXPECT_EQ(r.segments[1].unit_ids, (std::vector<std::string>{"hengyang", "hengnan", "leiyang"}));
}

TEST(Examples, ChengjiangCityAverageIsWeightedPerPayer) {
  // 001 三 人均个人年缴金额: on 12-31 the towns' averages 352, 331, 335, 300, 330, 333
  // over 6081, 33230, 20313, 9296, 7350, 19090 payers give 31515767 / 95360 =
  // 330.49 >= 330 (per enrolled person it would be 329.59, under the target).
  const PolicyPtr p = load_policy_file((examples / "policies/001-chengjiang-2021.json").string());
  const Progress g =
      read_progress_csv_file(p, (examples / "progress/001-chengjiang-2021.csv").string());
  const Date as_of = d("2021-12-31");
  const int city = p->units.find("chengjiang");
  EXPECT_EQ(*g.value(city, p->metric_index("resident_contribution_avg"), as_of),
            Ratio(31515767, 95360));
  EXPECT_EQ(*g.value(city, p->metric_index("resident_enrolled"), as_of), Ratio(106830));
  EXPECT_EQ(*g.value(city, p->metric_index("pneumoconiosis_work_injury_rate"), as_of),
            Ratio(530, 600));
  const auto m = evaluate_milestones(g, as_of);
  ASSERT_EQ(m.size(), 14u);  // the 12-05 summary is a one-off deadline, not a milestone
  std::vector<std::pair<std::string, MilestoneStatus>> city_rows;
  for (const auto& r : m) {
    for (const auto& u : r.units) {
      if (u.unit_id == "chengjiang") city_rows.emplace_back(r.milestone_id, u.status);
    }
  }
  using S = MilestoneStatus;
  EXPECT_EQ(city_rows, (std::vector<std::pair<std::string, MilestoneStatus>>{
                           {"year_end_employee", S::met_on_time},            // 17950 >= 17900
                           {"year_end_city_enrollment", S::met_on_time},     // 106830 >= 106800
                           {"year_end_city_conversion", S::met_on_time},     // 819 >= 800
                           {"year_end_city_contribution", S::met_on_time},   // 330.49 >= 330
                           {"year_end_employee_new", S::met_on_time},        // 5575 >= 5525
                           {"year_end_unemployment", S::missed},             // 11120 < 11150
                           {"year_end_unemployment_new", S::missed},         // 319 < 349
                           {"year_end_work_injury", S::met_on_time},         // 23850 >= 23800
                           {"year_end_work_injury_new", S::met_on_time},     // 446 >= 396
                           {"construction_work_injury_90", S::met_on_time},  // 47/50
                           {"pneumoconiosis_work_injury_90", S::missed}}));  // 530/600
}

TEST(Examples, ShiyanRanksVillagesByPlanCompletionWithBonusAndDeduction) {
  // 004: 600 split with a minimum of 20: 丁村 (base 21) gets 20, the other 580 by
  // 412, 286, 198, 143 -> 230, 160, 110, 80. Points = 100 x min(value / target, 120%),
  // +5 when complete by 09-30, -10 per falsified case.
  const PolicyPtr p = load_policy_file((examples / "policies/004-shiyan-2023.json").string());
  const Progress g =
      read_progress_csv_file(p, (examples / "progress/004-shiyan-2023.csv").string());
  const Date as_of = d("2023-12-31");
  const Ranking r = score_and_rank(g, as_of, completion_dates(g, as_of));
  std::vector<std::tuple<std::string, int, std::string, std::string, bool>> got;
  for (const auto& u : r.units) {
    got.emplace_back(u.unit_id, u.rank, points_string(u.total_micro_points), u.grade,
                     u.eligible_for_awards);
  }
  using Row = std::tuple<std::string, int, std::string, std::string, bool>;
  EXPECT_EQ(got, (std::vector<Row>{
                     {"village-d", 1, "125", "commend", true},  // 28/20 capped at 120 + 5
                     {"village-a", 2, "120", "commend", true},  // 184/160 = 115 + 5
                     {"shiyan-community", 3, "111.086956", "commend", true},  // 244/230 + 5
                     {"village-b", 4, "104.545454", "commend", true},         // 115/110, done 10-31
                     {"village-c", 5, "80", "pass", false}}));                // 72/80 = 90 - 10
}

TEST(Examples, HengyangSplitsItsTaskOverTwelveCountiesAndTheCityUnits) {
  // 003 二: 76000 over the bases (sum 130100) by largest remainder, e.g. 衡阳县
  // 76000 x 21400 / 130100 = 12501.15 -> 12501; the eight largest remainders round up:
  // 石鼓 .998, 雁峰 .915, 衡东 .83, 南岳 .75, 常宁 .741, 衡南 .738, 市直 .58, 驻衡 .4988
  // (珠晖 .4973 just misses).
  const PolicyPtr p = load_policy_file((examples / "policies/003-hengyang.json").string());
  const int m = p->metric_index("expansion_enrolled");
  std::vector<std::pair<std::string, Ratio>> got;
  for (const auto& u : p->units.units) {
    if (u.parent_index() >= 0) got.emplace_back(u.id, u.target(m)->value);
  }
  EXPECT_EQ(got, (std::vector<std::pair<std::string, Ratio>>{{"hengyangxian", Ratio(12501)},
                                                             {"hengnan", Ratio(11041)},
                                                             {"hengshan", Ratio(4264)},
                                                             {"hengdong", Ratio(5725)},
                                                             {"qidong", Ratio(8879)},
                                                             {"leiyang", Ratio(13786)},
                                                             {"changning", Ratio(8237)},
                                                             {"zhuhui", Ratio(2453)},
                                                             {"yanfeng", Ratio(1811)},
                                                             {"shigu", Ratio(2103)},
                                                             {"zhengxiang", Ratio(2278)},
                                                             {"nanyue", Ratio(526)},
                                                             {"shizhi", Ratio(1344)},
                                                             {"zhuheng", Ratio(1052)}}));
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
  ASSERT_EQ(m.size(), 7u);
  // 入库参保率 counts both schemes (000 二): (9630 resident + 1200 employee) / (11400 + 1200)
  // = 85.95% on 06-30; (10224 + 1200) / 12600 = 90.67% on 08-31.
  EXPECT_EQ(m[0].units[0].status, MilestoneStatus::met_late);
  EXPECT_EQ(m[0].units[0].met_on, d("2021-08-31"));
  EXPECT_EQ(*g.value(0, p->metric_index("enrollment_rate"), d("2021-06-30")), Ratio(10830, 12600));
  EXPECT_EQ(*g.value(0, p->metric_index("enrollment_rate"), d("2021-08-31")), Ratio(11424, 12600));
  EXPECT_EQ(m[1].units[0].status, MilestoneStatus::met_on_time);  // 6170 / 9990 = 61.8% on 07-31
  int late = 0;
  for (const auto& u : m[2].units) late += u.status == MilestoneStatus::met_late;
  EXPECT_EQ(late, 3);  // 和平社区, 胜利村, 向阳社区 below 70% on 08-31
  // 十四五: 11776 / 12600 = 93.46% on 12-31 < 95%, due 2025-12-31.
  EXPECT_EQ(m[5].milestone_id, "fyp14_enrollment_rate");
  EXPECT_EQ(m[5].units[0].status, MilestoneStatus::not_yet_due);
  // 动员会 by 06-30 (000 四(一)2): 胜利村 on 07-08, 向阳社区 never.
  EXPECT_EQ(m[6].milestone_id, "june_mobilisation_meeting");
  std::vector<MilestoneStatus> meetings;
  for (const auto& u : m[6].units) meetings.push_back(u.status);
  using S = MilestoneStatus;
  EXPECT_EQ(meetings, (std::vector<MilestoneStatus>{S::met_on_time, S::met_on_time, S::met_on_time,
                                                    S::met_on_time, S::met_on_time, S::met_on_time,
                                                    S::met_late, S::missed}));
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
