// The campaign calendar: phases, one-off deadlines, reporting deadlines and the
// segments (sectors, 人群) phases and milestones may be scoped to.
// Phases are inclusive date ranges; they may overlap (001: 宣传发动 and 数据比对
// both run 03-18..05-31), may cross a year end (002: 全面实施 10-16..01-20 of
// the next year; 003: 总结表彰 12-01..03-30) and may be open at one end (004:
// 动员部署 "3月15日前"). See docs/calendar.md.
#pragma once

#include <canbao/export.hpp>

#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>

namespace canbao {

// A date as the policy author wrote it, and the day it means for the
// campaign's year. Templates (002 writes "20xx") use "{year}-09-01",
// "{year+1}-01-20" and "{year+1}-02-last" (last day of February, so the plan
// works in every year); a literal "2021-09-30" is taken as written.
struct DateSpec {
  std::string text;  // as written, for to_json round trips
  Date date;         // resolved for the campaign year
  friend bool operator==(const DateSpec& a, const DateSpec& b) {
    return a.text == b.text && a.date == b.date;
  }
};

// Resolves a DateSpec text for a campaign year; nothing (and a reason) when
// the text is malformed or names a day that does not exist ("2023-02-29").
CANBAO_API std::optional<Date> resolve_date_spec(const std::string& text, int campaign_year,
                                                 std::string* reason = nullptr);

// A part of the population or of the economy a phase or milestone is about
// (003: 第一次专项扩面行动 works on 机关事业单位编外聘用人员 and 民办非企业单位).
// Progress rows may carry a segment; see progress.hpp.
struct Segment {
  std::string id;
  std::string name;
  std::string source;
};

struct Phase {
  std::string id;
  std::string name;
  // An open end (004: "3月15日前" has no start; "从11月起" no end) is written
  // without the key: `open_start` / `open_end` is set, the DateSpec text is
  // empty and its date is the bound it stands for (the campaign's first day
  // for a start; the campaign's last day, or the last supported day when the
  // campaign has no end, for an end), so range() and phases_on need no case.
  DateSpec start;
  DateSpec end;        // inclusive
  std::string source;  // citation, e.g. "001 四(一)"
  std::string note;    // why a date was chosen where the source is vague
  // Added later (after the old members, so positional initialisers keep working).
  bool open_start = false;
  bool open_end = false;
  std::string segment{};  // id of a Campaign::segments entry, or empty (everyone)
  DateRange range() const { return DateRange{start.date, end.date}; }
};

// A one-off deadline: something named is due once (001 四(四): "总结形成文字材料
// 于2021年12月5日前报市专项扩面工作领导小组办公室"). Not evaluated against progress:
// reports list it with the days left.
struct Deadline {
  std::string id;
  std::string name;
  DateSpec due;                           // inclusive
  std::vector<std::string> contents;      // what is due ("总结形成文字材料")
  std::vector<std::string> submitted_by;  // unit ids that must submit; empty: not said
  std::string submit_to;  // who receives it ("市专项扩面工作领导小组办公室")
  std::string source;
  std::string note;
};

// Periodic progress reporting. 001: "2021年5月—12月期间,于每月2日前将截至上月末
// 工作进展情况...报至" -> every month from May to December, progress up to the
// end of the previous month is due on day 2.
// A cadence may cross the year end ("from": "{year}-11", "to": "{year+1}-03":
// first_year_offset 0, last_year_offset 1) and may be due on the last day of
// each month (due_day "last": due_last_day).
struct ReportingCadence {
  int first_month = 1;  // month of the first due date
  int last_month = 12;  // month of the last due date
  int due_day = 1;      // day of month the report is due (inclusive deadline)
  std::string source;
  // Added with open phases and deadlines; the defaults are the old meaning.
  int first_year_offset = 0;  // years after the campaign year of the first due date
  int last_year_offset = 0;   // of the last due date
  bool due_last_day = false;  // due on each month's last day (due_day is then 0)
  // What a report covers: progress up to the end of the previous month (001:
  // "截至上月末"), or up to its due day ("截至当日").
  enum class Covers { previous_month, due_day };
  Covers covers = Covers::previous_month;
  // As written, for round trips: "{year}-11" and "{year+1}-03", or empty when
  // the policy used from_month / to_month.
  std::string from_text{};
  std::string to_text{};
  // Added with late reports: the units that must hand in each report (001:
  // 各镇(街道)); a unit's report carries the rows of the units below it. Empty:
  // the units that report figures (late_reports.hpp).
  std::vector<std::string> submitted_by{};
};

struct ReportingDeadline {
  Date due;           // report due on or before this day
  Date covers_until;  // progress up to and including this day
};

struct Campaign {
  std::string id;
  std::string title;
  int year = 0;
  std::vector<Phase> phases;
  std::optional<ReportingCadence> reporting;
  std::string source;  // which seed document / 文号
  // Added with open phases, deadlines and segments; empty by default.
  std::optional<DateSpec> start{};  // the campaign's first day (default: January 1 of year)
  std::optional<DateSpec> end{};    // its last day (default: none)
  std::vector<Deadline> deadlines{};
  std::vector<Segment> segments{};
};

// The campaign's first day: `start`, else January 1 of `year` (where a phase
// with an open start begins).
CANBAO_API Date campaign_first_day(const Campaign& campaign);

// The index of a segment by id in campaign.segments, -1 when there is none.
CANBAO_API int segment_index(const Campaign& campaign, const std::string& id);

// Every phase active on a day, in policy order (several when phases overlap).
CANBAO_API std::vector<const Phase*> phases_on(const Campaign& campaign, Date day);

// Every reporting deadline of the campaign, in date order.
CANBAO_API std::vector<ReportingDeadline> reporting_deadlines(const Campaign& campaign);

// The first deadline due on or after `day`, if any.
CANBAO_API std::optional<ReportingDeadline> next_reporting_deadline(const Campaign& campaign,
                                                                    Date day);

// The one-off deadlines due on or after `day`, in date order (policy order on
// the same day).
CANBAO_API std::vector<const Deadline*> deadlines_from(const Campaign& campaign, Date day);

}  // namespace canbao
