// The richer calendar (issue 11 item 2): one-off deadlines, open-ended phases,
// reporting cadences across a year end and at month ends, and phases and
// milestones scoped to a segment with progress per segment. Figures are worked
// by hand in the comments.
#include <canbao/calendar.hpp>
#include <canbao/error.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/progress.hpp>
#include <canbao/report.hpp>

#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

using namespace canbao;
using nlohmann::json;

namespace {

Date d(int y, int m, int day) { return *Date::from_ymd(y, m, day); }

PolicyPtr example(const std::string& name) {
  return load_policy_file(std::string(CANBAO_SOURCE_DIR) + "/examples/policies/" + name);
}

// A small policy: a city with two counties, one count metric, segments.
json base() {
  return json::parse(R"({
    "schema": "canbao.policy/1",
    "campaign": {"id": "c", "title": "t", "year": 2024,
                 "phases": [{"id": "p", "name": "P", "start": "{year}-03-01", "end": "{year}-06-30"}]},
    "metrics": [{"id": "enrolled", "name": "参保人数", "kind": "count"},
                {"id": "population", "name": "应参保人数", "kind": "count"},
                {"id": "rate", "name": "参保率", "kind": "rate",
                 "numerator": "enrolled", "denominator": "population"}],
    "units": [{"id": "city", "name": "市", "level": "city"},
              {"id": "a", "name": "甲县", "level": "county", "parent": "city"},
              {"id": "b", "name": "乙县", "level": "county", "parent": "city"}]
  })");
}

PolicyPtr load(const json& doc) { return load_policy(doc.dump()); }

// The PolicyError a document gives, as "where: message".
std::string load_error(const json& doc) {
  try {
    load(doc);
  } catch (const PolicyError& e) {
    return e.where() + ": " + e.message();
  }
  return "(loaded)";
}

std::vector<std::string> phase_ids_on(const Campaign& c, Date day) {
  std::vector<std::string> ids;
  for (const Phase* p : phases_on(c, day)) ids.push_back(p->id);
  return ids;
}

// Canonical text of a policy reloaded from its own canonical text.
void expect_round_trip(const PolicyPtr& p) {
  const std::string text = to_json(*p, -1);
  const PolicyPtr again = load_policy(text);
  EXPECT_EQ(to_json(*again, -1), text);
  EXPECT_EQ(again->fingerprint(), p->fingerprint());
}

}  // namespace

// ---------------------------------------------------------------- one-off deadlines

TEST(CalendarDeadlines, ChengjiangSummaryIsDueOnDecemberFifthWithItsContentsNamed) {
  // 001 四(四): 总结形成文字材料于2021年12月5日前报市专项扩面工作领导小组办公室.
  const auto p = example("001-chengjiang-2021.json");
  ASSERT_EQ(p->campaign.deadlines.size(), 1u);
  const Deadline& s = p->campaign.deadlines[0];
  EXPECT_EQ(s.id, "summary");
  EXPECT_EQ(s.due.date, d(2021, 12, 5));
  ASSERT_EQ(s.contents.size(), 1u);
  EXPECT_NE(s.contents[0].find("总结"), std::string::npos);
  EXPECT_EQ(s.submitted_by.size(), 6u);  // the six 镇(街道)
  EXPECT_EQ(s.submit_to, "市专项扩面工作领导小组办公室");
  // Due on or after a day: inclusive of the due day, gone the day after.
  EXPECT_EQ(deadlines_from(p->campaign, d(2021, 12, 4)).size(), 1u);
  EXPECT_EQ(deadlines_from(p->campaign, d(2021, 12, 5)).size(), 1u);
  EXPECT_TRUE(deadlines_from(p->campaign, d(2021, 12, 6)).empty());
  // The fake metric and milestone are gone; the monthly cadence is unchanged.
  EXPECT_LT(p->metric_index("summary_reports"), 0);
  EXPECT_EQ(reporting_deadlines(p->campaign).size(), 8u);
  expect_round_trip(p);
}

