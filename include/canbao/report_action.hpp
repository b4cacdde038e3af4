// The report's action part (issue 13 item 3, docs/report.md "摘要" and
// "七、行动清单"): what each unit still has to do, by when, how fast, what money
// is still at stake, and a summary an official reads first. make_report fills
// it from the evaluation results it already gathered (completions, milestones,
// work fund, ranking, projections); the writers only format it.
//
// Definitions (docs/report.md, "摘要 [summary]" and "七、行动清单 [action list]"):
// - The campaign's last deadline: the latest of campaign.end, the last phase
//   end (phases with an open end left out), the last work-fund tier deadline
//   and the last scoring timeliness date; with none of these, the last
//   milestone due. Milestones past it are long-term goals beyond the campaign
//   (000 二 "十四五期末" 2025-12-31). Grades and ranks are provisional before
//   it (as_of < it).
// - A target's deadline: the next (due >= as_of) of the deadlines that need
//   that target of that unit: milestones comparing the metric with the
//   unit's own target ("value": "target") with the unit in scope, and, when the
//   metric is a completion task compared with the target, the work-fund tier
//   deadlines (a paid unit) and scoring timeliness dates (a ranked unit).
//   When all of them have passed: the last of them (overdue). When there are
//   none: the campaign's last deadline.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/money.hpp>
#include <canbao/ratio.hpp>

namespace canbao {

// Where a target stands against its deadline.
enum class GapStatus {
  met,        // current >= target (shortfall 0)
  open,       // shortfall > 0, the deadline is after as_of: needed_per_day is set
  due_today,  // shortfall > 0, the deadline is as_of itself: no day left to divide by
  overdue,    // shortfall > 0, the deadline has passed ("逾期 [overdue]")
  no_value,   // the current value is undefined (a rate over 0, no rows): nothing to subtract
};
CANBAO_API const char* gap_status_name(GapStatus s);  // "met", "open", ...

// What kind of deadline a target is needed by.
enum class GapDeadlineKind {
  milestone,       // a milestone comparing the metric with the unit's target
  work_fund_tier,  // a work-fund tier deadline (completion task metric, paid unit)
  timeliness,      // a scoring timeliness date (completion task metric, ranked unit)
  campaign_end,    // none of those: the campaign's last deadline
  none,            // no deadline at all (no phases, milestones or money rules)
};
CANBAO_API const char* gap_deadline_kind_name(GapDeadlineKind k);  // "milestone", ...

// One target of one unit as of the report day.
struct TargetGap {
  int metric = -1;  // index into Policy::metrics
  std::string metric_id;
  Ratio target;                  // the unit's target (given, allocated or implied)
  std::optional<Ratio> current;  // the metric's value on as_of; nothing when undefined
  Ratio shortfall;               // max(0, target - current), exact; 0 when current is undefined
  GapStatus status = GapStatus::met;
  GapDeadlineKind deadline_kind = GapDeadlineKind::none;
  std::optional<Date> deadline;  // the deadline the target is needed by (see above)
  std::string deadline_ref;    // milestone id, "tier N" (from 1), "timeliness N" (from 0), or empty
  std::int32_t days_left = 0;  // deadline - as_of (0 on the day, negative once passed)
  // shortfall / days_left, exact; only when open with a deadline.
  std::optional<Ratio> needed_per_day;
};

// Money a unit still stands to get from one remaining work-fund rule, with the
// basis as of the report day: tiers whose deadline is on or after as_of, then
// the late rule (tier = -1).
struct FundAtStake {
  int tier = -1;                 // index into WorkFund::tiers; -1 for the late rule
  std::optional<Date> deadline;  // the tier's deadline; nothing for the late rule
  Fen per_person;                // the tier's rate, or the late rule's (0 for "zero")
  std::int64_t basis = 0;        // the basis count as of basis_on
  Date basis_on;                 // as_of, or the fixed basis date when it is earlier
  Fen amount;                    // per_person x basis, exact
};

// How a unit stands, for the summary and the worst-first order (docs/report.md):
enum class UnitStanding {
  late,      // not complete, and a deadline concerning it has passed unmet: a milestone in
             // scope is missed or lost, a target gap is overdue, or its work fund is late
  at_risk,   // not late; a projection says it may not make a deadline ahead: a milestone
             // outlook at_risk or will_miss, or the work fund's projected completion is after
             // the next open tier deadline (or after the last one)
  no_trend,  // not late nor at risk; some projection has no trend (fewer than 2 points):
             // nothing to tell whether it is on track
  on_track,  // not complete; none of the above (every projection ahead makes it)
  complete,  // completed its tasks (UnitCompletion::completed_on) as of as_of
};
CANBAO_API const char* unit_standing_name(UnitStanding s);  // "late", "at_risk", ...

// One unit's action row.
struct UnitAction {
  int unit = -1;
  std::string unit_id;
  UnitStanding standing = UnitStanding::on_track;
  // The smallest current / target over the unit's targets (undefined values
  // count 0): the sort key inside a standing; nothing when it has no target.
  std::optional<Ratio> completion;
  std::vector<TargetGap> gaps;        // the unit's targets, metric (policy) order
  std::vector<FundAtStake> at_stake;  // paid and not complete: remaining tiers, late rule last
  std::vector<std::string>
      reasons;  // why the standing, e.g. "milestone august_village_payment_rate missed"
};

// The one-page summary at the top of the report.
struct ReportSummary {
  // Units counted: those of ActionReport::units (every unit with a target).
  std::int64_t units = 0;
  std::int64_t complete = 0;
  std::int64_t on_track = 0;
  std::int64_t at_risk = 0;
  std::int64_t late = 0;
  std::int64_t no_trend = 0;
  std::optional<Fen> paid;  // the work fund's total as of as_of; nothing without a work fund
  // Sum over the unfinished paid units of the best rule they can still reach
  // (the first tier at_stake, else the late rule) x their current basis.
  std::optional<Fen> still_possible;
  bool provisional = false;                            // as_of < last_deadline
  std::optional<Date> last_deadline;                   // the campaign's last deadline (see above)
  std::optional<Date> next_milestone;                  // first milestone due on or after as_of
  std::optional<std::int32_t> days_to_next_milestone;  // next_milestone - as_of
  std::optional<std::int32_t> days_to_next_reporting;  // next_reporting_deadline.due - as_of
};

// The action part of a CampaignReport.
struct ActionReport {
  ReportSummary summary;
  // Every unit with at least one target, worst first: by standing (late, at_risk, no_trend,
  // on_track, complete), then completion ascending (none last), then policy order.
  std::vector<UnitAction> units;
};

}  // namespace canbao
