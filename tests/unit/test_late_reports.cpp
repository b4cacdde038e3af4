// Late reports (late_reports.hpp) against 001's reporting cadence: "2021年5月—12月
// 期间,于每月2日前将截至上月末工作进展情况...报至" (001 五(三)). The calendar
// model reads "2日前" as by the 2nd inclusive: the report due 2021-06-02 covers
// progress up to 05-31 (docs/calendar.md). A row handed in on 06-03 is 1 day late.
#include <canbao/late_reports.hpp>

#include <gtest/gtest.h>

#include "source_files.hpp"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include <canbao/error.hpp>
#include <canbao/json_api.hpp>
#include <canbao/report.hpp>

using namespace canbao;

namespace {

using canbao_test::chengjiang;
using canbao_test::source_text;

Date d(const char* iso) { return *parse_iso_date(iso); }

// 001's policy names the six towns (各镇(街道)) in campaign.reporting.submitted_by;
// 九村镇's report is its four villages' rows.
const char* kRows =
    "unit_id,metric,date,value,submitted\n"
    "fenglu,resident_enrolled,2021-05-31,5988,2021-06-02\n"    // on the due day: on time
    "longjie,resident_enrolled,2021-05-31,33477,2021-06-03\n"  // 1 day late
    "longjie,resident_paid,2021-05-31,21425,2021-06-01\n"      // (its other row was on time)
    "yousuo,resident_enrolled,2021-05-31,20522,\n"             // no date: unknown
    "haikou,resident_enrolled,2021-05-20,12247,2021-06-01\n"   // in May, not on 05-31: on time
    "lujv,resident_enrolled,2021-05-31,19131,2021-06-12\n";    // after as_of 06-10: missing

Progress rows(const PolicyPtr& p) {
  std::istringstream in(kRows);
  return read_progress_csv(p, in, "rows.csv");
}

const ReportingCheck& find(const std::vector<ReportingCheck>& checks, const char* due,
                           const char* unit) {
  for (const ReportingCheck& c : checks) {
    if (c.deadline.due == d(due) && c.unit_id == unit) return c;
  }
  ADD_FAILURE() << "no check " << due << " " << unit;
  return checks.front();
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(LateReports, OneMonthOf001sCadence) {
  const PolicyPtr p = chengjiang();
  const Progress g = rows(p);
  const Date as_of = d("2021-06-10");
  EXPECT_EQ(reporting_units(g, as_of).size(), 6u);  // the 6 towns
  const auto checks = check_reporting(g, as_of);
  // Passed by 06-10: the reports due 05-02 (covering April) and 06-02 (May).
  ASSERT_EQ(checks.size(), 12u);
  EXPECT_EQ(checks.front().deadline.due, d("2021-05-02"));
  EXPECT_EQ(checks.front().deadline.covers_until, d("2021-04-30"));
  // Nobody has an April row: missing, 06-10 - 05-02 = 39 days overdue.
  EXPECT_EQ(find(checks, "2021-05-02", "fenglu").status, SubmissionStatus::missing);
  EXPECT_EQ(find(checks, "2021-05-02", "fenglu").days_late, 39);

  const ReportingCheck& fenglu = find(checks, "2021-06-02", "fenglu");
  EXPECT_EQ(fenglu.status, SubmissionStatus::on_time);
  EXPECT_EQ(fenglu.submitted, d("2021-06-02"));
  // 龙街's last row came on 06-03: 06-03 - 06-02 = 1 day late.
  const ReportingCheck& longjie = find(checks, "2021-06-02", "longjie");
  EXPECT_EQ(longjie.status, SubmissionStatus::late);
  EXPECT_EQ(longjie.submitted, d("2021-06-03"));
  EXPECT_EQ(longjie.days_late, 1);
  EXPECT_EQ(find(checks, "2021-06-02", "yousuo").status, SubmissionStatus::unknown);
  EXPECT_EQ(find(checks, "2021-06-02", "haikou").status, SubmissionStatus::on_time);
  // 路居's row was handed in on 06-12: on 06-10 it is not known yet. 06-10 - 06-02 = 8.
  const ReportingCheck& lujv = find(checks, "2021-06-02", "lujv");
  EXPECT_EQ(lujv.status, SubmissionStatus::missing);
  EXPECT_EQ(lujv.days_late, 8);
  EXPECT_FALSE(lujv.submitted);
  // 九村镇: none of its villages has a May row.
  EXPECT_EQ(find(checks, "2021-06-02", "jiucun").status, SubmissionStatus::missing);
  // Seen on 06-12, 路居's report is late by 06-12 - 06-02 = 10 days.
  const auto later = check_reporting(g, d("2021-06-12"));
  EXPECT_EQ(find(later, "2021-06-02", "lujv").status, SubmissionStatus::late);
  EXPECT_EQ(find(later, "2021-06-02", "lujv").days_late, 10);
  // On the due day itself nothing about that deadline is decided yet.
  for (const ReportingCheck& c : check_reporting(g, d("2021-06-02")))
    EXPECT_EQ(c.deadline.due, d("2021-05-02"));
}

TEST(LateReports, TheReportListsLateAndMissingUnits) {
  const PolicyPtr p = chengjiang();
  const CampaignReport r = make_report(rows(p), d("2021-06-10"));
  // 12 checks: 6 missing in April; in May 龙街 late, 路居 and 九村 missing,
  // 右所 unknown, 凤麓 and 海口 on time.
  EXPECT_EQ(r.late_reports.size(), 6u + 1u + 2u);
  EXPECT_EQ(r.reports_unknown, 1);
  std::ostringstream text;
  write_report_text(r, *p, text);
  EXPECT_NE(text.str().find("  迟报 [late reports]:\n"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("    2021-06-02 (截至 2021-05-31) 龙街街道 longjie — 2021-06-03 报送, "
                            "迟 1 天 [1 day late]\n"),
            std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("    2021-06-02 (截至 2021-05-31) 路居镇 lujv — 未报送, 已逾期 8 天 "
                            "[missing, 8 days overdue]\n"),
            std::string::npos);
  std::ostringstream json;
  write_report_json(r, json, -1);
  const auto j = nlohmann::json::parse(json.str());
  EXPECT_EQ(j["reports_unknown"], 1);
  bool found = false;
  for (const auto& c : j["late_reports"]) {
    if (c["unit_id"] == "longjie" && c["due"] == "2021-06-02") {
      found = true;
      EXPECT_EQ(c, nlohmann::json::parse(R"({"due":"2021-06-02","covers_until":"2021-05-31",
          "unit_id":"longjie","status":"late","submitted":"2021-06-03","days_late":1})"));
    }
  }
  EXPECT_TRUE(found);
}

// make_report keeps only the late and missing checks as it goes (a national
// campaign has one per unit and month): the same ones, in the same order, as
// check_reporting's full list filtered, and the same unknown count.
TEST(LateReports, TheReportKeepsCheckReportingsLateOnesInOrder) {
  const PolicyPtr p = chengjiang();
  const Progress g = rows(p);
  for (const char* as_of : {"2021-05-03", "2021-06-02", "2021-06-03", "2021-06-10", "2021-12-31"}) {
    SCOPED_TRACE(as_of);
    const CampaignReport r = make_report(g, d(as_of));
    std::vector<const ReportingCheck*> late;
    std::int64_t unknown = 0;
    const std::vector<ReportingCheck> all = check_reporting(g, d(as_of));
    for (const ReportingCheck& c : all) {
      if (c.status == SubmissionStatus::late || c.status == SubmissionStatus::missing)
        late.push_back(&c);
      if (c.status == SubmissionStatus::unknown) ++unknown;
    }
    EXPECT_EQ(r.reports_unknown, unknown);
    ASSERT_EQ(r.late_reports.size(), late.size());
    for (std::size_t i = 0; i < late.size(); ++i) {
      EXPECT_EQ(r.late_reports[i].unit_id, late[i]->unit_id);
      EXPECT_EQ(r.late_reports[i].unit, late[i]->unit);
      EXPECT_EQ(r.late_reports[i].deadline.due, late[i]->deadline.due);
      EXPECT_EQ(r.late_reports[i].status, late[i]->status);
      EXPECT_EQ(r.late_reports[i].submitted, late[i]->submitted);
      EXPECT_EQ(r.late_reports[i].days_late, late[i]->days_late);
    }
  }
}

TEST(LateReports, ATownsReportCarriesItsVillagesRows) {
  const PolicyPtr p = chengjiang();
  // One of 九村镇's villages hands in its May figures on 06-05: the town's
  // report due 06-02 is 06-05 - 06-02 = 3 days late.
  std::istringstream in(std::string(kRows) +
                        "jiucun-v1,resident_enrolled,2021-05-31,2000,2021-06-05\n");
  const auto checks = check_reporting(read_progress_csv(p, in, "rows.csv"), d("2021-06-10"));
  const ReportingCheck& jiucun = find(checks, "2021-06-02", "jiucun");
  EXPECT_EQ(jiucun.status, SubmissionStatus::late);
  EXPECT_EQ(jiucun.days_late, 3);
}

TEST(LateReports, WithoutSubmittedByTheUnitsThatReportFiguresMustReport) {
  nlohmann::json doc =
      nlohmann::json::parse(source_text("examples/policies/001-chengjiang-2021.json"));
  doc["campaign"]["reporting"].erase("submitted_by");
  const PolicyPtr p = load_policy(doc.dump(), "001 without submitted_by");
  const Progress g = rows(p);
  // The leaves: the five towns without villages and 九村镇's four villages.
  EXPECT_EQ(reporting_units(g, d("2021-06-10")).size(), 9u);
  EXPECT_EQ(find(check_reporting(g, d("2021-06-10")), "2021-06-02", "jiucun-v1").status,
            SubmissionStatus::missing);
}

TEST(LateReports, SubmittedByNamesPolicyUnitsOnce) {
  nlohmann::json doc =
      nlohmann::json::parse(source_text("examples/policies/001-chengjiang-2021.json"));
  doc["campaign"]["reporting"]["submitted_by"] = {"fenglu", "nowhere"};
  EXPECT_EQ(error_of([&] { load_policy(doc.dump(), "p"); }),
            "campaign.reporting.submitted_by[1]: no unit \"nowhere\"");
  doc["campaign"]["reporting"]["submitted_by"] = {"fenglu", "fenglu"};
  EXPECT_EQ(error_of([&] { load_policy(doc.dump(), "p"); }),
            "campaign.reporting.submitted_by[1]: unit \"fenglu\" is listed twice");
}

TEST(LateReports, NoCadenceNoChecks) {
  const PolicyPtr p = load_policy(source_text("examples/policies/000-xx-town-2021.json"), "000");
  const Progress g = read_progress_csv_file(
      p, std::string(CANBAO_SOURCE_DIR) + "/examples/progress/000-xx-town-2021.csv");
  EXPECT_TRUE(check_reporting(g, d("2021-12-31")).empty());
  EXPECT_TRUE(make_report(g, d("2021-12-31")).late_reports.empty());
}

TEST(LateReports, SubmittedDatesAreCheckedWhereTheyAre) {
  const PolicyPtr p = chengjiang();
  auto csv_error = [&](const std::string& text) {
    return error_of([&] {
      std::istringstream in(text);
      read_progress_csv(p, in, "rows.csv");
    });
  };
  EXPECT_EQ(csv_error("unit_id,metric,date,value,submitted\n"
                      "fenglu,resident_enrolled,2021-05-31,1,2021-05-30\n"),
            "rows.csv:2:5: submitted 2021-05-30 is before the row's date 2021-05-31 (a figure is "
            "handed in on or after the day it is as of)");
  EXPECT_EQ(csv_error("unit_id,metric,date,value,submitted\n"
                      "fenglu,resident_enrolled,2021-05-31,1,2021-06-31\n")
                .rfind("rows.csv:2:5: ", 0),
            0u);
  // Records: the record's path; the JSON API: the request's.
  EXPECT_EQ(error_of([&] {
              Observation o{"fenglu", "resident_enrolled", d("2021-05-31"), 1};
              o.submitted = d("2021-05-01");
              Progress::from_records(p, {o});
            }),
            "records[0].submitted: submitted 2021-05-01 is before the row's date 2021-05-31 (a "
            "figure is handed in on or after the day it is as of)");
  const std::string request = R"({"op":"report","as_of":"2021-06-10","progress":[
      {"unit_id":"fenglu","metric":"resident_enrolled","date":"2021-05-31","value":1,
       "submitted":"2021-06-03"},
      {"unit_id":"fenglu","metric":"resident_paid","date":"2021-05-31","value":1,
       "submitted":"2021-05-01"}]})";
  EXPECT_EQ(error_of([&] { call_json(*p, request); }).rfind("request.progress[1].submitted: ", 0),
            0u)
      << error_of([&] { call_json(*p, request); });
  // A good record through call_json: 凤麓 1 day late.
  const std::string good = R"({"op":"report","as_of":"2021-06-10","progress":[
      {"unit_id":"fenglu","metric":"resident_enrolled","date":"2021-05-31","value":1,
       "submitted":"2021-06-03"}]})";
  const auto j = nlohmann::json::parse(call_json(*p, good));
  bool found = false;
  for (const auto& c : j["late_reports"]) {
    if (c["unit_id"] == "fenglu" && c["due"] == "2021-06-02") {
      found = true;
      EXPECT_EQ(c["days_late"], 1);
    }
  }
  EXPECT_TRUE(found);
}