TEST(CalendarDeadlines, ReportListsEveryDeadlineWithTheDaysLeft) {
  const auto p = example("001-chengjiang-2021.json");
  const Progress g = Progress::from_records(p, {});
  // 2021-12-05 - 2021-11-30 = 5 days; on 12-05: 0; on 12-31: -26.
  EXPECT_EQ(make_report(g, d(2021, 11, 30)).deadlines.at(0).days_left, 5);
  EXPECT_EQ(make_report(g, d(2021, 12, 5)).deadlines.at(0).days_left, 0);
  EXPECT_EQ(make_report(g, d(2021, 12, 31)).deadlines.at(0).days_left, -26);
  std::ostringstream text;
  write_report_text(make_report(g, d(2021, 11, 30)), *p, text);
  EXPECT_NE(text.str().find("2021-12-05 专项行动总结 [summary] — 还有 5 天 [5 days left]"),
            std::string::npos)
      << text.str();
  std::ostringstream js;
  write_report_json(make_report(g, d(2021, 12, 31)), js);
  const json r = json::parse(js.str());
  EXPECT_EQ(r["deadlines"][0]["due"], "2021-12-05");
  EXPECT_EQ(r["deadlines"][0]["days_left"], -26);
}

TEST(CalendarDeadlines, DeadlinesAreListedByDueDateThenPolicyOrder) {
  json doc = base();
  doc["campaign"]["deadlines"] = json::parse(R"([
    {"id": "late", "name": "L", "due": "{year}-12-05", "contents": ["总结"]},
    {"id": "early", "name": "E", "due": "{year}-06-30", "contents": ["半年报告", "统计表"]},
    {"id": "late2", "name": "L2", "due": "{year}-12-05", "contents": ["表彰名单"]}])");
  const auto p = load(doc);
  std::vector<std::string> ids;
  for (const Deadline* x : deadlines_from(p->campaign, d(2024, 1, 1))) ids.push_back(x->id);
  EXPECT_EQ(ids, (std::vector<std::string>{"early", "late", "late2"}));
  expect_round_trip(p);
}

TEST(CalendarDeadlines, BadDeadlinesAreNamedByPath) {
  json doc = base();
  doc["campaign"]["deadlines"] =
      json::parse(R"([{"id": "s", "name": "S", "due": "{year}-12-05"}])");
  EXPECT_EQ(load_error(doc), "campaign.deadlines[0].contents: required key is missing");
  doc["campaign"]["deadlines"][0]["contents"] = json::array();
  EXPECT_EQ(load_error(doc), "campaign.deadlines[0].contents: name at least one thing that is due");
  doc["campaign"]["deadlines"][0]["contents"] = {"总结"};
  doc["campaign"]["deadlines"][0]["submitted_by"] = {"a", "x"};
  EXPECT_EQ(load_error(doc), "campaign.deadlines[0].submitted_by[1]: no unit \"x\"");
  doc["campaign"]["deadlines"][0]["submitted_by"] = {"a"};
  doc["campaign"]["deadlines"][0]["due"] = "{year}-02-30";
  EXPECT_NE(load_error(doc).find("campaign.deadlines[0].due: "), std::string::npos);
  doc["campaign"]["deadlines"][0]["due"] = "{year}-12-05";
  doc["campaign"]["deadlines"][0]["contnets"] = {"x"};
  EXPECT_NE(load_error(doc).find("campaign.deadlines[0].contnets: unknown key"), std::string::npos);
}

// ---------------------------------------------------------------- open-ended phases

TEST(CalendarOpenPhases, ShiyanMobilisationHasOnlyAnEndAndStartsOnTheCampaignsFirstDay) {
  // 004 四(一): 动员部署阶段(3月15日前). No start: from 2023-01-01 (the campaign year's
  // first day) to 03-15 inclusive; 重点攻坚 starts 03-16.
  const auto p = example("004-shiyan-2023-retirement.json");
  const Phase& m = p->campaign.phases.at(0);
  EXPECT_TRUE(m.open_start);
  EXPECT_FALSE(m.open_end);
  EXPECT_EQ(m.range(), (DateRange{d(2023, 1, 1), d(2023, 3, 15)}));
  EXPECT_TRUE(phase_ids_on(p->campaign, d(2022, 12, 31)).empty());
  EXPECT_EQ(phase_ids_on(p->campaign, d(2023, 1, 1)), (std::vector<std::string>{"mobilise"}));
  EXPECT_EQ(phase_ids_on(p->campaign, d(2023, 3, 15)), (std::vector<std::string>{"mobilise"}));
  EXPECT_EQ(phase_ids_on(p->campaign, d(2023, 3, 16)), (std::vector<std::string>{"push"}));
  expect_round_trip(p);
  // The writer leaves the open end out: a reload gives the same open phase.
  const json j = json::parse(to_json(*p));
  EXPECT_FALSE(j["campaign"]["phases"][0].contains("start"));
}

