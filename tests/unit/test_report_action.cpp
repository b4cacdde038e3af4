// The report's action part (report_action.hpp) on seed 000 (XX town, 2021).
// Figures worked by hand from examples/progress/000-xx-town-2021.csv (the
// rows dated 2021-08-31 are the last ones on or before 09-15) and the policy's
// targets, tiers (1.00 / 0.80 / 0.60 元/人 by 09-30 / 10-15 / 11-30, late: 0)
// and phases (the last, 总结验收, ends 2021-12-31).
#include <canbao/report.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

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

const UnitAction& unit(const CampaignReport& r, const std::string& id) {
  for (const UnitAction& u : r.action.units)
    if (u.unit_id == id) return u;
  throw std::runtime_error("no action row for " + id);
}

const TargetGap& gap(const UnitAction& u, const std::string& metric) {
  for (const TargetGap& g : u.gaps)
    if (g.metric_id == metric) return g;
  throw std::runtime_error("no gap for " + metric);
}

TEST(ReportAction, HongqiOnSeptember15) {
  Example ex;
  const CampaignReport r = ex.report("2021-09-15");
  const UnitAction& h = unit(r, "hongqi");
  EXPECT_EQ(h.standing, UnitStanding::on_track);
  // enrolled 1960 (08-31) of target 1980 -> shortfall 20; the next deadline
  // that needs it is tier 1's 09-30 (a paid unit, a completion task metric):
  // 15 days -> 20 / 15 = 4/3 a day.
  const TargetGap& e = gap(h, "resident_enrolled");
  EXPECT_EQ(e.target, Ratio(1980));
  EXPECT_EQ(*e.current, Ratio(1960));
  EXPECT_EQ(e.shortfall, Ratio(20));
  EXPECT_EQ(e.deadline_kind, GapDeadlineKind::work_fund_tier);
  EXPECT_EQ(e.deadline_ref, "tier 1");
  EXPECT_EQ(*e.deadline, day("2021-09-30"));
  EXPECT_EQ(e.days_left, 15);
  EXPECT_EQ(e.status, GapStatus::open);
  EXPECT_EQ(*e.needed_per_day, Ratio(4, 3));
  // paid 1500 of 1650 -> 150, 150 / 15 = 10 a day.
  const TargetGap& p = gap(h, "resident_paid");
  EXPECT_EQ(p.shortfall, Ratio(150));
  EXPECT_EQ(*p.needed_per_day, Ratio(10));
  // Smallest fraction: 1500/1650 = 10/11 < 1960/1980.
  EXPECT_EQ(*h.completion, Ratio(10, 11));
  // Money still at stake on the basis as of 09-15 (basis rule completion_date:
  // the count today, 1960): 1.00 x 1960 = 1,960.00; 0.80 x 1960 = 1,568.00;
  // 0.60 x 1960 = 1,176.00; late rule zero: 0.
  ASSERT_EQ(h.at_stake.size(), 4u);
  EXPECT_EQ(h.at_stake[0].tier, 0);
  EXPECT_EQ(h.at_stake[0].amount, Fen(196000));
  EXPECT_EQ(h.at_stake[1].amount, Fen(156800));
  EXPECT_EQ(h.at_stake[2].amount, Fen(117600));
  EXPECT_EQ(h.at_stake[3].tier, -1);
  EXPECT_FALSE(h.at_stake[3].deadline);
  EXPECT_EQ(h.at_stake[3].amount, Fen(0));
  EXPECT_EQ(h.at_stake[0].basis, 1960);
  EXPECT_EQ(h.at_stake[0].basis_on, day("2021-09-15"));
}

TEST(ReportAction, SummaryAndOrderOnSeptember15) {
  Example ex;
  const CampaignReport r = ex.report("2021-09-15");
  const ReportSummary& s = r.action.summary;
  // Units with a target: the town and its 8 villages. 东风村 is complete (08-31);
  // 向阳社区, 胜利村 and 和平社区 missed the August 70% payment rate (heping
  // 990/1455 = 68.04%): late; 团结村's projected completion falls in tier 2,
  // after 09-30: at risk; the rest on track.
  EXPECT_EQ(s.units, 9);
  EXPECT_EQ(s.complete, 1);
  EXPECT_EQ(s.late, 3);
  EXPECT_EQ(s.at_risk, 1);
  EXPECT_EQ(s.on_track, 4);
  EXPECT_EQ(s.no_trend, 0);
  // Paid: 东风村 1234 x 1.00 = 1,234.00. Still possible: tier 1 on today's
  // basis for the 7 unfinished villages: 1265 + 1080 + 1455 + 1660 + 680 + 890
  // + 1960 = 8990 persons x 1.00 = 8,990.00.
  EXPECT_EQ(*s.paid, Fen(123400));
  EXPECT_EQ(*s.still_possible, Fen(899000));
  // Last deadline: max(phase end 12-31, tiers 11-30, timeliness 11-30).
  EXPECT_EQ(*s.last_deadline, day("2021-12-31"));
  EXPECT_TRUE(s.provisional);
  // Next milestone: november_payment_rate 11-30: 15 + 31 + 30 = 76 days.
  EXPECT_EQ(*s.next_milestone, day("2021-11-30"));
  EXPECT_EQ(*s.days_to_next_milestone, 76);
  EXPECT_FALSE(s.days_to_next_reporting);  // 000 sets no reporting cadence
  // Worst first: the late ones by completion ascending: 向阳社区 820/1080 =
  // 0.759, 胜利村 720/920 = 0.783, 和平社区 990/1200 = 0.825; then 团结村.
  ASSERT_GE(r.action.units.size(), 4u);
  EXPECT_EQ(r.action.units[0].unit_id, "xiangyang");
  EXPECT_EQ(r.action.units[1].unit_id, "shengli");
  EXPECT_EQ(r.action.units[2].unit_id, "heping");
  EXPECT_EQ(r.action.units[3].unit_id, "tuanjie");
  EXPECT_EQ(r.action.units.back().unit_id, "dongfeng");
  EXPECT_TRUE(unit(r, "dongfeng").at_stake.empty());  // complete: nothing left at stake
  // The town has no deadline that needs its own targets: the campaign's last one.
  const TargetGap& town = gap(unit(r, "xx-town"), "resident_paid");
  EXPECT_EQ(town.deadline_kind, GapDeadlineKind::campaign_end);
  EXPECT_EQ(town.days_left, 107);  // 09-15 -> 12-31: 15 + 31 + 30 + 31
}

