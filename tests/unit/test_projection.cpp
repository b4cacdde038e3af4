// Projections (projection.hpp, docs/projections.md) on 000's policy: villages
// at ≥70% 参保缴费率 by 08-31 (000 四(一)4), the town at ≥80% by 11-30 (000 四(二)),
// and the work fund's 100/80/60 fen tiers (000 五(一)). Every figure is worked
// by hand in the comments.
#include <canbao.h>

#include <canbao/error.hpp>
#include <canbao/json_api.hpp>
#include <canbao/projection.hpp>
#include <canbao/report.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace canbao;

namespace {

const std::string policy_path =
    std::string(CANBAO_SOURCE_DIR) + "/examples/policies/000-xx-town-2021.json";

nlohmann::json policy_doc() {
  std::ifstream in(policy_path);
  return nlohmann::json::parse(in);
}

Date day(const char* iso) { return *parse_iso_date(iso); }

struct Row {
  const char* unit;
  const char* metric;
  const char* date;
  std::int64_t value;
};

Progress progress(const PolicyPtr& p, const std::vector<Row>& rows) {
  std::vector<Observation> obs;
  for (const Row& r : rows) obs.push_back({r.unit, r.metric, day(r.date), r.value});
  return Progress::from_records(p, obs);
}

// Payment rate (resident_paid / resident_enrolled) as of 08-15:
// - dongfeng 500/1000 = 50% on 07-31, 600/1000 = 60% on 08-15: +10 points in
//   15 days;
// - hongqi 650/1000 = 65% on both days: flat;
// - xinmin 600/1000 = 60% on 07-31, 750/1000 = 75% on 08-15: +1 point a day;
// - heping 1000 enrolled from 07-01; paid 500, 600, 650 on 07-01, 07-16, 07-31.
// The other four villages have no rows.
std::vector<Row> august_rows() {
  return {{"dongfeng", "resident_enrolled", "2021-07-31", 1000},
          {"dongfeng", "resident_paid", "2021-07-31", 500},
          {"dongfeng", "resident_paid", "2021-08-15", 600},
          {"hongqi", "resident_enrolled", "2021-07-31", 1000},
          {"hongqi", "resident_paid", "2021-07-31", 650},
          {"hongqi", "resident_paid", "2021-08-15", 650},
          {"xinmin", "resident_enrolled", "2021-07-31", 1000},
          {"xinmin", "resident_paid", "2021-07-31", 600},
          {"xinmin", "resident_paid", "2021-08-15", 750},
          {"heping", "resident_enrolled", "2021-07-01", 1000},
          {"heping", "resident_paid", "2021-07-01", 500},
          {"heping", "resident_paid", "2021-07-16", 600},
          {"heping", "resident_paid", "2021-07-31", 650}};
}

const MilestoneProjection& milestone(const ProjectionReport& r, const std::string& id) {
  for (const MilestoneProjection& m : r.milestones)
    if (m.milestone_id == id) return m;
  throw std::runtime_error("no projection for " + id);
}

const MilestoneUnitProjection& unit(const MilestoneProjection& m, const std::string& id) {
  for (const MilestoneUnitProjection& u : m.units)
    if (u.unit_id == id) return u;
  throw std::runtime_error("no unit " + id);
}

class Projection000 : public ::testing::Test {
 protected:
  PolicyPtr policy = load_policy_file(policy_path);
  Progress g = progress(policy, august_rows());
  ProjectionReport r = project_campaign(g, day("2021-08-15"));
};

}  // namespace

TEST_F(Projection000, OnlyMilestonesDueAfterAsOfAreProjected) {
  // Due after 08-15: august (08-31), november (11-30), year_end (12-31) and
  // fyp14 (2025-12-31); june and july milestones are decided already.
  ASSERT_EQ(r.milestones.size(), 4u);
  EXPECT_EQ(r.milestones[0].milestone_id, "august_village_payment_rate");
  EXPECT_EQ(r.milestones[1].milestone_id, "november_payment_rate");
  EXPECT_EQ(r.milestones[3].milestone_id, "fyp14_enrollment_rate");
  EXPECT_EQ(r.milestones[0].units.size(), 8u);  // every village, policy order
  EXPECT_EQ(r.method, "linear_trend");
  EXPECT_EQ(r.observations, 3);  // the default: 000 has no projection section
  EXPECT_EQ(r.at_risk_margin, Ratio(5, 100));
}