TEST(CalendarOpenPhases, JinzhouReviewHasOnlyAStartAndNoEnd) {
  // 002 晋州 三(四): 从20xx年11月起. The campaign has no end, so the phase runs on.
  const auto p = example("002-jinzhou-template.json");
  const Phase& r = p->campaign.phases.at(3);
  EXPECT_EQ(r.id, "review");
  EXPECT_TRUE(r.open_end);
  EXPECT_EQ(r.start.date, d(2012, 11, 1));
  EXPECT_EQ(r.end.date, supported_dates().last);
  EXPECT_TRUE(phase_ids_on(p->campaign, d(2012, 10, 31)) ==
              (std::vector<std::string>{"enrollment"}));
  EXPECT_EQ(phase_ids_on(p->campaign, d(2013, 6, 1)), (std::vector<std::string>{"review"}));
  expect_round_trip(p);
  // Another year: the open end stays open, the start moves.
  const auto y = instantiate_for_year(*p, 2030);
  EXPECT_EQ(y->campaign.phases.at(3).start.date, d(2030, 11, 1));
  EXPECT_TRUE(y->campaign.phases.at(3).open_end);
}

TEST(CalendarOpenPhases, CampaignStartAndEndBoundOpenPhases) {
  json doc = base();
  doc["campaign"]["start"] = "{year}-02-10";
  doc["campaign"]["end"] = "{year+1}-01-31";
  doc["campaign"]["phases"] = json::parse(R"([
    {"id": "early", "name": "E", "end": "{year}-03-15"},
    {"id": "late", "name": "L", "start": "{year}-11-01"}])");
  const auto p = load(doc);
  EXPECT_EQ(p->campaign.phases[0].range(), (DateRange{d(2024, 2, 10), d(2024, 3, 15)}));
  EXPECT_EQ(p->campaign.phases[1].range(), (DateRange{d(2024, 11, 1), d(2025, 1, 31)}));
  EXPECT_TRUE(phase_ids_on(p->campaign, d(2024, 2, 9)).empty());
  EXPECT_EQ(phase_ids_on(p->campaign, d(2025, 1, 31)), (std::vector<std::string>{"late"}));
  EXPECT_TRUE(phase_ids_on(p->campaign, d(2025, 2, 1)).empty());
  expect_round_trip(p);
  // Report text: the open end is said, with the campaign's end.
  std::ostringstream text;
  write_report_text(make_report(Progress::from_records(p, {}), d(2024, 12, 1)), *p, text);
  EXPECT_NE(text.str().find("2024-11-01 至 2025-01-31 (未写截止, 至活动末日"), std::string::npos)
      << text.str();
}

TEST(CalendarOpenPhases, BadOpenPhasesAreNamedByPath) {
  json doc = base();
  doc["campaign"]["phases"][0].erase("start");
  doc["campaign"]["phases"][0].erase("end");
  EXPECT_EQ(load_error(doc),
            "campaign.phases[0]: a phase needs a start, an end or both (an open end is left out)");
  doc["campaign"]["phases"][0]["end"] = "{year-1}-12-31";
  EXPECT_EQ(load_error(doc),
            "campaign.phases[0].end: 2023-12-31 is before the campaign's first "
            "day 2024-01-01 (where an open start begins)");
  doc["campaign"]["phases"][0].erase("end");
  doc["campaign"]["phases"][0]["start"] = "{year}-11-01";
  doc["campaign"]["end"] = "{year}-10-31";
  EXPECT_EQ(load_error(doc),
            "campaign.phases[0].start: 2024-11-01 is after the campaign's end "
            "2024-10-31 (where an open end stops)");
  doc["campaign"]["start"] = "{year}-12-01";
  EXPECT_EQ(load_error(doc), "campaign.end: 2024-10-31 is before the start 2024-12-01");
}

