// Late reports: which units handed in the periodic progress report late or not
// at all ("Which units missed the report due on the 2nd?", issue 12). 001 五(三):
// "2021年5月—12月期间,于每月2日前将截至上月末工作进展情况...报至" — the campaign's
// reporting cadence (calendar.hpp, docs/calendar.md) and the progress rows'
// `submitted` dates (progress.hpp, docs/progress.md). Pure; reads nothing
// after as_of. The rules, in docs/report.md "迟报":
// - A deadline is checked once it has passed (due < as_of): on the due day a
//   report may still come.
// - The units that must report are the units that report figures: every unit
//   without children, and every unit with a row of its own on or before as_of
//   (001: the city's own 企业职工 figures, the towns, 九村镇's villages).
// - A deadline's report from a unit is its rows observed in the month the
//   report covers up to its last day (the report due 2021-06-02 covers up to
//   05-31: rows dated 2021-05-01..05-31), whatever the metric or segment.
// - missing: no such row known on as_of (a row handed in after as_of is not
//   known yet); late: a row was handed in after the due day (the last one
//   decides how late); unknown: some rows say nothing of when they came in and
//   none was late; on time: every row came in on or before the due day.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <canbao/calendar.hpp>
#include <canbao/date.hpp>
#include <canbao/progress.hpp>

namespace canbao {

enum class SubmissionStatus { on_time, late, missing, unknown };
// "on_time", "late", "missing", "unknown"
CANBAO_API const char* submission_status_name(SubmissionStatus status);

// One unit's report for one reporting deadline.
struct ReportingCheck {
  ReportingDeadline deadline;
  int unit = -1;  // index into Policy::units.units
  std::string unit_id;
  SubmissionStatus status = SubmissionStatus::unknown;
  // on_time and late: the day the period's last row was handed in.
  std::optional<Date> submitted;
  // late: submitted - due; missing: as_of - due (overdue so far); else 0.
  std::int32_t days_late = 0;
};

// The units that must report as of a day, in policy order (rules above).
CANBAO_API std::vector<int> reporting_units(const Progress& progress, Date as_of);

// Every passed deadline (date order) x every reporting unit (policy order).
// Empty when the campaign has no reporting cadence.
CANBAO_API std::vector<ReportingCheck> check_reporting(const Progress& progress, Date as_of);

}  // namespace canbao