TEST_F(Projection000, RisingVillageJustOverTheThresholdIsAtRisk) {
  // dongfeng: 50% (07-31) -> 60% (08-15), two points: slope 0.10/15 a day.
  // On 08-31 (16 days on): 0.60 + 16 x 0.10/15 = 0.706667 >= 0.70, but under
  // the safe 0.70 x 1.05 = 0.735: at risk. Needed: (0.70 - 0.60) / 16 = 0.00625 a day.
  const MilestoneUnitProjection& u = unit(milestone(r, "august_village_payment_rate"), "dongfeng");
  EXPECT_EQ(u.outlook, Outlook::at_risk);
  EXPECT_EQ(u.current, Ratio(600, 1000));
  EXPECT_NEAR(static_cast<double>(*u.projected), 0.706667, 1e-6);
  EXPECT_EQ(u.threshold, Ratio(70, 100));
  EXPECT_EQ(u.days_left, 16);
  EXPECT_NEAR(static_cast<double>(*u.needed_per_day), 0.00625, 1e-12);
  EXPECT_NEAR(static_cast<double>(*u.trend_per_day), 0.1 / 15, 1e-12);
  EXPECT_EQ(u.points, 2);
}

TEST_F(Projection000, FlatVillageUnderTheThresholdWillMiss) {
  // hongqi: 65% on 07-31 and 08-15, slope 0: 65% on 08-31 < 70%.
  // Needed: (0.70 - 0.65) / 16 = 0.003125 a day, against 0.
  const MilestoneUnitProjection& u = unit(milestone(r, "august_village_payment_rate"), "hongqi");
  EXPECT_EQ(u.outlook, Outlook::will_miss);
  EXPECT_NEAR(static_cast<double>(*u.projected), 0.65, 1e-12);
  EXPECT_NEAR(static_cast<double>(*u.needed_per_day), 0.003125, 1e-12);
  EXPECT_NEAR(static_cast<double>(*u.trend_per_day), 0.0, 1e-15);
}

TEST_F(Projection000, FastVillageClearsTheMarginAndWillMakeIt) {
  // xinmin: 60% -> 75% in 15 days, 0.01 a day: 0.75 + 16 x 0.01 = 0.91 >= 0.735.
  const MilestoneUnitProjection& u = unit(milestone(r, "august_village_payment_rate"), "xinmin");
  EXPECT_EQ(u.outlook, Outlook::will_make_it);
  EXPECT_NEAR(static_cast<double>(*u.projected), 0.91, 1e-12);
}

TEST_F(Projection000, LeastSquaresOverTheLastThreePoints) {
  // heping: x = -30, -15, 0 days (07-01, 07-16, 07-31), y = 0.50, 0.60, 0.65.
  // Means -15 and 0.583333; Sxy = (-15)(-0.083333) + 15 x 0.066667 = 2.25,
  // Sxx = 450: slope 0.005 a day; the line at 07-31: 0.583333 + 15 x 0.005
  // = 0.658333; on 08-31 (31 days on): 0.658333 + 0.155 = 0.813333.
  // The current value stays the last observation, 65%.
  const MilestoneUnitProjection& u = unit(milestone(r, "august_village_payment_rate"), "heping");
  EXPECT_EQ(u.points, 3);
  EXPECT_NEAR(static_cast<double>(*u.trend_per_day), 0.005, 1e-12);
  EXPECT_NEAR(static_cast<double>(*u.projected), 0.813333, 1e-6);
  EXPECT_EQ(u.current, Ratio(650, 1000));
  EXPECT_EQ(u.outlook, Outlook::will_make_it);
}

TEST_F(Projection000, CallerOverridesTheNumberOfObservations) {
  // N = 2: heping's last two points only, 0.60 -> 0.65 in 15 days:
  // 0.65 + 31 x 0.05/15 = 0.753333.
  const ProjectionReport two = project_campaign(g, day("2021-08-15"), 2);
  EXPECT_EQ(two.observations, 2);
  const MilestoneUnitProjection& u = unit(milestone(two, "august_village_payment_rate"), "heping");
  EXPECT_EQ(u.points, 2);
  EXPECT_NEAR(static_cast<double>(*u.projected), 0.753333, 1e-6);
  EXPECT_THROW(project_campaign(g, day("2021-08-15"), 1), ArgumentError);
}