// ---------------------------------------------------------------- reporting cadences

TEST(CalendarCadence, MonthlyFromNovemberToMarchOfTheNextYear) {
  // Due on the 5th, November 2024 .. March 2025: 5 deadlines, each covering up to
  // the end of the previous month (2025-03-05 covers up to 2025-02-28).
  json doc = base();
  doc["campaign"]["reporting"] =
      json::parse(R"({"every": "month", "from": "{year}-11", "to": "{year+1}-03", "due_day": 5})");
  const auto p = load(doc);
  const auto r = reporting_deadlines(p->campaign);
  ASSERT_EQ(r.size(), 5u);
  const Date due[] = {d(2024, 11, 5), d(2024, 12, 5), d(2025, 1, 5), d(2025, 2, 5), d(2025, 3, 5)};
  const Date covers[] = {d(2024, 10, 31), d(2024, 11, 30), d(2024, 12, 31), d(2025, 1, 31),
                         d(2025, 2, 28)};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(r[i].due, due[i]) << i;
    EXPECT_EQ(r[i].covers_until, covers[i]) << i;
  }
  EXPECT_EQ(next_reporting_deadline(p->campaign, d(2024, 12, 6))->due, d(2025, 1, 5));
  expect_round_trip(p);
  EXPECT_EQ(instantiate_for_year(*p, 2030)->campaign.reporting->from_text, "{year}-11");
  EXPECT_EQ(reporting_deadlines(instantiate_for_year(*p, 2030)->campaign).back().due,
            d(2031, 3, 5));
}

TEST(CalendarCadence, ACadenceBuiltInCppAcrossTheYearEndIsWrittenAsTemplates) {
  json doc = base();
  doc["campaign"]["reporting"] =
      json::parse(R"({"every": "month", "from_month": 1, "to_month": 2, "due_day": 5})");
  Policy edited = *load(doc);
  edited.campaign.reporting->first_month = 11;
  edited.campaign.reporting->last_year_offset = 1;
  const json j = json::parse(to_json(edited));
  EXPECT_EQ(j["campaign"]["reporting"]["from"], "{year}-11");
  EXPECT_EQ(j["campaign"]["reporting"]["to"], "{year+1}-02");
  const auto again = load_policy(j.dump());
  EXPECT_EQ(reporting_deadlines(again->campaign).size(), 4u);  // 2024-11 .. 2025-02
  EXPECT_EQ(reporting_deadlines(again->campaign).back().due, d(2025, 2, 5));
}

TEST(CalendarCadence, DueOnTheLastDayOfEachMonthFollowsLeapYears) {
  // due_day "last", January..March 2024: 01-31, 02-29 (2024 is a leap year), 03-31;
  // "covers": "due_day" -> each report covers up to its own due day.
  json doc = base();
  doc["campaign"]["reporting"] = json::parse(
      R"({"every": "month", "from_month": 1, "to_month": 3, "due_day": "last", "covers": "due_day"})");
  const auto p = load(doc);
  const auto r = reporting_deadlines(p->campaign);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].due, d(2024, 1, 31));
  EXPECT_EQ(r[1].due, d(2024, 2, 29));
  EXPECT_EQ(r[2].due, d(2024, 3, 31));
  EXPECT_EQ(r[1].covers_until, d(2024, 2, 29));
  expect_round_trip(p);
  // The same template in 2023: February ends on the 28th.
  EXPECT_EQ(reporting_deadlines(instantiate_for_year(*p, 2023)->campaign)[1].due, d(2023, 2, 28));
}

