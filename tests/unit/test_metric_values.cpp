// metric_values (metric_values.hpp): any metric of any unit on a day, with the
// unit's target and the shortfall; the JSON op "values" through call_json and
// the C ABI. Figures worked by hand from seeds 001 and 000.
#include <canbao/metric_values.hpp>

#include <canbao.h>

#include <gtest/gtest.h>

#include "source_files.hpp"

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include <canbao/error.hpp>
#include <canbao/json_api.hpp>

using namespace canbao;

namespace {

using canbao_test::chengjiang;
using canbao_test::source_text;

Date d(const char* iso) { return *parse_iso_date(iso); }

// 001's six towns: 人均个人年缴金额 and 个人缴费人数 (the average's weight in the
// policy: 人均 is per person who paid). Illustrative figures.
// 2021-06-30: fenglu 340 x 5000, longjie 320 x 30000, the other four 300 with
//   18000 + 10000 + 6000 + 16000 = 50000 payers.
// 2021-12-31: fenglu 350 x 6000, the others 330 with 91000 payers (test_progress.cpp).
std::vector<Observation> chengjiang_rows() {
  const char* towns[] = {"fenglu", "longjie", "yousuo", "haikou", "jiucun", "lujv"};
  const std::int64_t june_avg[] = {340, 320, 300, 300, 300, 300};
  const std::int64_t june_paid[] = {5000, 30000, 18000, 10000, 6000, 16000};
  const std::int64_t dec_avg[] = {350, 330, 330, 330, 330, 330};
  const std::int64_t dec_paid[] = {6000, 33000, 20000, 12000, 7000, 19000};
  std::vector<Observation> rows;
  for (int i = 0; i < 6; ++i) {
    rows.push_back({towns[i], "resident_contribution_avg", d("2021-06-30"), june_avg[i]});
    rows.push_back({towns[i], "resident_paid", d("2021-06-30"), june_paid[i]});
    rows.push_back({towns[i], "resident_contribution_avg", d("2021-12-31"), dec_avg[i]});
    rows.push_back({towns[i], "resident_paid", d("2021-12-31"), dec_paid[i]});
  }
  return rows;
}

MetricValue one(const Progress& g, const char* as_of, const char* unit, const char* metric) {
  const auto v = metric_values(g, d(as_of), MetricQuery{unit, metric});
  EXPECT_EQ(v.size(), 1u);
  return v.at(0);
}

// 000 with the town's 入库参保率 target written on the town (000 二:
// 全镇基本养老保险入库参保率达到90%以上), and two villages' counts.
PolicyPtr xx_town_with_rate_target() {
  nlohmann::json doc =
      nlohmann::json::parse(source_text("examples/policies/000-xx-town-2021.json"));
  doc["units"][0]["targets"]["enrollment_rate"] = "90%";
  return load_policy(doc.dump(), "000+rate-target");
}

const char* kXxRows =
    "unit_id,metric,date,value\n"
    "dongfeng,pension_should_enroll,2021-06-30,1450\n"
    "dongfeng,pension_enrolled,2021-06-30,1200\n"
    "hongqi,pension_should_enroll,2021-06-30,2000\n"
    "hongqi,pension_enrolled,2021-06-30,1700\n";

}  // namespace

TEST(MetricValues, CityAverageContributionIsWeightedByPayersWithItsTargetAndShortfall) {
  const PolicyPtr p = chengjiang();
  const Progress g = Progress::from_records(p, chengjiang_rows());
  // June: (340x5000 + 320x30000 + 300x50000) / 85000 = (1,700,000 + 9,600,000 +
  // 15,000,000) / 85000 = 26,300,000 / 85,000 = 5260/17 = 309.41 yuan; the city's
  // target is 330 (001 三), short by 330 - 5260/17 = (5610 - 5260)/17 = 350/17.
  const MetricValue june = one(g, "2021-06-30", "chengjiang", "resident_contribution_avg");
  EXPECT_EQ(june.kind, MetricKind::average);
  EXPECT_EQ(*june.value, Ratio(5260, 17));
  EXPECT_EQ(*june.target, Ratio(330));
  EXPECT_EQ(*june.shortfall, Ratio(350, 17));
  EXPECT_FALSE(june.own);  // rolled up from the towns
  EXPECT_EQ(june.last_observed, d("2021-06-30"));
  // A day later nothing changed: the same figure, last observed 06-30.
  const MetricValue july = one(g, "2021-07-01", "chengjiang", "resident_contribution_avg");
  EXPECT_EQ(*july.value, Ratio(5260, 17));
  EXPECT_EQ(july.last_observed, d("2021-06-30"));
  // December: (350x6000 + 330x91000) / 97000 = 32,130,000 / 97,000 = 331.24: met.
  const MetricValue dec = one(g, "2021-12-31", "chengjiang", "resident_contribution_avg");
  EXPECT_EQ(*dec.value, Ratio(32130000, 97000));
  EXPECT_EQ(*dec.shortfall, Ratio(0));
  // 凤麓街道's own figure against its own target 350: 340 in June (short 10), 350 met.
  const MetricValue fenglu = one(g, "2021-06-30", "fenglu", "resident_contribution_avg");
  EXPECT_TRUE(fenglu.own);
  EXPECT_EQ(*fenglu.value, Ratio(340));
  EXPECT_EQ(*fenglu.target, Ratio(350));
  EXPECT_EQ(*fenglu.shortfall, Ratio(10));
  EXPECT_EQ(*one(g, "2021-12-31", "fenglu", "resident_contribution_avg").shortfall, Ratio(0));
}