TEST_F(Projection000, VillageWithoutRowsHasNoTrend) {
  // guangming: no rows, its rate is 0/0 (undefined): no point, no current value.
  const MilestoneUnitProjection& u = unit(milestone(r, "august_village_payment_rate"), "guangming");
  EXPECT_EQ(u.outlook, Outlook::no_trend);
  EXPECT_FALSE(u.current);
  EXPECT_FALSE(u.projected);
  EXPECT_FALSE(u.needed_per_day);
  EXPECT_EQ(u.points, 0);
}

TEST_F(Projection000, OnePointIsNoTrend) {
  const Progress one = progress(policy, {{"dongfeng", "resident_enrolled", "2021-07-31", 1000},
                                         {"dongfeng", "resident_paid", "2021-07-31", 500}});
  const ProjectionReport p = project_campaign(one, day("2021-08-15"));
  const MilestoneUnitProjection& u = unit(milestone(p, "august_village_payment_rate"), "dongfeng");
  EXPECT_EQ(u.outlook, Outlook::no_trend);
  EXPECT_EQ(u.points, 1);
  EXPECT_EQ(u.current, Ratio(1, 2));
  EXPECT_NEAR(static_cast<double>(*u.needed_per_day), 0.2 / 16, 1e-12);  // (0.70 - 0.50) / 16
}

TEST_F(Projection000, TownRollsUpAndALineDoesNotStopAt100Percent) {
  // The town's rate is its villages' paid over enrolled: (600+650+750+650) /
  // 4000 = 66.25% on 08-15. Its change days: 07-01 (500/1000), 07-16
  // (600/1000), 07-31 (500+650+600+650 = 2400 / 4000 = 60%), 08-15 (66.25%).
  // The last three: x = -30, -15, 0; y = 0.60, 0.60, 0.6625; means -15 and
  // 0.620833; Sxy = (-15)(-0.020833) + 0 + 15 x 0.041667 = 0.9375, Sxx = 450:
  // slope 0.0020833 a day; the line at 08-15: 0.620833 + 15 x 0.0020833 =
  // 0.652083; on 11-30 (107 days on): 0.652083 + 107 x 0.0020833 = 0.875 >= 0.84.
  const MilestoneUnitProjection& u = unit(milestone(r, "november_payment_rate"), "xx-town");
  EXPECT_EQ(u.current, Ratio(2650, 4000));
  EXPECT_NEAR(static_cast<double>(*u.trend_per_day), 0.9375 / 450, 1e-12);
  EXPECT_NEAR(static_cast<double>(*u.projected), 0.875, 1e-9);
  EXPECT_EQ(u.outlook, Outlook::will_make_it);
  EXPECT_EQ(u.days_left, 107);
}

TEST_F(Projection000, MarginZeroLeavesNoAtRiskBand) {
  // dongfeng's 0.706667 against 0.70 with no margin: will make it.
  const ProjectionReport p = project_campaign(g, day("2021-08-15"), LinearTrend(3), Ratio(0));
  EXPECT_EQ(unit(milestone(p, "august_village_payment_rate"), "dongfeng").outlook,
            Outlook::will_make_it);
}

namespace {
// A swapped-in method: the last point, flat ("no change from here").
class LastValue : public ProjectionMethod {
 public:
  const char* name() const override { return "last_value"; }
  std::optional<Trend> fit(const std::vector<TrendPoint>& points) const override {
    if (points.empty()) return std::nullopt;
    Trend t;
    t.anchor = points.back().day;
    t.value = points.back().value;
    t.points = 1;
    return t;
  }
};
}  // namespace

TEST_F(Projection000, MethodIsSwappable) {
  // Flat at the last value: dongfeng stays at 60% < 70%, xinmin at 75% >= 73.5%.
  const ProjectionReport p = project_campaign(g, day("2021-08-15"), LastValue(), Ratio(5, 100));
  EXPECT_EQ(p.method, "last_value");
  EXPECT_EQ(p.observations, 0);
  const MilestoneProjection& m = milestone(p, "august_village_payment_rate");
  EXPECT_EQ(unit(m, "dongfeng").outlook, Outlook::will_miss);
  EXPECT_EQ(unit(m, "xinmin").outlook, Outlook::will_make_it);
}