TEST(CalendarCadence, BadCadencesAreNamedByPath) {
  json doc = base();
  doc["campaign"]["reporting"] =
      json::parse(R"({"every": "month", "from": "{year}-11", "to_month": 3, "due_day": 5})");
  EXPECT_EQ(
      load_error(doc),
      "campaign.reporting.to_month: give either from_month / to_month or from / to, not both");
  doc["campaign"]["reporting"] =
      json::parse(R"({"every": "month", "from": "{year}-11", "to": "{year}-03", "due_day": 5})");
  EXPECT_EQ(load_error(doc), "campaign.reporting.to: 2024-03 is before from 2024-11");
  doc["campaign"]["reporting"]["to"] = "{year+1}-3";
  EXPECT_EQ(load_error(doc),
            "campaign.reporting.to: expected a month \"YYYY-MM\" or a template such as "
            "\"{year}-11\", \"{year+1}-03\", got \"{year+1}-3\"");
  doc["campaign"]["reporting"]["to"] = "{year+1}-03";
  doc["campaign"]["reporting"]["due_day"] = 31;
  EXPECT_EQ(load_error(doc),
            "campaign.reporting.due_day: day 31 does not exist in 2024-11 "
            "(write \"last\" for each month's last day)");
  doc["campaign"]["reporting"]["due_day"] = "end";
  EXPECT_EQ(load_error(doc),
            "campaign.reporting.due_day: expected a day 1..31 or \"last\", got \"end\"");
  doc["campaign"]["reporting"]["due_day"] = "last";
  doc["campaign"]["reporting"]["covers"] = "month";
  EXPECT_EQ(load_error(doc),
            "campaign.reporting.covers: expected \"previous_month\" or "
            "\"due_day\", got \"month\"");
}

// ---------------------------------------------------------------- segments

namespace {

// Two segments; a phase and a milestone scoped to the first. The milestone:
// county enrollment in segment "hotels" >= 30 by 2024-06-30.
json segmented() {
  json doc = base();
  doc["campaign"]["segments"] = json::parse(R"([
    {"id": "hotels", "name": "宾馆酒店业"}, {"id": "mines", "name": "煤炭业"}])");
  doc["campaign"]["phases"][0]["segment"] = "hotels";
  doc["milestones"] = json::parse(R"([
    {"id": "hotels_30", "name": "宾馆酒店业参保30人", "metric": "enrolled", "op": ">=", "value": 30,
     "due": "{year}-06-30", "scope": {"level": "county"}, "segment": "hotels"}])");
  return doc;
}

// Whole figures: a 500 then 520 (06-30), b 400. Segment hotels: a 20 (05-31) then
// 35 (06-20), b 25 (06-30); population in hotels: a 50, b 40. Segment mines: a 7.
std::vector<Observation> rows() {
  return {{"a", "enrolled", d(2024, 5, 31), 500, ""},
          {"a", "enrolled", d(2024, 6, 30), 520, ""},
          {"b", "enrolled", d(2024, 5, 31), 400, ""},
          {"a", "enrolled", d(2024, 5, 31), 20, "hotels"},
          {"a", "enrolled", d(2024, 6, 20), 35, "hotels"},
          {"b", "enrolled", d(2024, 6, 30), 25, "hotels"},
          {"a", "population", d(2024, 5, 31), 50, "hotels"},
          {"b", "population", d(2024, 5, 31), 40, "hotels"},
          {"a", "enrolled", d(2024, 5, 31), 7, "mines"}};
}

}  // namespace

TEST(CalendarSegments, SegmentRowsAreTheirOwnFiguresAndNeverEnterTheWhole) {
  const auto p = load(segmented());
  const Progress g = Progress::from_records(p, rows());
  EXPECT_EQ(g.observation_count(), 9u);
  const int city = p->units.find("city"), a = p->units.find("a");
  const int enrolled = p->metric_index("enrolled");
  // Whole: 520 + 400 = 920 (segment rows not added).
  EXPECT_EQ(g.count(city, enrolled, d(2024, 6, 30)), 920);
  // Hotels: 35 + 25 = 60 on 06-30; 20 + 0 = 20 on 06-01. Mines: 7.
  const Progress& hotels = g.for_segment("hotels");
  EXPECT_EQ(hotels.count(city, enrolled, d(2024, 6, 30)), 60);
  EXPECT_EQ(hotels.count(city, enrolled, d(2024, 6, 1)), 20);
  EXPECT_EQ(g.segment(1).count(a, enrolled, d(2024, 12, 31)), 7);
  // The rate in hotels: 60 / 90 on 06-30.
  EXPECT_EQ(*hotels.value(city, p->metric_index("rate"), d(2024, 6, 30)), Ratio(60, 90));
  EXPECT_EQ(&g.for_segment(""), &g);
  EXPECT_THROW(g.for_segment("farms"), ArgumentError);
  EXPECT_THROW(g.segment(2), ArgumentError);
  // Segments without rows are empty (they share one empty Progress).
  const Progress none = Progress::from_records(p, {rows()[0]});
  EXPECT_EQ(none.segment(0).count(city, enrolled, d(2024, 12, 31)), 0);
  EXPECT_EQ(none.segment(1).observation_count(), 0u);
  const Progress one = Progress::from_records(p, {rows()[8]});  // mines only
  EXPECT_EQ(one.for_segment("mines").count(city, enrolled, d(2024, 12, 31)), 7);
  EXPECT_EQ(one.for_segment("hotels").count(city, enrolled, d(2024, 12, 31)), 0);
}

