// The campaign calendar: phases and reporting deadlines.
// Phases are inclusive date ranges; they may overlap (001: 宣传发动 and 数据比对
// both run 03-18..05-31) and may cross a year end (002: 全面实施 10-16..01-20 of
// the next year; 003: 总结表彰 12-01..03-30).
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

struct Phase {
  std::string id;
  std::string name;
  DateSpec start;
  DateSpec end;        // inclusive
  std::string source;  // citation, e.g. "001 四(一)"
  std::string note;    // why a date was chosen where the source is vague (004 动员部署)
  DateRange range() const { return DateRange{start.date, end.date}; }
};

// Periodic progress reporting. 001: "2021年5月—12月期间,于每月2日前将截至上月末
// 工作进展情况...报至" -> every month from May to December, progress up to the
// end of the previous month is due on day 2.
struct ReportingCadence {
  int first_month = 1;  // month of the first due date, in the campaign year
  int last_month = 12;  // month of the last due date
  int due_day = 1;      // day of month the report is due (inclusive deadline)
  std::string source;
};

struct ReportingDeadline {
  Date due;           // report due on or before this day
  Date covers_until;  // progress up to and including this day (end of previous month)
};

struct Campaign {
  std::string id;
  std::string title;
  int year = 0;
  std::vector<Phase> phases;
  std::optional<ReportingCadence> reporting;
  std::string source;  // which seed document / 文号
};

// Every phase active on a day, in policy order (several when phases overlap).
CANBAO_API std::vector<const Phase*> phases_on(const Campaign& campaign, Date day);

// Every reporting deadline of the campaign, in date order.
CANBAO_API std::vector<ReportingDeadline> reporting_deadlines(const Campaign& campaign);

// The first deadline due on or after `day`, if any.
CANBAO_API std::optional<ReportingDeadline> next_reporting_deadline(const Campaign& campaign, Date day);

}  // namespace canbao