// ---- the work fund ------------------------------------------------------------

namespace {
// As of 09-15 (000 五(一): 1 yuan per insured by 09-30, 0.80 by 10-15, 0.60 by
// 11-30; targets enrolled/paid per village):
// - dongfeng (1220/1000): enrolled 1100 -> 1160, paid 900 -> 960 (08-31 ->
//   09-15, +4 a day both): enrolled reaches 1220 on 09-30 (15 days), paid 1000
//   on 09-25: complete 09-30, tier 1, basis 1220 -> 122,000 fen;
// - hongqi (1980/1650): complete on 09-10 with 1990 insured: actual, 199,000 fen;
// - xinmin (900/740): enrolled 800 -> 830 (+2 a day), paid 700 -> 715 (+1):
//   900 on 10-20 (35 days), 740 on 10-10: complete 10-20, tier 3 (60 fen),
//   basis 900 -> 54,000 fen;
// - shengli (1140/920): enrolled 1100 -> 1115 (+1), paid 920 flat: 1140 on
//   10-10: tier 2 (80 fen) x 1140 = 91,200 fen;
// - heping (1480/1200): flat 1400/1100: never: late, zero rule, 0 fen (basis
//   1400 on the last deadline);
// - guangming: one observation day: unknown; tuanjie, xiangyang: no rows: unknown.
// Actual 199,000; projected 122,000 + 54,000 + 91,200 + 0 = 267,200; total 466,200.
std::vector<Row> fund_rows() {
  return {{"dongfeng", "resident_enrolled", "2021-08-31", 1100},
          {"dongfeng", "resident_enrolled", "2021-09-15", 1160},
          {"dongfeng", "resident_paid", "2021-08-31", 900},
          {"dongfeng", "resident_paid", "2021-09-15", 960},
          {"hongqi", "resident_enrolled", "2021-09-10", 1990},
          {"hongqi", "resident_paid", "2021-09-10", 1700},
          {"xinmin", "resident_enrolled", "2021-08-31", 800},
          {"xinmin", "resident_enrolled", "2021-09-15", 830},
          {"xinmin", "resident_paid", "2021-08-31", 700},
          {"xinmin", "resident_paid", "2021-09-15", 715},
          {"shengli", "resident_enrolled", "2021-08-31", 1100},
          {"shengli", "resident_enrolled", "2021-09-15", 1115},
          {"shengli", "resident_paid", "2021-08-31", 920},
          {"shengli", "resident_paid", "2021-09-15", 920},
          {"heping", "resident_enrolled", "2021-08-31", 1400},
          {"heping", "resident_enrolled", "2021-09-15", 1400},
          {"heping", "resident_paid", "2021-08-31", 1100},
          {"heping", "resident_paid", "2021-09-15", 1100},
          {"guangming", "resident_enrolled", "2021-09-01", 600},
          {"guangming", "resident_paid", "2021-09-01", 500}};
}

const WorkFundUnitProjection& fund_unit(const WorkFundProjection& wf, const std::string& id) {
  for (const WorkFundUnitProjection& u : wf.units)
    if (u.unit_id == id) return u;
  throw std::runtime_error("no unit " + id);
}
}  // namespace