TEST(ReportAction, DueTodayAndOverdue) {
  Example ex;
  // On 09-30 itself tier 1 is still open but no day is left to divide by.
  const CampaignReport sep30 = ex.report("2021-09-30");
  const TargetGap& x = gap(unit(sep30, "xiangyang"), "resident_paid");
  EXPECT_EQ(x.status, GapStatus::due_today);  // 1080 - 900 = 180 short on the day
  EXPECT_EQ(x.shortfall, Ratio(180));
  EXPECT_FALSE(x.needed_per_day);
  EXPECT_EQ(unit(sep30, "xiangyang").at_stake.front().deadline, day("2021-09-30"));
  // On 12-31 every tier has passed: 向阳社区 is 1080 - 1010 = 70 short, overdue
  // since tier 3 (11-30): -31 days; late, nothing more at stake.
  const CampaignReport dec31 = ex.report("2021-12-31");
  const UnitAction& xy = unit(dec31, "xiangyang");
  EXPECT_EQ(xy.standing, UnitStanding::late);
  const TargetGap& o = gap(xy, "resident_paid");
  EXPECT_EQ(o.status, GapStatus::overdue);
  EXPECT_EQ(o.shortfall, Ratio(70));
  EXPECT_EQ(o.days_left, -31);
  EXPECT_FALSE(o.needed_per_day);
  EXPECT_TRUE(xy.at_stake.empty());
  EXPECT_EQ(gap(xy, "resident_enrolled").status, GapStatus::met);  // 1335 >= 1330
  EXPECT_FALSE(dec31.action.summary.provisional);                  // as_of = last deadline
  EXPECT_EQ(dec31.action.summary.complete, 8);
  EXPECT_EQ(*dec31.action.summary.paid, Fen(677960));
  EXPECT_EQ(*dec31.action.summary.still_possible, Fen(0));
}

TEST(ReportAction, TextShowsSummaryProvisionalAndMoney) {
  Example ex;
  std::ostringstream out;
  write_report_text(ex.report("2021-09-15"), *ex.policy, out);
  const std::string text = out.str();
  const auto summary = text.find("摘要 [summary]");
  ASSERT_NE(summary, std::string::npos);
  EXPECT_LT(summary, text.find("一、阶段与报送"));  // at the top
  EXPECT_NE(text.find("8,990.00 元"), std::string::npos);
  EXPECT_NE(text.find("五、考核得分与排名 [scores and ranking] — 暂定 [provisional]"),
            std::string::npos);
  EXPECT_NE(text.find("通报批评 (暂定)"), std::string::npos);
  EXPECT_NE(text.find("完成 by 2021-10-15 → 0.80 元/人 × 1,960 = 1,568.00 元"), std::string::npos);
  std::ostringstream final_out;
  write_report_text(ex.report("2021-12-31"), *ex.policy, final_out);
  EXPECT_EQ(final_out.str().find("暂定"), std::string::npos);
  EXPECT_NE(final_out.str().find("逾期 [overdue]"), std::string::npos);
}

TEST(ReportAction, JsonThroughCallJson) {
  Example ex;
  const std::string request = nlohmann::json{
      {"op", "report"},
      {"as_of", "2021-09-15"},
      {"progress_csv",
       read_file(kProgress)}}.dump();
  const auto j = nlohmann::json::parse(call_json(*ex.policy, request));
  EXPECT_EQ(j["provisional"], true);
  const auto& s = j["action"]["summary"];
  EXPECT_EQ(s["paid_fen"], 123400);
  EXPECT_EQ(s["still_possible_fen"], 899000);
  EXPECT_EQ(s["late"], 3);
  EXPECT_EQ(s["last_deadline"], "2021-12-31");
  EXPECT_EQ(s["days_to_next_milestone"], 76);
  EXPECT_TRUE(s["days_to_next_reporting"].is_null());
  const auto& units = j["action"]["units"];
  EXPECT_EQ(units[0]["unit_id"], "xiangyang");
  EXPECT_EQ(units[0]["standing"], "late");
  for (const auto& u : units) {
    if (u["unit_id"] != "hongqi") continue;
    EXPECT_EQ(u["standing"], "on_track");
    EXPECT_EQ(u["targets"][0]["metric"], "resident_enrolled");
    EXPECT_EQ(u["targets"][0]["shortfall"], "20");
    EXPECT_EQ(u["targets"][0]["needed_per_day"], "1.333333");  // 20 / 15
    EXPECT_EQ(u["targets"][0]["deadline"], "2021-09-30");
    EXPECT_EQ(u["targets"][0]["deadline_kind"], "work_fund_tier");
    EXPECT_EQ(u["at_stake"][1]["tier"], 2);
    EXPECT_EQ(u["at_stake"][1]["amount_fen"], 156800);  // 80 fen x 1960
    EXPECT_EQ(u["at_stake"][3]["rule"], "late");
    EXPECT_TRUE(u["at_stake"][3]["tier"].is_null());
  }
}

}  // namespace
}  // namespace canbao
