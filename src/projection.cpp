// Projections (see include/canbao/projection.hpp and docs/projections.md).
#include <canbao/projection.hpp>

#include <algorithm>
#include <cmath>

#include <canbao/error.hpp>

#include "detail/report_projection.hpp"

namespace canbao {
namespace {

long double to_ld(const Ratio& r) {
  return static_cast<long double>(r.num) / static_cast<long double>(r.den);
}

// Lines rarely land exactly on a threshold in binary floating point (0.5 +
// 30 x 0.1/15 is not 0.7): values this close to it count as equal to it.
bool meets(long double v, Comparison c, long double threshold) {
  const long double eps = 1e-12L * std::max(1.0L, std::fabs(threshold));
  switch (c) {
    case Comparison::ge:
      return v >= threshold - eps;
    case Comparison::gt:
      return v > threshold + eps;
    case Comparison::le:
      return v <= threshold + eps;
    case Comparison::lt:
      return v < threshold - eps;
    case Comparison::eq:
      return std::fabs(v - threshold) <= eps;
  }
  return false;
}

// The threshold a projection must meet to be safe: the margin's share of it
// further in the condition's direction ("=" has no direction, no band).
long double safe_threshold(Comparison c, long double threshold, const Ratio& margin) {
  const long double m = to_ld(margin);
  if (c == Comparison::ge || c == Comparison::gt) return threshold + m * std::fabs(threshold);
  if (c == Comparison::le || c == Comparison::lt) return threshold - m * std::fabs(threshold);
  return threshold;
}

const Ratio* threshold_for(const Policy& p, int unit, const Condition& c) {
  if (!c.use_target) return &c.threshold;
  const Target* t = p.units.units[static_cast<std::size_t>(unit)].target(c.metric_index());
  return t ? &t->value : nullptr;
}

std::optional<Trend> trend_of(const Progress& progress, int unit, int metric, Date as_of,
                              const ProjectionMethod& method, int* points) {
  const std::vector<TrendPoint> pts = trend_points(progress, unit, metric, as_of);
  *points = static_cast<int>(pts.size());
  return method.fit(pts);
}

MilestoneUnitProjection project_unit(const Progress& figures, int unit, const Condition& c,
                                     const Ratio& threshold, Date due, Date as_of,
                                     const ProjectionMethod& method, const Ratio& margin) {
  MilestoneUnitProjection out;
  out.unit = unit;
  out.unit_id = figures.policy().units.units[static_cast<std::size_t>(unit)].id;
  out.threshold = threshold;
  out.days_left = (due - as_of).count;
  out.current = figures.value(unit, c.metric_index(), as_of);
  const long double t = to_ld(threshold);
  if (out.current) out.needed_per_day = (t - to_ld(*out.current)) / out.days_left;
  const std::optional<Trend> trend =
      trend_of(figures, unit, c.metric_index(), as_of, method, &out.points);
  if (!trend) {
    out.outlook = Outlook::no_trend;
    return out;
  }
  if (trend->points > 0) out.points = trend->points;
  out.trend_per_day = trend->per_day;
  out.projected = trend->value_on(due);
  if (!meets(*out.projected, c.comparison, t)) {
    out.outlook = Outlook::will_miss;
  } else if (!meets(*out.projected, c.comparison, safe_threshold(c.comparison, t, margin))) {
    out.outlook = Outlook::at_risk;
  } else {
    out.outlook = Outlook::will_make_it;
  }
  return out;
}

std::vector<MilestoneProjection> project_milestones(const Progress& progress, Date as_of,
                                                    const ProjectionMethod& method,
                                                    const Ratio& margin) {
  const Policy& p = progress.policy();
  std::vector<MilestoneProjection> out;
  for (std::size_t i = 0; i < p.milestones.size(); ++i) {
    const Milestone& m = p.milestones[i];
    if (m.due.date <= as_of) continue;  // decided: evaluate_milestones has its status
    MilestoneProjection mp;
    mp.milestone = static_cast<int>(i);
    mp.milestone_id = m.id;
    mp.due = m.due.date;
    mp.segment = m.segment;
    // A segment's milestone reads that segment's rows only (003's sector waves).
    const Progress& figures = progress.for_segment(m.segment);
    const std::vector<int> scope = scope_units(p, m.scope);
    mp.units.reserve(scope.size());
    for (int u : scope) {
      const Ratio* t = threshold_for(p, u, m.condition);
      if (!t) {
        throw PolicyError("milestones[" + std::to_string(i) + "].value",
                          "unit \"" + p.units.units[static_cast<std::size_t>(u)].id +
                              "\" has no target for \"" + m.condition.metric + "\"");
      }
      mp.units.push_back(project_unit(figures, u, m.condition, *t, mp.due, as_of, method, margin));
    }
    out.push_back(std::move(mp));
  }
  return out;
}

std::string points_text(const std::string& metric, int points) {
  return "\"" + metric + "\" has " + std::to_string(points) + " observation point" +
         (points == 1 ? "" : "s") + ", no trend";
}

// A projected person count: floored to whole persons; a line below zero is 0
// persons; nothing when it does not fit int64.
std::optional<std::int64_t> projected_persons(long double v) {
  const long double f = std::floor(v);
  if (!(f < 9.2e18L)) return std::nullopt;  // also NaN
  return f < 0 ? 0 : static_cast<std::int64_t>(f);
}

// One not-yet-complete paid unit: the first day after as_of on which every
// projected task holds, its tier, and the projected basis on that day.
void project_payout(const Progress& progress, Date as_of, const ProjectionMethod& method,
                    WorkFundUnitProjection& out) {
  const Policy& p = progress.policy();
  const WorkFund& w = *p.work_fund;
  const int u = out.unit;
  out.kind = FundProjectionKind::unknown;
  if (!p.completion) {
    out.reason = "the policy defines no completion";
    return;
  }
  struct Task {
    Trend trend;
    Comparison comparison;
    long double threshold;
  };
  std::vector<Task> tasks;
  for (const Condition& c : p.completion->tasks) {
    int points = 0;
    const std::optional<Trend> trend =
        trend_of(progress, u, c.metric_index(), as_of, method, &points);
    if (!trend) {
      out.reason = points_text(c.metric, points);
      return;
    }
    const Ratio* t = threshold_for(p, u, c);
    if (!t) {
      out.reason = "no target for \"" + c.metric + "\"";
      return;
    }
    tasks.push_back({*trend, c.comparison, to_ld(*t)});
  }
  const Date last = w.tiers.back().deadline.date;
  // A day search: tier deadlines are within a year or two of as_of.
  for (Date d = as_of + Days(1); d <= last && !out.completed_on; d = d + Days(1)) {
    bool all = true;
    for (const Task& t : tasks) all = all && meets(t.trend.value_on(d), t.comparison, t.threshold);
    if (all) out.completed_on = d;
  }
  out.status = WorkFundStatus::late;
  for (std::size_t t = 0; out.completed_on && t < w.tiers.size(); ++t) {
    if (*out.completed_on <= w.tiers[t].deadline.date) {
      out.status = WorkFundStatus::tier;
      out.tier = static_cast<int>(t);
      out.deadline = w.tiers[t].deadline.date;
      out.per_person = w.tiers[t].per_person;
      break;
    }
  }
  if (out.status == WorkFundStatus::late) {
    out.per_person = w.late.kind == LateRule::Kind::per_person ? w.late.per_person : Fen(0);
  }
  // The basis on the completion day (the last deadline when projected late),
  // or on the fixed basis date: counted when that is known, projected after.
  out.basis_on = out.completed_on ? *out.completed_on : last;
  if (w.basis_as_of == WorkFund::BasisAsOf::fixed_date && w.basis_date)
    out.basis_on = w.basis_date->date;
  if (out.basis_on <= as_of) {
    out.basis = progress.count(u, w.basis_metric_index(), out.basis_on);
  } else {
    int points = 0;
    const std::optional<Trend> trend =
        trend_of(progress, u, w.basis_metric_index(), as_of, method, &points);
    if (!trend) {
      out.reason = points_text(w.basis_metric, points);
      return;
    }
    const std::optional<std::int64_t> persons = projected_persons(trend->value_on(out.basis_on));
    if (!persons) {
      out.reason = "the projected \"" + w.basis_metric + "\" does not fit int64";
      return;
    }
    out.basis = *persons;
  }
  std::int64_t amount;
  if (__builtin_mul_overflow(out.per_person.count(), out.basis, &amount)) {
    out.reason = "the projected amount overflows int64 fen";
    return;
  }
  out.amount = Fen(amount);
  out.kind = FundProjectionKind::projected;
}

// `actual`: the work fund as of as_of (evaluate_work_fund), which make_report
// has already; nothing to evaluate it here.
WorkFundProjection project_work_fund(const Progress& progress, Date as_of,
                                     const ProjectionMethod& method, const WorkFundResult* given) {
  std::optional<WorkFundResult> evaluated;
  if (!given) evaluated = evaluate_work_fund(progress, as_of, completion_dates(progress, as_of));
  const WorkFundResult& actual = given ? *given : *evaluated;
  WorkFundProjection out;
  out.payer = actual.payer;
  out.units.reserve(actual.payouts.size());
  for (const WorkFundPayout& pay : actual.payouts) {
    WorkFundUnitProjection u;
    u.unit = pay.unit;
    u.unit_id = pay.unit_id;
    if (pay.status != WorkFundStatus::not_complete) {
      // Paid (a tier) or settled (late): what a projection cannot change.
      u.kind = FundProjectionKind::actual;
      u.completed_on = pay.completed_on;
      u.status = pay.status;
      u.tier = pay.tier;
      u.deadline = pay.deadline;
      u.per_person = pay.per_person;
      u.basis = pay.basis;
      u.basis_on = pay.basis_on;
      u.amount = pay.amount;
      out.actual_total = out.actual_total + pay.amount;  // evaluate_work_fund checked the sum
    } else {
      project_payout(progress, as_of, method, u);
      std::int64_t sum;
      if (u.kind == FundProjectionKind::projected &&
          __builtin_add_overflow(out.projected_total.count(), u.amount.count(), &sum)) {
        u.kind = FundProjectionKind::unknown;
        u.reason = "the projected total overflows int64 fen";
      }
      if (u.kind == FundProjectionKind::projected) out.projected_total = Fen(sum);
      if (u.kind == FundProjectionKind::unknown) ++out.unknown;
    }
    out.units.push_back(std::move(u));
  }
  std::int64_t total;
  if (__builtin_add_overflow(out.actual_total.count(), out.projected_total.count(), &total)) {
    throw OverflowError("projection.work_fund", "actual plus projected total overflows int64 fen");
  }
  out.total = Fen(total);
  return out;
}

}  // namespace

ProjectionMethod::~ProjectionMethod() = default;

LinearTrend::LinearTrend(int observations) : observations_(observations) {
  if (observations < 2) {
    throw ArgumentError("observations", "a line needs at least 2 observation points, got " +
                                            std::to_string(observations));
  }
}

std::optional<Trend> LinearTrend::fit(const std::vector<TrendPoint>& points) const {
  const std::size_t n = std::min(points.size(), static_cast<std::size_t>(observations_));
  if (n < 2) return std::nullopt;
  const std::size_t first = points.size() - n;
  const Date anchor = points.back().day;
  // x: days before the last point (<= 0), so the sums stay small.
  long double sx = 0, sy = 0;
  for (std::size_t i = first; i < points.size(); ++i) {
    sx += static_cast<long double>((points[i].day - anchor).count);
    sy += points[i].value;
  }
  const long double mx = sx / n, my = sy / n;
  long double sxx = 0, sxy = 0;
  for (std::size_t i = first; i < points.size(); ++i) {
    const long double dx = static_cast<long double>((points[i].day - anchor).count) - mx;
    sxx += dx * dx;
    sxy += dx * (points[i].value - my);
  }
  if (sxx == 0) return std::nullopt;  // every point on one day: no direction
  Trend t;
  t.anchor = anchor;
  t.per_day = sxy / sxx;
  t.value = my - t.per_day * mx;  // the line at x = 0
  t.points = static_cast<int>(n);
  return t;
}

std::vector<TrendPoint> trend_points(const Progress& progress, int unit, int metric, Date as_of) {
  std::vector<TrendPoint> out;
  for (std::int32_t d : progress.change_days(unit, metric)) {
    if (d > as_of.day_number()) break;
    const Date day = Date::from_day_number(d);
    if (const std::optional<Ratio> v = progress.value(unit, metric, day))
      out.push_back({day, to_ld(*v)});
  }
  return out;
}

const char* outlook_name(Outlook o) {
  switch (o) {
    case Outlook::will_make_it:
      return "will_make_it";
    case Outlook::at_risk:
      return "at_risk";
    case Outlook::will_miss:
      return "will_miss";
    case Outlook::no_trend:
      return "no_trend";
  }
  return "?";
}

const char* fund_projection_kind_name(FundProjectionKind k) {
  switch (k) {
    case FundProjectionKind::actual:
      return "actual";
    case FundProjectionKind::projected:
      return "projected";
    case FundProjectionKind::unknown:
      return "unknown";
  }
  return "?";
}

namespace {

ProjectionReport project(const Progress& progress, Date as_of, const ProjectionMethod& method,
                         const Ratio& at_risk_margin, const WorkFundResult* work_fund) {
  const Policy& p = progress.policy();
  ProjectionReport r;
  r.as_of = as_of;
  r.method = method.name();
  if (const auto* linear = dynamic_cast<const LinearTrend*>(&method))
    r.observations = linear->observations();
  r.at_risk_margin = at_risk_margin;
  r.milestones = project_milestones(progress, as_of, method, at_risk_margin);
  if (p.work_fund && !p.work_fund->tiers.empty())
    r.work_fund = project_work_fund(progress, as_of, method, work_fund);
  return r;
}

}  // namespace

ProjectionReport project_campaign(const Progress& progress, Date as_of,
                                  const ProjectionMethod& method, const Ratio& at_risk_margin) {
  return project(progress, as_of, method, at_risk_margin, nullptr);
}

ProjectionReport project_campaign(const Progress& progress, Date as_of,
                                  std::optional<int> observations) {
  const ProjectionSettings settings = progress.policy().projection.value_or(ProjectionSettings{});
  const LinearTrend method(observations.value_or(settings.observations));
  return project_campaign(progress, as_of, method, settings.at_risk_margin);
}

namespace detail {

ProjectionReport project_campaign(const Progress& progress, Date as_of,
                                  std::optional<int> observations,
                                  const WorkFundResult* work_fund) {
  const ProjectionSettings settings = progress.policy().projection.value_or(ProjectionSettings{});
  const LinearTrend method(observations.value_or(settings.observations));
  return project(progress, as_of, method, settings.at_risk_margin, work_fund);
}

}  // namespace detail

}  // namespace canbao