TEST(MetricValues, NeverReadsAfterAsOfAndUndefinedHasNoShortfall) {
  const PolicyPtr p = chengjiang();
  const Progress g = Progress::from_records(p, chengjiang_rows());
  // Before the first observation the average is undefined: no value, no
  // shortfall, but still the target.
  const MetricValue before = one(g, "2021-06-29", "chengjiang", "resident_contribution_avg");
  EXPECT_FALSE(before.value);
  EXPECT_EQ(*before.target, Ratio(330));
  EXPECT_FALSE(before.shortfall);
  EXPECT_FALSE(before.last_observed);
  // A count with no observation is 0; the city's resident_to_employee target 800.
  const MetricValue conversions = one(g, "2021-06-30", "chengjiang", "resident_to_employee");
  EXPECT_EQ(*conversions.value, Ratio(0));
  EXPECT_EQ(*conversions.shortfall, Ratio(800));
  // A metric with no target on the unit: no target, no shortfall.
  const MetricValue paid = one(g, "2021-06-30", "chengjiang", "resident_paid");
  EXPECT_EQ(*paid.value, Ratio(85000));
  EXPECT_FALSE(paid.target);
  EXPECT_FALSE(paid.shortfall);
}

TEST(MetricValues, RateWithItsTargetAndShortfall) {
  const PolicyPtr p = xx_town_with_rate_target();
  std::istringstream in(kXxRows);
  const Progress g = read_progress_csv(p, in, "rows.csv");
  // Town: (1200 + 1700) / (1450 + 2000) = 2900/3450 = 58/69 = 84.06%, not the
  // mean of 82.76% and 85%. Short of 90% by 9/10 - 58/69 = (621 - 580)/690 = 41/690.
  const MetricValue town = one(g, "2021-06-30", "xx-town", "enrollment_rate");
  EXPECT_EQ(town.kind, MetricKind::rate);
  EXPECT_EQ(*town.value, Ratio(58, 69));
  EXPECT_EQ(*town.target, Ratio(9, 10));
  EXPECT_EQ(*town.shortfall, Ratio(41, 690));
  EXPECT_FALSE(town.own);
  // 东风村 reported its numerator and denominator itself: own, 1200/1450 = 24/29.
  const MetricValue dongfeng = one(g, "2021-06-30", "dongfeng", "enrollment_rate");
  EXPECT_TRUE(dongfeng.own);
  EXPECT_EQ(*dongfeng.value, Ratio(24, 29));
  // 新民村 reported nothing: 0 / 0 is undefined.
  EXPECT_FALSE(one(g, "2021-06-30", "xinmin", "enrollment_rate").value);
}

