// The campaign report on seed 000 (XX town, 2021). Every expected figure below
// was worked out by hand from examples/progress/000-xx-town-2021.csv and the
// policy's targets, tiers and grade bands; the comments show the arithmetic.
#include <canbao/report.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/progress.hpp>

#include "source_files.hpp"

namespace canbao {
namespace {

const std::string& kPolicy = canbao_test::kXxTownPolicy;
const std::string& kProgress = canbao_test::kXxTownProgress;
using canbao_test::day;
using Example = canbao_test::XxTown;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const UnitCompletion& completion(const CampaignReport& r, const std::string& id) {
  for (const auto& c : r.completions) {
    if (c.unit_id == id) return c;
  }
  throw std::runtime_error("no completion for " + id);
}

const MilestoneReport& milestone(const CampaignReport& r, const std::string& id) {
  for (const auto& m : r.milestones) {
    if (m.result.milestone_id == id) return m;
  }
  throw std::runtime_error("no milestone " + id);
}

const WorkFundPayout& payout(const CampaignReport& r, const std::string& id) {
  for (const auto& p : r.work_fund->payouts) {
    if (p.unit_id == id) return p;
  }
  throw std::runtime_error("no payout for " + id);
}

std::string text_of(const Example& ex, const CampaignReport& r) {
  std::ostringstream out;
  write_report_text(r, *ex.policy, out);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ReportModel, YearEndCompletionDatesAreTheFirstDayBothTasksHold) {
  const Example ex;
  const CampaignReport r = ex.report("2021-12-31");
  EXPECT_EQ(r.campaign_id, "xx-town-2021");
  EXPECT_EQ(r.campaign_year, 2021);
  EXPECT_EQ(r.policy_fingerprint, ex.policy->fingerprint());
  EXPECT_EQ(r.as_of, day("2021-12-31"));
  // dongfeng: enrolled 1215 < 1220 on 07-31, 1234 on 08-31 with paid 1012 >= 1000.
  EXPECT_EQ(completion(r, "dongfeng").completed_on, day("2021-08-31"));
  // hongqi: enrolled 1960 < 1980 on 08-31; 1995 and paid 1668 >= 1650 on 09-30.
  EXPECT_EQ(completion(r, "hongqi").completed_on, day("2021-09-30"));
  // heping: 1472 < 1480 on 09-30; the mid-month row 10-15 has 1486 and 1207 >= 1200.
  EXPECT_EQ(completion(r, "heping").completed_on, day("2021-10-15"));
  // guangming: paid 530 < 560 on 09-30, 566 on 10-31 (enrolled 703 >= 700).
  EXPECT_EQ(completion(r, "guangming").completed_on, day("2021-10-31"));
  // tuanjie: 1712 < 1720 on 10-31, 1725 and 1398 >= 1390 on 11-30.
  EXPECT_EQ(completion(r, "tuanjie").completed_on, day("2021-11-30"));
  // shengli: 1132 < 1140 on 11-30, 1145 and 935 >= 920 on 12-31.
  EXPECT_EQ(completion(r, "shengli").completed_on, day("2021-12-31"));
  // xiangyang: paid 1010 < 1080 on the last day.
  EXPECT_FALSE(completion(r, "xiangyang").completed_on.has_value());
  // The town (targets 10470 / 8540): on 10-15 enrolled sums to 10398; on 10-31
  // to 10483 with paid 8606.
  EXPECT_EQ(completion(r, "xx-town").completed_on, day("2021-10-31"));
}

TEST(ReportModel, YearEndCalendarIsTheAcceptancePhaseWithNoReportingCadence) {
  const Example ex;
  const CampaignReport r = ex.report("2021-12-31");
  ASSERT_EQ(r.active_phases.size(), 1u);
  EXPECT_EQ(r.active_phases[0].id, "acceptance");
  EXPECT_FALSE(r.next_reporting_deadline.has_value());  // 000 sets no cadence
}

TEST(ReportModel, MilestonesCarryStatusMetDayAndTheValueOnTheDueDate) {
  const Example ex;
  const CampaignReport r = ex.report("2021-12-31");
  // 000: June, July, August, November, year end, the 十四五 goal and the June
  // mobilisation meetings.
  ASSERT_EQ(r.milestones.size(), 7u);
  // June (入库参保率, both schemes): town enrolled 10830 of 12600 should-enroll =
  // 85.95% < 90% on 06-30; first >= 90% on 08-31 (11424 >= 11340), late.
  const MilestoneReport& june = milestone(r, "june_enrollment_rate");
  ASSERT_EQ(june.result.units.size(), 1u);
  EXPECT_EQ(june.result.units[0].status, MilestoneStatus::met_late);
  EXPECT_EQ(june.result.units[0].met_on, day("2021-08-31"));
  EXPECT_EQ(june.value_on_due[0], Ratio(10830, 12600));
  // July: paid 6170 of enrolled 9990 = 61.8% on 07-31 (4170 / 9630 before).
  const MilestoneReport& july = milestone(r, "july_payment_rate");
  EXPECT_EQ(july.result.units[0].status, MilestoneStatus::met_on_time);
  EXPECT_EQ(july.result.units[0].met_on, day("2021-07-31"));
  // August, every village >= 70%: heping 990/1455, shengli 720/1080 and
  // xiangyang 820/1265 fall short; heping and shengli pass on 09-30, xiangyang
  // only on 10-31 (900/1290 = 69.8% on 09-30, 950/1310 on 10-31).
  const MilestoneReport& aug = milestone(r, "august_village_payment_rate");
  ASSERT_EQ(aug.result.units.size(), 8u);
  for (std::size_t i = 0; i < aug.result.units.size(); ++i) {
    const auto& u = aug.result.units[i];
    if (u.unit_id == "heping" || u.unit_id == "shengli") {
      EXPECT_EQ(u.status, MilestoneStatus::met_late) << u.unit_id;
      EXPECT_EQ(u.met_on, day("2021-09-30")) << u.unit_id;
    } else if (u.unit_id == "xiangyang") {
      EXPECT_EQ(u.status, MilestoneStatus::met_late);
      EXPECT_EQ(u.met_on, day("2021-10-31"));
      EXPECT_EQ(aug.value_on_due[i], Ratio(820, 1265));
    } else {
      EXPECT_EQ(u.status, MilestoneStatus::met_on_time) << u.unit_id;
    }
    if (u.unit_id == "heping") {
      EXPECT_EQ(aug.value_on_due[i], Ratio(990, 1455));
    }
  }
}

TEST(ReportModel, WorkFundPaysTheTierOfTheCompletionDateTimesEnrolledThen) {
  const Example ex;
  const CampaignReport r = ex.report("2021-12-31");
  ASSERT_TRUE(r.work_fund.has_value());
  ASSERT_EQ(r.work_fund->payouts.size(), 8u);                // villages only, not the town
  EXPECT_EQ(payout(r, "dongfeng").amount, Fen(1234 * 100));  // 08-31, tier 1: 1234 x 1.00
  EXPECT_EQ(payout(r, "dongfeng").tier, 0);
  EXPECT_EQ(payout(r, "hongqi").amount, Fen(1995 * 100));
  EXPECT_EQ(payout(r, "xinmin").amount, Fen(905 * 100));
  EXPECT_EQ(payout(r, "heping").tier, 1);                        // 10-15 is the second deadline
  EXPECT_EQ(payout(r, "heping").amount, Fen(1486 * 80));         // 1188.80 yuan
  EXPECT_EQ(payout(r, "guangming").amount, Fen(703 * 60));       // 10-31, tier 3: 421.80
  EXPECT_EQ(payout(r, "tuanjie").amount, Fen(1725 * 60));        // 11-30 is still tier 3
  EXPECT_EQ(payout(r, "shengli").status, WorkFundStatus::late);  // 12-31: after every deadline
  EXPECT_EQ(payout(r, "shengli").amount, Fen(0));                // late rule "zero"
  EXPECT_EQ(payout(r, "xiangyang").status, WorkFundStatus::late);
  // 1234 + 1995 + 905 + 1188.80 + 421.80 + 1035 = 6779.60 yuan.
  EXPECT_EQ(r.work_fund->total, Fen(677960));
  EXPECT_EQ(r.work_fund->payer, "县财政");
}

TEST(ReportModel, RankingGradesAndAwardEligibility) {
  const Example ex;
  const CampaignReport r = ex.report("2021-12-31");
  ASSERT_TRUE(r.ranking.has_value());
  ASSERT_EQ(r.ranking->units.size(), 8u);
  std::vector<std::string> order;
  for (const auto& u : r.ranking->units) order.push_back(u.unit_id);
  // 110 = 100 + 10 (done by 09-30): dongfeng first by earlier completion (08-31),
  // hongqi and xinmin share 09-30 and rank 2; heping 108; guangming 105 (10-31)
  // before tuanjie 105 (11-30); shengli 100; xiangyang 50 + 50 x 1010/1080.
  EXPECT_EQ(order, (std::vector<std::string>{"dongfeng", "hongqi", "xinmin", "heping", "guangming",
                                             "tuanjie", "shengli", "xiangyang"}));
  const std::vector<int> ranks = {1, 2, 2, 4, 5, 6, 7, 8};
  const std::vector<std::int64_t> points = {110, 110, 110, 108, 105, 105, 100};
  for (std::size_t i = 0; i < r.ranking->units.size(); ++i) {
    EXPECT_EQ(r.ranking->units[i].rank, ranks[i]) << order[i];
    if (i < points.size()) {
      EXPECT_EQ(r.ranking->units[i].total_micro_points, points[i] * 1'000'000) << order[i];
    }
  }
  const UnitScore& last = r.ranking->units.back();
  EXPECT_EQ(last.total_micro_points, 50'000'000 + 46'759'259);  // 50 x 1010 / 1080 = 46.7592592...
  EXPECT_EQ(last.grade, "criticise");
  EXPECT_FALSE(last.eligible_for_awards);
  EXPECT_EQ(r.ranking->units[3].grade, "commend");  // heping: 108 reaches the band exactly
  EXPECT_EQ(r.ranking->units[4].grade, "pass");
}

TEST(ReportModel, AMidSeptemberReportReadsNothingLater) {
  const Example ex;
  const CampaignReport r = ex.report("2021-09-15");
  ASSERT_EQ(r.active_phases.size(), 1u);
  EXPECT_EQ(r.active_phases[0].id, "consolidation");
  EXPECT_EQ(completion(r, "dongfeng").completed_on, day("2021-08-31"));
  EXPECT_FALSE(completion(r, "hongqi").completed_on.has_value());  // its 09-30 row is in the future
  EXPECT_EQ(payout(r, "dongfeng").amount, Fen(123400));
  EXPECT_EQ(payout(r, "hongqi").status, WorkFundStatus::not_complete);  // deadlines still open
  EXPECT_EQ(r.work_fund->total, Fen(123400));
  // November's milestone is not due yet; its value is taken on as_of (the
  // 08-31 rows): town paid 7342 of enrolled 10224.
  const MilestoneReport& nov = milestone(r, "november_payment_rate");
  EXPECT_EQ(nov.result.units[0].status, MilestoneStatus::not_yet_due);
  EXPECT_EQ(nov.value_on_due[0], Ratio(7342, 10224));
}

TEST(ReportModel, NextReportingDeadlineFollowsThePolicyCadence) {
  // 001: from May to December, progress to the end of last month is due on the 2nd.
  const PolicyPtr policy = load_policy_file(std::string(CANBAO_SOURCE_DIR) +
                                            "/examples/policies/001-chengjiang-2021.json");
  const Progress progress = Progress::from_records(policy, {});
  const CampaignReport r = make_report(progress, day("2021-06-15"));
  ASSERT_TRUE(r.next_reporting_deadline.has_value());
  EXPECT_EQ(r.next_reporting_deadline->due, day("2021-07-02"));
  EXPECT_EQ(r.next_reporting_deadline->covers_until, day("2021-06-30"));
}

TEST(ReportText, DisplayWidthCountsWideCharactersTwice) {
  EXPECT_EQ(display_width(""), 0);
  EXPECT_EQ(display_width("abc"), 3);
  EXPECT_EQ(display_width("东风村"), 6);
  EXPECT_EQ(display_width("XX镇 xx-town"), 12);
  EXPECT_EQ(display_width("（"), 2);  // fullwidth parenthesis
  EXPECT_EQ(display_width("≤"), 1);   // ambiguous width: narrow outside CJK locales
  EXPECT_EQ(display_width("—"), 1);
  EXPECT_EQ(display_width("e\xCC\x81"), 1);  // e + combining acute
  EXPECT_EQ(display_width("\xFF"
                          "a"),
            2);                             // an invalid byte counts as one column
  EXPECT_EQ(display_width("\xE4\xB8"), 2);  // truncated sequence: one column per byte
}

TEST(ReportText, NamesIdsTotalsStatusesAndTraceability) {
  const Example ex;
  const std::string text = text_of(ex, ex.report("2021-12-31"));
  for (const char* name :
       {"东风村 dongfeng", "红旗村 hongqi", "新民村 xinmin", "和平社区 heping", "光明村 guangming",
        "团结村 tuanjie", "胜利村 shengli", "向阳社区 xiangyang"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
  EXPECT_NE(text.find(ex.policy->fingerprint()), std::string::npos);
  EXPECT_NE(text.find("2021-12-31"), std::string::npos);
  EXPECT_NE(text.find("6779.60"), std::string::npos);  // the work-fund total in yuan
  EXPECT_NE(text.find("1188.80"), std::string::npos);  // heping: 1486 x 0.80
  EXPECT_NE(text.find("第2档 (≤2021-10-15, 0.80元/人)"), std::string::npos);
  EXPECT_NE(text.find("逾期 (不予拨付)"), std::string::npos);
  EXPECT_NE(text.find("逾期完成"), std::string::npos);
  EXPECT_NE(text.find("通报批评"), std::string::npos);
  EXPECT_NE(text.find("96.759259"), std::string::npos);  // xiangyang's exact score
  EXPECT_NE(text.find("68.04%"), std::string::npos);     // heping's 990/1455 on 08-31
  EXPECT_NE(text.find("66.66%"), std::string::npos);  // shengli's 720/1080, truncated not rounded
  EXPECT_NE(text.find("总结验收 [acceptance]"), std::string::npos);
}

TEST(ReportText, EveryTableRowHasTheSameDisplayWidth) {
  const Example ex;
  // The tables per day: completion, seven milestones, work fund, ranking, then
  // the projections' tables: one per milestone due after the day (07-15: july,
  // august, november, year-end, 14th five-year plan; 12-31: the last one) and
  // the projected work fund; last the action list (issue 13).
  for (const auto& [as_of, expected] : {std::pair<const char*, int>{"2021-07-15", 17},
                                        std::pair<const char*, int>{"2021-12-31", 13}}) {
    const std::vector<std::string> lines = lines_of(text_of(ex, ex.report(as_of)));
    // Tables are blocks between blank lines containing a rule of dashes.
    int tables = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= lines.size(); ++i) {
      if (i < lines.size() && !lines[i].empty()) continue;
      bool is_table = false;
      for (std::size_t k = start; k < i; ++k) {
        is_table = is_table || (lines[k].size() > 4 && lines[k].find_first_not_of(' ') == 2 &&
                                lines[k].find_first_not_of('-', 2) == std::string::npos);
      }
      if (is_table) {
        ++tables;
        const int width = display_width(lines[start]);
        for (std::size_t k = start; k < i; ++k)
          EXPECT_EQ(display_width(lines[k]), width) << as_of << ": " << lines[k];
      }
      start = i + 1;
    }
    EXPECT_EQ(tables, expected) << as_of;
  }
}

TEST(ReportText, SameInputSameBytes) {
  const Example ex;
  EXPECT_EQ(text_of(ex, ex.report("2021-10-20")), text_of(ex, ex.report("2021-10-20")));
  const Example again;
  EXPECT_EQ(text_of(ex, ex.report("2021-10-20")), text_of(again, again.report("2021-10-20")));
}

TEST(ReportCsv, PayoutsOneRowPerVillageAndATotalInFen) {
  const Example ex;
  const CampaignReport r = ex.report("2021-12-31");
  std::ostringstream out;
  write_payouts_csv(*r.work_fund, *ex.policy, out);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 10u);  // header, 8 villages, total
  EXPECT_EQ(lines[0],
            "unit_id,name,completed_on,status,tier,deadline,per_person_yuan,basis,basis_on,amount_"
            "yuan,amount_fen");
  EXPECT_EQ(lines[4],
            "heping,和平社区,2021-10-15,tier,2,2021-10-15,0.80,1486,2021-10-15,1188.80,118880");
  EXPECT_EQ(lines[8], "xiangyang,向阳社区,,late,,,0.00,1335,2021-12-31,0.00,0");
  EXPECT_EQ(lines[9], ",合计,,,,,,,,6779.60,677960");
}

TEST(ReportCsv, NamesWithCommasAndQuotesAreQuoted) {
  std::ifstream in(kPolicy);
  std::stringstream doc;
  doc << in.rdbuf();
  std::string text = doc.str();
  const std::string from = "\"东风村\"";
  text.replace(text.find(from), from.size(), "\"东风村, \\\"一组\\\"\"");
  const PolicyPtr policy = load_policy(text, "patched");
  const Progress progress = read_progress_csv_file(policy, kProgress);
  const CampaignReport r = make_report(progress, day("2021-12-31"));
  std::ostringstream out;
  write_scores_csv(*r.ranking, *policy, out);
  const auto lines = lines_of(out.str());
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(
      lines[1].rfind("1,dongfeng,\"东风村, "
                     "\"\"一组\"\"\",110,110000000,commend,通报表扬,commend,true,2021-08-31,10,",
                     0),
      0u)
      << lines[1];
}

TEST(ReportCsv, ScoresListMissedTargetsAndExactPoints) {
  const Example ex;
  const CampaignReport r = ex.report("2021-12-31");
  std::ostringstream out;
  write_scores_csv(*r.ranking, *ex.policy, out);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(
      lines[8],
      "8,xiangyang,向阳社区,96.759259,96759259,criticise,通报批评,criticise,false,,0,1.003759,50,0."
      "935185,46.759259,resident_paid");
}

TEST(ReportJson, CallJsonReportSerialisesTheSameReport) {
  const Example ex;
  const std::string request = nlohmann::json{
      {"op", "report"},
      {"as_of", "2021-12-31"},
      {"progress_csv",
       read_file(kProgress)}}.dump();
  const auto j = nlohmann::json::parse(call_json(*ex.policy, request));
  EXPECT_EQ(j["campaign"], "xx-town-2021");
  EXPECT_EQ(j["campaign_year"], 2021);
  EXPECT_EQ(j["fingerprint"], ex.policy->fingerprint());
  EXPECT_EQ(j["phases"].size(), 1u);
  EXPECT_TRUE(j["next_reporting_deadline"].is_null());
  EXPECT_EQ(j["work_fund"]["total_fen"], 677960);
  EXPECT_EQ(j["scores"]["units"][7]["unit_id"], "xiangyang");
  // august_village_payment_rate, heping (4th village): 990 / 1455 = 0.680412...
  const auto& aug = j["milestones"][2];
  EXPECT_EQ(aug["id"], "august_village_payment_rate");
  EXPECT_EQ(aug["units"][3]["unit_id"], "heping");
  EXPECT_EQ(aug["units"][3]["status"], "met_late");
  EXPECT_EQ(aug["units"][3]["value_on_due"], "0.680412");
}

TEST(ReportText, LostMilestoneIsNotMetAndShowsWhenItWasFirstReached) {
  // "到11月参保缴费率达到80%": 800 / 1000 = 80% on 10-31, 780 / 1040 = 75% on
  // 11-30 (the due date). The report must not say 按时完成 next to 75.00%.
  const PolicyPtr p = load_policy(R"({
    "schema": "canbao.policy/1",
    "campaign": {"id": "nov", "title": "t", "year": 2021,
                 "phases": [{"id": "all", "name": "全年", "start": "2021-06-01", "end": "2021-12-31"}]},
    "metrics": [
      {"id": "enrolled", "name": "参保人数", "kind": "count"},
      {"id": "paid", "name": "缴费人数", "kind": "count"},
      {"id": "payment_rate", "name": "参保缴费率", "kind": "rate", "numerator": "paid", "denominator": "enrolled"}
    ],
    "units": [{"id": "v1", "name": "一村", "level": "village"}],
    "milestones": [{"id": "nov80", "name": "到11月参保缴费率达到80%", "metric": "payment_rate",
                    "op": ">=", "value": "80%", "due": "2021-11-30", "scope": "all"}]
  })");
  const Progress g = Progress::from_records(p, {{"v1", "enrolled", day("2021-10-31"), 1000},
                                                {"v1", "paid", day("2021-10-31"), 800},
                                                {"v1", "enrolled", day("2021-11-30"), 1040},
                                                {"v1", "paid", day("2021-11-30"), 780}});
  std::ostringstream text;
  write_report_text(make_report(g, day("2021-12-31")), *p, text);
  const std::string out = text.str();
  const auto row = out.find("一村 v1");
  ASSERT_NE(row, std::string::npos) << out;
  const std::string line = out.substr(row, out.find('\n', row) - row);
  EXPECT_NE(line.find("得而复失"), std::string::npos) << line;
  EXPECT_NE(line.find("2021-10-31"), std::string::npos) << line;
  EXPECT_NE(line.find("75.00%"), std::string::npos) << line;
  EXPECT_EQ(line.find("按时完成"), std::string::npos) << line;
  const nlohmann::json j = nlohmann::json::parse(call_json(
      *p,
      R"({"op":"report","as_of":"2021-12-31","progress":[{"unit_id":"v1","metric":"enrolled","date":"2021-10-31","value":1000},{"unit_id":"v1","metric":"paid","date":"2021-10-31","value":800},{"unit_id":"v1","metric":"enrolled","date":"2021-11-30","value":1040},{"unit_id":"v1","metric":"paid","date":"2021-11-30","value":780}]})"));
  EXPECT_EQ(j["milestones"][0]["units"][0]["status"], "lost") << j.dump();
  EXPECT_EQ(j["milestones"][0]["units"][0]["reached_on"], "2021-10-31");
  EXPECT_TRUE(j["milestones"][0]["units"][0]["met_on"].is_null());
}

}  // namespace
}  // namespace canbao
