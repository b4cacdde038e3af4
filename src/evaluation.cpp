// Completion dates, milestones and the work fund (see include/canbao/evaluation.hpp).
#include <canbao/evaluation.hpp>

#include <algorithm>

#include <canbao/error.hpp>

namespace canbao {
namespace {

const Ratio* threshold_for(const Policy& p, int unit, const Condition& c) {
  if (!c.use_target) return &c.threshold;
  const Target* t = p.units.units[static_cast<std::size_t>(unit)].target(c.metric_index());
  return t ? &t->value : nullptr;
}

bool has_thresholds(const Policy& p, int unit, const std::vector<Condition>& conditions) {
  for (const Condition& c : conditions) {
    if (!threshold_for(p, unit, c)) return false;
  }
  return true;
}

bool all_hold(const Progress& progress, int unit, const std::vector<Condition>& conditions,
              Date day) {
  const Policy& p = progress.policy();
  for (const Condition& c : conditions) {
    const std::optional<Ratio> v = progress.value(unit, c.metric_index(), day);
    // An undefined value (a rate over 0 people) holds no condition.
    if (!v || !holds(*v, c.comparison, *threshold_for(p, unit, c))) return false;
  }
  return true;
}

// The sweep over the days any condition's metric changes; `days` is a buffer
// reused across units so the per-unit loop does not allocate.
std::optional<Date> first_day(const Progress& progress, int unit,
                              const std::vector<Condition>& conditions, Date as_of,
                              std::vector<std::int32_t>& days) {
  days.clear();
  for (const Condition& c : conditions) progress.append_change_days(unit, c.metric_index(), days);
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  for (std::int32_t d : days) {
    if (d > as_of.day_number()) break;
    const Date day = Date::from_day_number(d);
    if (all_hold(progress, unit, conditions, day)) return day;
  }
  return std::nullopt;
}

Fen checked_amount(Fen per_person, std::int64_t persons, const std::string& unit_id,
                   const std::string& metric) {
  std::int64_t r;
  if (__builtin_mul_overflow(per_person.count(), persons, &r)) {
    throw OverflowError("work_fund", "unit \"" + unit_id +
                                         "\": " + std::to_string(per_person.count()) + " fen x " +
                                         std::to_string(persons) + " persons (\"" + metric +
                                         "\") overflows int64 fen");
  }
  return Fen(r);
}

// A milestone's status for one unit (see MilestoneStatus): the condition on
// the due date decides; before the due date, the condition as of as_of.
void classify_milestone(const Progress& progress, int unit, const std::vector<Condition>& condition,
                        Date due, Date as_of, std::vector<std::int32_t>& days,
                        MilestoneUnitResult& out) {
  out.reached_on = first_day(progress, unit, condition, as_of, days);
  if (as_of < due) {
    const bool holds = all_hold(progress, unit, condition, as_of);
    out.status = holds ? MilestoneStatus::reached : MilestoneStatus::not_yet_due;
    if (holds) out.met_on = out.reached_on;
    return;
  }
  if (all_hold(progress, unit, condition, due)) {
    out.status = MilestoneStatus::met_on_time;
    out.met_on = out.reached_on;
    return;
  }
  // Not holding on the due date: the first change day after it that holds.
  // `days` still holds the sorted change days from first_day above.
  for (std::int32_t d : days) {
    if (d <= due.day_number()) continue;
    if (d > as_of.day_number()) break;
    const Date day = Date::from_day_number(d);
    if (all_hold(progress, unit, condition, day)) {
      out.status = MilestoneStatus::met_late;
      out.met_on = day;
      return;
    }
  }
  out.status = out.reached_on ? MilestoneStatus::lost : MilestoneStatus::missed;
}

}  // namespace

const char* milestone_status_name(MilestoneStatus s) {
  switch (s) {
    case MilestoneStatus::met_on_time:
      return "met_on_time";
    case MilestoneStatus::met_late:
      return "met_late";
    case MilestoneStatus::lost:
      return "lost";
    case MilestoneStatus::missed:
      return "missed";
    case MilestoneStatus::reached:
      return "reached";
    case MilestoneStatus::not_yet_due:
      return "not_yet_due";
  }
  return "?";
}

const char* work_fund_status_name(WorkFundStatus s) {
  switch (s) {
    case WorkFundStatus::tier:
      return "tier";
    case WorkFundStatus::late:
      return "late";
    case WorkFundStatus::not_complete:
      return "not_complete";
  }
  return "?";
}

std::vector<int> scope_units(const Policy& policy, const Scope& scope) {
  std::vector<int> out;
  if (!scope.unit_indices().empty()) {
    out = scope.unit_indices();
  } else {
    const auto& units = policy.units.units;
    for (std::size_t i = 0; i < units.size(); ++i) {
      const bool in = scope.kind == Scope::Kind::all ||
                      (scope.kind == Scope::Kind::level && units[i].level == scope.level) ||
                      (scope.kind == Scope::Kind::units &&
                       std::find(scope.unit_ids.begin(), scope.unit_ids.end(), units[i].id) !=
                           scope.unit_ids.end());
      if (in) out.push_back(static_cast<int>(i));
    }
  }
  // Usually in order already (a unit table, a policy's list): checked in one pass.
  if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
  return out;
}

std::optional<Date> first_day_holding(const Progress& progress, int unit,
                                      const std::vector<Condition>& conditions, Date as_of) {
  const Policy& p = progress.policy();
  if (unit < 0 || static_cast<std::size_t>(unit) >= p.units.units.size()) {
    throw ArgumentError("unit", "index " + std::to_string(unit) + " is out of range");
  }
  for (const Condition& c : conditions) {
    if (!threshold_for(p, unit, c)) {
      throw PolicyError("units", "unit \"" + p.units.units[static_cast<std::size_t>(unit)].id +
                                     "\" has no target for \"" + c.metric +
                                     "\" but a condition compares to it");
    }
  }
  std::vector<std::int32_t> days;
  return first_day(progress, unit, conditions, as_of, days);
}

std::vector<UnitCompletion> completion_dates(const Progress& progress, Date as_of) {
  const Policy& p = progress.policy();
  const auto& units = p.units.units;
  std::vector<UnitCompletion> out(units.size());
  std::vector<std::int32_t> days;
  for (std::size_t u = 0; u < units.size(); ++u) {
    UnitCompletion& c = out[u];
    c.unit = static_cast<int>(u);
    c.unit_id = units[u].id;
    c.evaluated = p.completion.has_value() && has_thresholds(p, c.unit, p.completion->tasks);
    if (c.evaluated) c.completed_on = first_day(progress, c.unit, p.completion->tasks, as_of, days);
  }
  return out;
}

std::vector<MilestoneResult> evaluate_milestones(const Progress& progress, Date as_of) {
  const Policy& p = progress.policy();
  std::vector<MilestoneResult> out;
  std::vector<std::int32_t> days;
  for (std::size_t i = 0; i < p.milestones.size(); ++i) {
    const Milestone& m = p.milestones[i];
    MilestoneResult r;
    r.milestone = static_cast<int>(i);
    r.milestone_id = m.id;
    r.due = m.due.date;
    const std::vector<Condition> condition{m.condition};
    const std::vector<int> scope = scope_units(p, m.scope);
    r.units.reserve(scope.size());
    for (int u : scope) {
      if (!has_thresholds(p, u, condition)) {
        throw PolicyError("milestones[" + std::to_string(i) + "].value",
                          "unit \"" + p.units.units[static_cast<std::size_t>(u)].id +
                              "\" has no target for \"" + m.condition.metric + "\"");
      }
      MilestoneUnitResult ur;
      ur.unit = u;
      ur.unit_id = p.units.units[static_cast<std::size_t>(u)].id;
      // A segment's milestone reads that segment's rows only (003's sector waves).
      classify_milestone(progress.for_segment(m.segment), u, condition, r.due, as_of, days, ur);
      r.units.push_back(std::move(ur));
    }
    out.push_back(std::move(r));
  }
  return out;
}

WorkFundResult evaluate_work_fund(const Progress& progress, Date as_of,
                                  const std::vector<UnitCompletion>& completions) {
  const Policy& p = progress.policy();
  if (!p.work_fund) throw ArgumentError("policy", "has no work_fund section");
  const WorkFund& w = *p.work_fund;
  if (completions.size() != p.units.units.size()) {
    throw ArgumentError("completions", "expected one per unit (" +
                                           std::to_string(p.units.units.size()) + "), got " +
                                           std::to_string(completions.size()));
  }
  if (w.tiers.empty()) throw PolicyError("work_fund.tiers", "no tiers");
  const Date last_deadline = w.tiers.back().deadline.date;
  WorkFundResult out;
  out.payer = w.payer;
  const std::vector<int> paid = scope_units(p, w.paid_units);
  out.payouts.reserve(paid.size());
  for (int u : paid) {
    const UnitCompletion& c = completions[static_cast<std::size_t>(u)];
    WorkFundPayout pay;
    pay.unit = u;
    pay.unit_id = c.unit_id;
    pay.completed_on = c.completed_on;
    if (c.completed_on) {
      // 000: the first tier whose (inclusive) deadline the completion meets.
      for (std::size_t t = 0; t < w.tiers.size(); ++t) {
        if (*c.completed_on <= w.tiers[t].deadline.date) {
          pay.status = WorkFundStatus::tier;
          pay.tier = static_cast<int>(t);
          pay.deadline = w.tiers[t].deadline.date;
          pay.per_person = w.tiers[t].per_person;
          break;
        }
      }
      if (pay.tier < 0) pay.status = WorkFundStatus::late;
    } else {
      pay.status = as_of >= last_deadline ? WorkFundStatus::late : WorkFundStatus::not_complete;
    }
    if (pay.status == WorkFundStatus::late && w.late.kind == LateRule::Kind::per_person) {
      pay.per_person = w.late.per_person;  // 000: "按实际参保人…" (cut off): the policy decides
    }
    if (w.basis_as_of == WorkFund::BasisAsOf::fixed_date && w.basis_date) {
      pay.basis_on = std::min(w.basis_date->date, as_of);
    } else {
      pay.basis_on = c.completed_on ? *c.completed_on : as_of;
    }
    pay.basis = progress.count(u, w.basis_metric_index(), pay.basis_on);
    pay.amount = checked_amount(pay.per_person, pay.basis, pay.unit_id, w.basis_metric);
    std::int64_t total;
    if (__builtin_add_overflow(out.total.count(), pay.amount.count(), &total)) {
      throw OverflowError("work_fund", "total overflows int64 fen when adding unit \"" +
                                           pay.unit_id + "\" (" + pay.amount.yuan_string() +
                                           " yuan, basis \"" + w.basis_metric + "\")");
    }
    out.total = Fen(total);
    out.payouts.push_back(std::move(pay));
  }
  return out;
}

}  // namespace canbao