TEST(MetricValues, QueryOrderAndUnknownIds) {
  const PolicyPtr p = chengjiang();
  const Progress g = Progress::from_records(p, chengjiang_rows());
  // Every metric of every unit: units in policy order, then metrics.
  const auto all = metric_values(g, d("2021-06-30"));
  ASSERT_EQ(all.size(), p->units.units.size() * p->metrics.size());
  EXPECT_EQ(all[0].unit_id, "chengjiang");
  EXPECT_EQ(all[0].metric_id, p->metrics[0].id);
  EXPECT_EQ(all[1].metric_id, p->metrics[1].id);
  EXPECT_EQ(all[p->metrics.size()].unit_id, "fenglu");
  // One metric for every unit: 11 units.
  EXPECT_EQ(metric_values(g, d("2021-06-30"), MetricQuery{"", "resident_paid"}).size(), 11u);
  try {
    metric_values(g, d("2021-06-30"), MetricQuery{"fenglou", ""});
    FAIL() << "no error";
  } catch (const ArgumentError& e) {
    EXPECT_EQ(e.where(), "unit");
    EXPECT_NE(std::string(e.what()).find("no unit \"fenglou\" in the policy (closest: fenglu"),
              std::string::npos)
        << e.what();
  }
  try {
    metric_values(g, d("2021-06-30"), MetricQuery{"", "resident_payed"});
    FAIL() << "no error";
  } catch (const ArgumentError& e) {
    EXPECT_EQ(e.where(), "metric");
    EXPECT_NE(std::string(e.what()).find("(closest: resident_paid"), std::string::npos) << e.what();
  }
}

TEST(MetricValues, CallJsonAndTheCAbiAnswerTheValuesOp) {
  const PolicyPtr p = xx_town_with_rate_target();
  const std::string request = nlohmann::json{
      {"op", "values"},
      {"as_of", "2021-06-30"},
      {"unit", "xx-town"},
      {"metric", "enrollment_rate"},
      {"progress_csv", kXxRows}}.dump();
  // 58/69 = 0.840579710 -> "0.84058"; 41/690 = 0.0594202... -> "0.05942".
  const std::string want =
      R"([{"kind":"rate","last_observed":"2021-06-30","metric":"enrollment_rate","own":false,)"
      R"("shortfall":"0.05942","target":"0.9","unit_id":"xx-town","value":"0.84058"}])";
  EXPECT_EQ(call_json(*p, request), want);

  const std::string policy_json = to_json(*p);
  canbao_policy* cp = nullptr;
  ASSERT_EQ(canbao_policy_from_json(policy_json.data(), policy_json.size(), &cp), CANBAO_OK);
  char* response = nullptr;
  ASSERT_EQ(canbao_call_json(cp, request.data(), request.size(), &response), CANBAO_OK);
  EXPECT_EQ(std::string(response), want);
  canbao_string_free(response);
  // An unknown unit is the request's input error, named by its key.
  const std::string bad = nlohmann::json{
      {"op", "values"},
      {"as_of", "2021-06-30"},
      {"unit", "dongfong"},
      {"progress_csv",
       kXxRows}}.dump();
  EXPECT_EQ(canbao_call_json(cp, bad.data(), bad.size(), &response), CANBAO_INPUT_ERROR);
  EXPECT_EQ(response, nullptr);
  const std::string message = canbao_last_error();
  EXPECT_EQ(message.rfind("request.unit: no unit \"dongfong\" in the policy (closest: dongfeng", 0),
            0u)
      << message;
  canbao_policy_free(cp);
}

TEST(MetricValues, WritersPrintTheSameValues) {
  const PolicyPtr p = xx_town_with_rate_target();
  std::istringstream in(kXxRows);
  const Progress g = read_progress_csv(p, in, "rows.csv");
  const auto v = metric_values(g, d("2021-06-30"), MetricQuery{"xx-town", "enrollment_rate"});
  std::ostringstream csv;
  write_metric_values_csv(v, *p, csv);
  EXPECT_EQ(csv.str(),
            "unit_id,unit_name,metric,metric_name,kind,value,target,shortfall,own,last_observed\n"
            "xx-town,XX镇,enrollment_rate,基本养老保险入库参保率,rate,0.84058,0.9,0.05942,false,"
            "2021-06-30\n");
  std::ostringstream text;
  write_metric_values_text(v, *p, d("2021-06-30"), text);
  // Rates in percent cut to two decimals: 84.0579...% -> 84.05%, 5.942...% -> 5.94%.
  EXPECT_NE(text.str().find("84.05%  90.00%      5.94%  汇总 [rolled up]  2021-06-30"),
            std::string::npos)
      << text.str();
  std::ostringstream json;
  write_metric_values_json(v, json, -1);
  EXPECT_EQ(json.str(), call_json(*p, nlohmann::json{{"op", "values"},
                                                     {"as_of", "2021-06-30"},
                                                     {"unit", "xx-town"},
                                                     {"metric", "enrollment_rate"},
                                                     {"progress_csv", kXxRows}}
                                          .dump()) +
                            "\n");
}