TEST(CalendarSegments, SegmentMilestoneIsCheckedOnThatSegmentsRows) {
  // a: hotels 35 >= 30 first on 06-20 (met on time). b: 25 < 30 on 06-30 (missed),
  // although b's whole figure is 400.
  const auto p = load(segmented());
  const Progress g = Progress::from_records(p, rows());
  const auto r = evaluate_milestones(g, d(2024, 7, 31));
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].units.size(), 2u);
  EXPECT_EQ(r[0].units[0].status, MilestoneStatus::met_on_time);
  EXPECT_EQ(r[0].units[0].met_on, d(2024, 6, 20));
  EXPECT_EQ(r[0].units[1].status, MilestoneStatus::missed);
  const CampaignReport rep = make_report(g, d(2024, 7, 31));
  EXPECT_EQ(rep.milestones[0].segment, "hotels");
  EXPECT_EQ(rep.milestones[0].value_on_due[1], Ratio(25));  // b's hotels figure, not 400
}

TEST(CalendarSegments, ReportShowsProgressPerSegment) {
  const auto p = load(segmented());
  const CampaignReport rep = make_report(Progress::from_records(p, rows()), d(2024, 6, 25));
  ASSERT_EQ(rep.segments.size(), 2u);
  const SegmentReport& h = rep.segments[0];
  EXPECT_EQ(h.segment_id, "hotels");
  // Metrics with hotel rows: enrolled, population, and the rate over them.
  EXPECT_EQ(h.metric_ids, (std::vector<std::string>{"enrolled", "population", "rate"}));
  // As of 06-25: city 35 + 0 = 35 of 90; a 35 of 50; b 0 of 40 (its row is 06-30, but
  // its population row is 05-31, so b has a figure).
  EXPECT_EQ(h.unit_ids, (std::vector<std::string>{"city", "a", "b"}));
  EXPECT_EQ(h.values[0][0], Ratio(35));
  EXPECT_EQ(h.values[0][2], Ratio(35, 90));
  EXPECT_EQ(h.values[2][0], Ratio(0));
  EXPECT_EQ(rep.segments[1].segment_id, "mines");
  EXPECT_EQ(rep.segments[1].metric_ids, (std::vector<std::string>{"enrolled"}));
  ASSERT_EQ(rep.active_phases.size(), 1u);
  EXPECT_EQ(rep.active_phases[0].segment, "hotels");
  std::ostringstream js;
  write_report_json(rep, js);
  const json j = json::parse(js.str());
  EXPECT_EQ(j["segments"][0]["units"][1]["values"]["enrolled"], "35");
  EXPECT_EQ(j["phases"][0]["segment"], "hotels");
  EXPECT_EQ(j["milestones"][0]["segment"], "hotels");
  std::ostringstream text;
  write_report_text(rep, *p, text);
  EXPECT_NE(text.str().find("分类进展 [progress of segment]: 宾馆酒店业 [hotels]"),
            std::string::npos)
      << text.str();
}

