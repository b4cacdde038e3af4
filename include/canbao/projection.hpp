// Projections (docs/projections.md): as of a day, each unit's figures
// extended past it along a trend, to every milestone due later (will it make
// it?) and to the work fund's tier deadlines (what will the fund cost in the
// end?). "Which villages will miss the November 80% at their current pace?"
//
// A projection is an estimate, not a rule: trends are long double (a least-
// squares line has no exact small fraction), while what is known stays exact
// (current values are Ratios, amounts integer fen, projected persons floored
// to whole counts). Pure functions of the progress as of the day: nothing
// after as_of is read.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/money.hpp>
#include <canbao/progress.hpp>
#include <canbao/ratio.hpp>

namespace canbao {

// One observation point of a metric: its value on a day it changed.
struct TrendPoint {
  Date day;
  long double value = 0;
};

// A straight line through the figures: `value` on `anchor`, changing by
// `per_day` each day. A method that is not a line gives its local one.
struct Trend {
  Date anchor;
  long double value = 0;
  long double per_day = 0;
  int points = 0;  // the observation points it was fitted to
  long double value_on(Date day) const {
    return value + per_day * static_cast<long double>((day - anchor).count);
  }
};

// How the figures are extended: swap the method by passing another
// implementation to project_campaign.
class CANBAO_API ProjectionMethod {
 public:
  virtual ~ProjectionMethod();
  virtual const char* name() const = 0;
  // The trend of a metric for one unit from its points (days ascending, all
  // on or before the as-of day); nothing when there is none to estimate.
  virtual std::optional<Trend> fit(const std::vector<TrendPoint>& points) const = 0;
};

// The least-squares line over the last `observations` points (fewer when
// there are fewer; no trend with fewer than 2). Anchored on the last point.
class CANBAO_API LinearTrend : public ProjectionMethod {
 public:
  explicit LinearTrend(int observations);  // ArgumentError unless >= 2
  const char* name() const override { return "linear_trend"; }
  int observations() const { return observations_; }
  std::optional<Trend> fit(const std::vector<TrendPoint>& points) const override;

 private:
  int observations_;
};

// The points a trend is fitted to: the metric's value on each of its change
// days on or before as_of (Progress::change_days; a rate's own value on the
// days its numerator or denominator change), days where it is undefined left out.
CANBAO_API std::vector<TrendPoint> trend_points(const Progress& progress, int unit, int metric,
                                                Date as_of);

enum class Outlook {
  will_make_it,  // the projection on the due date meets the threshold with the margin
  at_risk,       // it meets the threshold, but not with the margin
  will_miss,     // it does not meet the threshold
  no_trend,      // fewer than 2 observation points: nothing to project
};
CANBAO_API const char* outlook_name(Outlook o);  // "will_make_it", ...

struct MilestoneUnitProjection {
  int unit = -1;
  std::string unit_id;
  Outlook outlook = Outlook::no_trend;
  std::optional<Ratio> current;               // on as_of, exact; nothing when undefined
  std::optional<long double> projected;       // on the due date; nothing without a trend
  Ratio threshold;                            // the milestone's, or the unit's own target
  std::int32_t days_left = 0;                 // due - as_of (> 0)
  std::optional<long double> needed_per_day;  // (threshold - current) / days_left
  std::optional<long double> trend_per_day;   // the trend's slope
  int points = 0;                             // observation points the trend used
};

// Milestones due after as_of only (those due on or before it have their
// status in evaluate_milestones).
struct MilestoneProjection {
  int milestone = -1;  // index into Policy::milestones
  std::string milestone_id;
  Date due;
  std::string segment;                         // the figures are this segment's (empty: the whole)
  std::vector<MilestoneUnitProjection> units;  // every unit in scope, policy order
};

enum class FundProjectionKind {
  actual,     // paid or settled already (evaluate_work_fund's tier or late): kept as it is
  projected,  // not complete yet: the completion day and basis are projected
  unknown,    // not complete and some figure has no trend: left out of the total
};
CANBAO_API const char* fund_projection_kind_name(FundProjectionKind k);  // "actual", ...

struct WorkFundUnitProjection {
  int unit = -1;
  std::string unit_id;
  FundProjectionKind kind = FundProjectionKind::unknown;
  // actual: the completion date; projected: the first day after as_of on
  // which every projected task holds, nothing when that is after the last deadline.
  std::optional<Date> completed_on;
  WorkFundStatus status = WorkFundStatus::not_complete;  // tier or late (not_complete: unknown)
  int tier = -1;
  std::optional<Date> deadline;
  Fen per_person;
  std::int64_t basis = 0;  // persons; projected ones floored (a line below 0 counts 0)
  Date basis_on;
  Fen amount;
  std::string reason;  // unknown: why ("resident_paid has 1 observation point")
};

struct WorkFundProjection {
  std::vector<WorkFundUnitProjection> units;  // every paid unit, policy order
  Fen actual_total;                           // the actual units
  Fen projected_total;                        // the projected units
  Fen total;                                  // actual + projected
  int unknown = 0;                            // units left out of the total
  std::string payer;
};

struct ProjectionReport {
  Date as_of;
  std::string method;    // ProjectionMethod::name()
  int observations = 0;  // LinearTrend's N (0 for another method)
  Ratio at_risk_margin;
  std::vector<MilestoneProjection> milestones;  // due after as_of, policy order
  std::optional<WorkFundProjection> work_fund;  // when the policy has a work_fund
};

// The projection with a given method and margin. Throws PolicyError as
// evaluate_milestones does (a unit without the target a condition compares to).
// A projected amount that overflows int64 fen makes that unit unknown.
CANBAO_API ProjectionReport project_campaign(const Progress& progress, Date as_of,
                                             const ProjectionMethod& method,
                                             const Ratio& at_risk_margin);

// The same with the policy's settings (Policy::projection, defaults without
// it: linear_trend over 3 observations, 5% margin); `observations` overrides
// the policy's N (ArgumentError unless >= 2).
CANBAO_API ProjectionReport project_campaign(const Progress& progress, Date as_of,
                                             std::optional<int> observations = std::nullopt);

}  // namespace canbao