TEST(LateReports, RowsReportedCountsSegmentRowsAndOnlyWhatIsKnownOnTheDay) {
  // 003's sectors: 衡南县's whole figure and its hospitality figure on 09-15
  // (examples/progress/003-hengyang.csv) are two rows of one report.
  const PolicyPtr p =
      load_policy(source_text("examples/policies/003-hengyang.json"), "003-hengyang.json");
  std::istringstream in(
      "unit_id,metric,date,value,segment,submitted\n"
      "hengnan,expansion_enrolled,2008-09-15,3980,,2008-09-16\n"
      "hengnan,expansion_enrolled,2008-09-15,410,hospitality,2008-09-20\n"
      "hengnan,expansion_enrolled,2008-08-31,3500,,\n");
  const Progress g = read_progress_csv(p, in, "rows.csv");
  const int hengnan = p->units.find("hengnan");
  // September: both rows known on 09-30, the later one came on 09-20.
  const RowsReported sept =
      g.rows_reported(hengnan, d("2008-09-01"), d("2008-09-30"), d("2008-09-30"));
  EXPECT_EQ(sept.rows, 2u);
  EXPECT_EQ(sept.undated, 0u);
  EXPECT_EQ(sept.last_submitted, d("2008-09-20"));
  // On 09-18 the hospitality row is not known yet: one row, in on 09-16.
  const RowsReported early =
      g.rows_reported(hengnan, d("2008-09-01"), d("2008-09-30"), d("2008-09-18"));
  EXPECT_EQ(early.rows, 1u);
  EXPECT_EQ(early.last_submitted, d("2008-09-16"));
  // August: one row without a date.
  const RowsReported aug =
      g.rows_reported(hengnan, d("2008-08-01"), d("2008-08-31"), d("2008-09-30"));
  EXPECT_EQ(aug.rows, 1u);
  EXPECT_EQ(aug.undated, 1u);
  EXPECT_FALSE(aug.last_submitted);
}