TEST_F(Projection000, ProjectedWorkFundTiersAndAmounts) {
  const ProjectionReport p = project_campaign(progress(policy, fund_rows()), day("2021-09-15"));
  ASSERT_TRUE(p.work_fund);
  const WorkFundProjection& wf = *p.work_fund;
  const WorkFundUnitProjection& dongfeng = fund_unit(wf, "dongfeng");
  EXPECT_EQ(dongfeng.kind, FundProjectionKind::projected);
  EXPECT_EQ(dongfeng.completed_on, day("2021-09-30"));
  EXPECT_EQ(dongfeng.tier, 0);
  EXPECT_EQ(dongfeng.per_person, Fen(100));
  EXPECT_EQ(dongfeng.basis, 1220);
  EXPECT_EQ(dongfeng.basis_on, day("2021-09-30"));
  EXPECT_EQ(dongfeng.amount, Fen(122'000));

  const WorkFundUnitProjection& hongqi = fund_unit(wf, "hongqi");
  EXPECT_EQ(hongqi.kind, FundProjectionKind::actual);
  EXPECT_EQ(hongqi.completed_on, day("2021-09-10"));
  EXPECT_EQ(hongqi.amount, Fen(199'000));

  const WorkFundUnitProjection& xinmin = fund_unit(wf, "xinmin");
  EXPECT_EQ(xinmin.completed_on, day("2021-10-20"));
  EXPECT_EQ(xinmin.tier, 2);
  EXPECT_EQ(xinmin.amount, Fen(54'000));

  const WorkFundUnitProjection& shengli = fund_unit(wf, "shengli");
  EXPECT_EQ(shengli.completed_on, day("2021-10-10"));
  EXPECT_EQ(shengli.tier, 1);
  EXPECT_EQ(shengli.per_person, Fen(80));
  EXPECT_EQ(shengli.amount, Fen(91'200));

  const WorkFundUnitProjection& heping = fund_unit(wf, "heping");
  EXPECT_EQ(heping.kind, FundProjectionKind::projected);
  EXPECT_EQ(heping.status, WorkFundStatus::late);
  EXPECT_FALSE(heping.completed_on);
  EXPECT_EQ(heping.basis, 1400);
  EXPECT_EQ(heping.basis_on, day("2021-11-30"));
  EXPECT_EQ(heping.amount, Fen(0));

  const WorkFundUnitProjection& guangming = fund_unit(wf, "guangming");
  EXPECT_EQ(guangming.kind, FundProjectionKind::unknown);
  EXPECT_EQ(guangming.reason, "\"resident_enrolled\" has 1 observation point, no trend");
  EXPECT_EQ(fund_unit(wf, "tuanjie").reason,
            "\"resident_enrolled\" has 0 observation points, no trend");

  EXPECT_EQ(wf.unknown, 3);  // guangming, tuanjie, xiangyang
  EXPECT_EQ(wf.actual_total, Fen(199'000));
  EXPECT_EQ(wf.projected_total, Fen(267'200));
  EXPECT_EQ(wf.total, Fen(466'200));
  EXPECT_EQ(wf.payer, "县财政");
}

TEST_F(Projection000, LateRulePerPersonPaysTheProjectedBasis) {
  // The same with a 0.30 yuan late rule: heping's 1400 flat insured x 30 fen =
  // 42,000 fen more: projected 309,200.
  nlohmann::json doc = policy_doc();
  doc["work_fund"]["late"] = {{"rule", "per_person"}, {"per_person_fen", 30}, {"note", "test"}};
  const PolicyPtr p = load_policy(doc.dump(), "test");
  const ProjectionReport r2 = project_campaign(progress(p, fund_rows()), day("2021-09-15"));
  EXPECT_EQ(fund_unit(*r2.work_fund, "heping").amount, Fen(42'000));
  EXPECT_EQ(r2.work_fund->projected_total, Fen(309'200));
}

// ---- the policy's projection section --------------------------------------------

TEST(ProjectionPolicy, SectionIsReadWrittenAndFingerprinted) {
  nlohmann::json doc = policy_doc();
  const PolicyPtr plain = load_policy(doc.dump(), "test");
  EXPECT_FALSE(plain->projection);
  doc["projection"] = {{"method", "linear_trend"}, {"observations", 2}, {"at_risk_margin", "10%"}};
  const PolicyPtr p = load_policy(doc.dump(), "test");
  ASSERT_TRUE(p->projection);
  EXPECT_EQ(p->projection->observations, 2);
  EXPECT_EQ(p->projection->at_risk_margin, Ratio(1, 10));
  EXPECT_NE(p->fingerprint(), plain->fingerprint());
  const nlohmann::json canonical = nlohmann::json::parse(to_json(*p));
  EXPECT_EQ(
      canonical["projection"],
      (nlohmann::json{{"method", "linear_trend"}, {"observations", 2}, {"at_risk_margin", "0.1"}}));
  EXPECT_EQ(load_policy(to_json(*p))->fingerprint(), p->fingerprint());

  // The policy's N = 2 is used when the caller gives none: heping's 0.753333.
  const ProjectionReport r = project_campaign(progress(p, august_rows()), day("2021-08-15"));
  EXPECT_EQ(r.observations, 2);
  EXPECT_EQ(r.at_risk_margin, Ratio(1, 10));
  EXPECT_NEAR(
      static_cast<double>(*unit(milestone(r, "august_village_payment_rate"), "heping").projected),
      0.753333, 1e-6);
}

TEST(ProjectionPolicy, BadValuesAreNamedByPath) {
  const auto error = [](const nlohmann::json& section) -> std::string {
    nlohmann::json doc = policy_doc();
    doc["projection"] = section;
    try {
      load_policy(doc.dump(), "test");
    } catch (const PolicyError& e) {
      return e.where();
    }
    return "(loaded)";
  };
  EXPECT_EQ(error({{"observations", 1}}), "projection.observations");
  EXPECT_EQ(error({{"observations", "3"}}), "projection.observations");
  EXPECT_EQ(error({{"method", "spline"}}), "projection.method");
  EXPECT_EQ(error({{"at_risk_margin", "100%"}}), "projection.at_risk_margin");
  EXPECT_EQ(error({{"at_risk_margin", "-1%"}}), "projection.at_risk_margin");
  EXPECT_EQ(error({{"observation", 3}}), "projection.observation");
  EXPECT_EQ(error(nlohmann::json::object()), "(loaded)");
}

// ---- the report and the C ABI ------------------------------------------------------

TEST_F(Projection000, ReportCarriesProjectionsAndPrintsThemLast) {
  const CampaignReport report = make_report(g, day("2021-08-15"));
  ASSERT_TRUE(report.projections);
  std::ostringstream text;
  write_report_text(report, *policy, text);
  const std::string s = text.str();
  const auto at = s.find("六、预测 [projections]");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GT(at, s.find("五、考核得分与排名"));
  // dongfeng's row: at risk, 60.00% now, 70.66% on 08-31 (0.706667 truncated),
  // 0.6250 points a day needed, 0.6667 a day on its trend.
  EXPECT_NE(s.find("有风险 [at risk]"), std::string::npos);
  EXPECT_NE(s.find("70.66%"), std::string::npos);
  EXPECT_NE(s.find("+0.6250%"), std::string::npos);
  EXPECT_NE(s.find("+0.6667%"), std::string::npos);

  ReportParts none;
  none.projections = false;
  EXPECT_FALSE(make_report(g, day("2021-08-15"), none).projections);
}

TEST(ProjectionCall, ThroughCanbaoCallJson) {
  canbao_policy* p = nullptr;
  ASSERT_EQ(canbao_policy_from_file(policy_path.c_str(), &p), CANBAO_OK);
  nlohmann::json request = {{"op", "projections"}, {"as_of", "2021-08-15"}, {"observations", 2}};
  request["progress"] = nlohmann::json::array();
  for (const Row& r : august_rows())
    request["progress"].push_back(
        {{"unit_id", r.unit}, {"metric", r.metric}, {"date", r.date}, {"value", r.value}});
  const std::string text = request.dump();
  char* response = nullptr;
  ASSERT_EQ(canbao_call_json(p, text.data(), text.size(), &response), CANBAO_OK);
  const nlohmann::json j = nlohmann::json::parse(response);
  canbao_string_free(response);
  EXPECT_EQ(j["observations"], 2);
  EXPECT_EQ(j["method"], "linear_trend");
  const nlohmann::json& dongfeng = j["milestones"][0]["units"][0];
  EXPECT_EQ(dongfeng["unit_id"], "dongfeng");
  EXPECT_EQ(dongfeng["outlook"], "at_risk");
  EXPECT_EQ(dongfeng["current"], "0.6");
  EXPECT_EQ(dongfeng["projected"], "0.706667");
  EXPECT_EQ(dongfeng["threshold"], "0.7");
  EXPECT_EQ(dongfeng["days_left"], 16);
  EXPECT_EQ(dongfeng["needed_per_day"], "0.00625");
  EXPECT_EQ(dongfeng["points"], 2);
  // heping with N = 2: 0.753333.
  EXPECT_EQ(j["milestones"][0]["units"][3]["projected"], "0.753333");

  // A bad N is the request's error, named by its key.
  request["observations"] = 1;
  const std::string bad = request.dump();
  EXPECT_EQ(canbao_call_json(p, bad.data(), bad.size(), &response), CANBAO_INPUT_ERROR);
  EXPECT_NE(std::string(canbao_last_error()).find("request.observations"), std::string::npos);
  canbao_policy_free(p);
}
