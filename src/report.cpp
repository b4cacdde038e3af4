// make_report: the campaign report gathered from the evaluation functions.
// No rule lives here; each figure comes from the function named beside it.
#include <canbao/report.hpp>

#include <algorithm>
#include <climits>

#include "detail/late_reports.hpp"
#include "detail/report_action.hpp"
#include "detail/report_projection.hpp"

namespace canbao {

namespace {

void add_milestones(const Progress& progress, Date as_of, CampaignReport& r) {
  const Policy& policy = progress.policy();
  for (MilestoneResult& m : evaluate_milestones(progress, as_of)) {
    MilestoneReport mr;
    // Never read past as_of: a report as of a day knows nothing later.
    const Date day = std::min(m.due, as_of);
    const int metric =
        policy.milestones[static_cast<std::size_t>(m.milestone)].condition.metric_index();
    const Milestone& milestone = policy.milestones[static_cast<std::size_t>(m.milestone)];
    const Progress& figures = progress.for_segment(milestone.segment);
    mr.value_on_due.reserve(m.units.size());
    for (const MilestoneUnitResult& u : m.units)
      mr.value_on_due.push_back(figures.value(u.unit, metric, day));
    mr.segment = milestone.segment;
    mr.result = std::move(m);
    r.milestones.push_back(std::move(mr));
  }
}

// A segment's figures: the count and average metrics it has rows of, the rates
// over two of those, for every unit with a figure for one of them.
std::optional<SegmentReport> segment_report(const Progress& whole, int s, Date as_of) {
  const Policy& policy = whole.policy();
  const Progress& g = whole.segment(s);
  if (g.observation_count() == 0) return std::nullopt;
  const std::size_t units = policy.units.units.size();
  std::vector<bool> observed(policy.metrics.size(), false);
  for (std::size_t m = 0; m < policy.metrics.size(); ++m) {
    if (policy.metrics[m].kind == MetricKind::rate) continue;
    for (std::size_t u = 0; u < units && !observed[m]; ++u)
      observed[m] = g.has_own(static_cast<int>(u), static_cast<int>(m));
  }
  SegmentReport r;
  r.segment = s;
  r.segment_id = policy.campaign.segments[static_cast<std::size_t>(s)].id;
  for (std::size_t m = 0; m < policy.metrics.size(); ++m) {
    const Metric& metric = policy.metrics[m];
    const bool shown = metric.kind == MetricKind::rate
                           ? observed[static_cast<std::size_t>(metric.numerator_index())] &&
                                 observed[static_cast<std::size_t>(metric.denominator_index())]
                           : observed[m];
    if (!shown) continue;
    r.metrics.push_back(static_cast<int>(m));
    r.metric_ids.push_back(metric.id);
  }
  std::vector<std::int32_t> days;
  for (std::size_t u = 0; u < units; ++u) {
    days.clear();
    for (int m : r.metrics) g.append_change_days(static_cast<int>(u), m, days);
    // Only rows on or before as_of count: a report knows nothing later.
    bool any = false;
    for (std::int32_t d : days) any = any || d <= as_of.day_number();
    if (!any) continue;
    r.units.push_back(static_cast<int>(u));
    r.unit_ids.push_back(policy.units.units[u].id);
    std::vector<std::optional<Ratio>> row;
    row.reserve(r.metrics.size());
    for (int m : r.metrics) row.push_back(g.value(static_cast<int>(u), m, as_of));
    r.values.push_back(std::move(row));
  }
  return r;
}

}  // namespace

CampaignReport make_report(const Progress& progress, Date as_of, const ReportParts& parts) {
  const Policy& policy = progress.policy();
  CampaignReport r;
  r.campaign_id = policy.campaign.id;
  r.campaign_title = policy.campaign.title;
  r.campaign_year = policy.campaign.year;
  r.policy_fingerprint = policy.fingerprint();
  r.as_of = as_of;
  for (const Phase* phase : phases_on(policy.campaign, as_of)) r.active_phases.push_back(*phase);
  r.next_reporting_deadline = next_reporting_deadline(policy.campaign, as_of);
  for (const Deadline* d : deadlines_from(policy.campaign, Date::from_day_number(INT32_MIN)))
    r.deadlines.push_back(DeadlineReport{*d, (d->due.date - as_of).count});
  for (std::size_t s = 0; s < policy.campaign.segments.size(); ++s) {
    if (auto sr = segment_report(progress, static_cast<int>(s), as_of))
      r.segments.push_back(std::move(*sr));
  }
  r.late_reports = detail::late_reports(progress, as_of, r.reports_unknown);
  r.completions = completion_dates(progress, as_of);

  if (parts.milestones) add_milestones(progress, as_of, r);
  if (policy.work_fund && parts.work_fund)
    r.work_fund = evaluate_work_fund(progress, as_of, r.completions);
  if (policy.scoring && parts.ranking) r.ranking = score_and_rank(progress, as_of, r.completions);
  if (parts.projections) {
    r.projections = detail::project_campaign(progress, as_of, parts.projection_observations,
                                             r.work_fund ? &*r.work_fund : nullptr);
  }
  r.action = detail::make_action(progress, r);  // last: it reads the parts above
  return r;
}

}  // namespace canbao