TEST(CalendarSegments, ProgressCsvReadsAnOptionalSegmentColumn) {
  const auto p = load(segmented());
  std::istringstream csv(
      "unit_id,metric,date,value,segment\n"
      "a,enrolled,2024-05-31,500,\n"
      "a,enrolled,2024-05-31,20,hotels\n");
  const Progress g = read_progress_csv(p, csv, "p.csv");
  EXPECT_EQ(g.count(p->units.find("a"), 0, d(2024, 6, 1)), 500);
  EXPECT_EQ(g.segment(0).count(p->units.find("a"), 0, d(2024, 6, 1)), 20);
  std::istringstream bad("unit_id,metric,date,value,segment\na,enrolled,2024-05-31,20,farms\n");
  try {
    read_progress_csv(p, bad, "p.csv");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "p.csv:2:5");
    EXPECT_EQ(e.message(), "unknown segment \"farms\" (not in campaign.segments)");
  }
  // A duplicate within one segment names both lines; the same day in two segments is fine.
  std::istringstream dup(
      "unit_id,metric,date,value,segment\n"
      "a,enrolled,2024-05-31,1,hotels\na,enrolled,2024-05-31,2,mines\n"
      "a,enrolled,2024-05-31,3,hotels\n");
  try {
    read_progress_csv(p, dup, "p.csv");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "p.csv:4");
    EXPECT_NE(e.message().find("(also at p.csv:2)"), std::string::npos) << e.message();
  }
}

TEST(CalendarSegments, JsonApiRecordsCarryASegmentAndTheReportShowsIt) {
  // call_json (C ABI, Python, case files): the same figures as from_records.
  const auto p = load(segmented());
  const json r = json::parse(call_json(*p, R"({"op": "report", "as_of": "2024-07-31", "progress": [
      {"unit_id": "a", "metric": "enrolled", "date": "2024-06-20", "value": 35, "segment": "hotels"},
      {"unit_id": "b", "metric": "enrolled", "date": "2024-06-30", "value": 25, "segment": "hotels"},
      {"unit_id": "b", "metric": "enrolled", "date": "2024-06-30", "value": 400}]})"));
  EXPECT_EQ(r["segments"][0]["id"], "hotels");
  EXPECT_EQ(r["segments"][0]["units"][0]["unit_id"], "city");
  EXPECT_EQ(r["segments"][0]["units"][0]["values"]["enrolled"], "60");  // 35 + 25
  EXPECT_EQ(r["milestones"][0]["units"][0]["status"], "met_on_time");
  EXPECT_EQ(r["milestones"][0]["units"][1]["status"], "missed");
  try {
    call_json(*p, R"({"op": "report", "as_of": "2024-07-31", "progress": [
        {"unit_id": "a", "metric": "enrolled", "date": "2024-06-20", "value": 1, "segment": "x"}]})");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "request.progress[0].segment");
  }
}

TEST(CalendarSegments, UnknownSegmentsAreNamed) {
  const auto p = load(segmented());
  try {
    Progress::from_records(p, {{"a", "enrolled", d(2024, 5, 31), 1, "farms"}});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "records[0].segment");
  }
  ObservationColumns c{{1}, {0}, {d(2024, 5, 31).day_number()}, {1}, {2}};
  EXPECT_THROW(Progress::from_columns(p, c), InputError);
  json doc = segmented();
  doc["campaign"]["phases"][0]["segment"] = "farms";
  EXPECT_EQ(load_error(doc),
            "campaign.phases[0].segment: no segment \"farms\" in campaign.segments");
  doc = segmented();
  doc["milestones"][0]["segment"] = "farms";
  EXPECT_EQ(load_error(doc), "milestones[0].segment: no segment \"farms\" in campaign.segments");
  doc = segmented();
  doc["milestones"][0]["value"] = "target";
  EXPECT_EQ(load_error(doc),
            "milestones[0].value: a segment's milestone needs a number: targets "
            "are set for a unit's whole figures, not for one segment");
  doc = segmented();
  doc["campaign"]["segments"][1]["id"] = "hotels";
  EXPECT_NE(load_error(doc).find("campaign.segments[1].id: "), std::string::npos);
}

TEST(CalendarSegments, HengyangSectorWavesNameTheirSegments) {
  // 003 三(二): 第一次 (6-1..7-30) 机关事业单位编外聘用人员、民办非企业单位; 第二次
  // (8-1..9-15) 宾馆酒店业...; 第三次 (9-15..11-30) 保险证券业...煤炭业.
  const auto p = example("003-hengyang.json");
  ASSERT_EQ(p->campaign.segments.size(), 3u);
  std::vector<std::string> segs;
  for (const Phase* ph : phases_on(p->campaign, d(2008, 9, 15))) segs.push_back(ph->segment);
  EXPECT_EQ(segs, (std::vector<std::string>{"", "hospitality", "finance_logistics_retail"}));
  expect_round_trip(p);
}
