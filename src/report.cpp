// make_report: the campaign report gathered from the evaluation functions.
// No rule lives here; each figure comes from the function named beside it.
#include <canbao/report.hpp>

#include <algorithm>

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
    for (const MilestoneUnitResult& u : m.units)
      mr.value_on_due.push_back(progress.value(u.unit, metric, day));
    mr.result = std::move(m);
    r.milestones.push_back(std::move(mr));
  }
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
  r.completions = completion_dates(progress, as_of);

  if (parts.milestones) add_milestones(progress, as_of, r);
  if (policy.work_fund && parts.work_fund)
    r.work_fund = evaluate_work_fund(progress, as_of, r.completions);
  if (policy.scoring && parts.ranking) r.ranking = score_and_rank(progress, as_of, r.completions);
  return r;
}

}  // namespace canbao
