// check_reporting: the reporting cadence's passed deadlines against the
// progress rows' submitted dates (include/canbao/late_reports.hpp).
#include <canbao/late_reports.hpp>

#include "detail/late_reports.hpp"

namespace canbao {

const char* submission_status_name(SubmissionStatus status) {
  switch (status) {
    case SubmissionStatus::on_time:
      return "on_time";
    case SubmissionStatus::late:
      return "late";
    case SubmissionStatus::missing:
      return "missing";
    case SubmissionStatus::unknown:
      return "unknown";
  }
  return "unknown";
}

namespace {

// A unit's report: its own rows, and with submitted_by also those of every
// unit below it (a town hands in its villages' figures).
RowsReported report_of(const Progress& progress, int unit, bool subtree, Date from, Date until,
                       Date as_of) {
  RowsReported all = progress.rows_reported(unit, from, until, as_of);
  if (!subtree) return all;
  for (int child : progress.policy().units.units[static_cast<std::size_t>(unit)].children()) {
    const RowsReported r = report_of(progress, child, true, from, until, as_of);
    all.rows += r.rows;
    all.undated += r.undated;
    if (r.last_submitted && (!all.last_submitted || *all.last_submitted < *r.last_submitted))
      all.last_submitted = r.last_submitted;
  }
  return all;
}

bool named_reporters(const Policy& policy) {
  return policy.campaign.reporting && !policy.campaign.reporting->submitted_by.empty();
}

}  // namespace

std::vector<int> reporting_units(const Progress& progress, Date as_of) {
  const Policy& policy = progress.policy();
  const Date first = supported_dates().first;
  std::vector<int> out;
  if (named_reporters(policy)) {
    // The policy names them (campaign.reporting.submitted_by): policy order.
    for (std::size_t u = 0; u < policy.units.units.size(); ++u) {
      for (const std::string& id : policy.campaign.reporting->submitted_by) {
        if (id == policy.units.units[u].id) out.push_back(static_cast<int>(u));
      }
    }
    return out;
  }
  for (std::size_t u = 0; u < policy.units.units.size(); ++u) {
    const int unit = static_cast<int>(u);
    if (policy.units.units[u].children().empty() ||
        progress.rows_reported(unit, first, as_of, as_of).rows > 0)
      out.push_back(unit);
  }
  return out;
}

namespace {

// Each check of check_reporting in its order, handed to `keep` one at a time
// (make_report keeps only the late and missing ones: a national campaign
// has a check per unit and month).
template <class Keep>
void each_check(const Progress& progress, Date as_of, Keep&& keep) {
  const Policy& policy = progress.policy();
  if (!policy.campaign.reporting) return;
  const std::vector<int> units = reporting_units(progress, as_of);
  for (const ReportingDeadline& d : reporting_deadlines(policy.campaign)) {
    if (!(d.due < as_of)) break;  // date order: the rest are not passed either
    // The month the report covers, up to its last day (001: 05-01..05-31).
    const Date from = *Date::from_ymd(d.covers_until.year(), d.covers_until.month(), 1);
    for (int unit : units) {
      ReportingCheck c;
      c.deadline = d;
      c.unit = unit;
      const RowsReported rows =
          report_of(progress, unit, named_reporters(policy), from, d.covers_until, as_of);
      if (rows.rows == 0) {
        c.status = SubmissionStatus::missing;
        c.days_late = (as_of - d.due).count;
      } else if (rows.last_submitted && d.due < *rows.last_submitted) {
        c.status = SubmissionStatus::late;
        c.submitted = rows.last_submitted;
        c.days_late = (*rows.last_submitted - d.due).count;
      } else if (rows.undated > 0) {
        c.status = SubmissionStatus::unknown;
      } else {
        c.status = SubmissionStatus::on_time;
        c.submitted = rows.last_submitted;
      }
      keep(std::move(c));
    }
  }
}

const std::string& unit_id(const Progress& progress, int unit) {
  return progress.policy().units.units[static_cast<std::size_t>(unit)].id;
}

}  // namespace

std::vector<ReportingCheck> check_reporting(const Progress& progress, Date as_of) {
  std::vector<ReportingCheck> out;
  each_check(progress, as_of, [&](ReportingCheck&& c) {
    c.unit_id = unit_id(progress, c.unit);
    out.push_back(std::move(c));
  });
  return out;
}

namespace detail {

std::vector<ReportingCheck> late_reports(const Progress& progress, Date as_of,
                                         std::int64_t& unknown) {
  std::vector<ReportingCheck> out;
  each_check(progress, as_of, [&](ReportingCheck&& c) {
    if (c.status == SubmissionStatus::late || c.status == SubmissionStatus::missing) {
      c.unit_id = unit_id(progress, c.unit);
      out.push_back(std::move(c));
    } else if (c.status == SubmissionStatus::unknown) {
      ++unknown;
    }
  });
  return out;
}

}  // namespace detail
}  // namespace canbao
