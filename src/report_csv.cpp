// CSV writers for work-fund payouts and scores (spreadsheets are where town
// offices do this work today). Formatting only: figures come from the results,
// names from the policy.
#include <canbao/report.hpp>

#include <ostream>
#include <string>
#include <vector>

#include <canbao/policy.hpp>

#include "detail/csv.hpp"

namespace canbao {
namespace {

const std::string& unit_name(const Policy& p, int unit) {
  return p.units.units[static_cast<std::size_t>(unit)].name;
}
std::string date_or_empty(const std::optional<Date>& d) { return d ? d->iso() : std::string(); }
std::string ratio_or_empty(const std::optional<Ratio>& r) {
  return r ? r->decimal_string() : std::string();
}

}  // namespace

void write_payouts_csv(const WorkFundResult& wf, const Policy& p, std::ostream& out) {
  detail::write_csv_row(out, {"unit_id", "name", "completed_on", "status", "tier", "deadline",
                              "per_person_yuan", "basis", "basis_on", "amount_yuan", "amount_fen"});
  for (const WorkFundPayout& pay : wf.payouts) {
    detail::write_csv_row(
        out, {pay.unit_id, unit_name(p, pay.unit), date_or_empty(pay.completed_on),
              work_fund_status_name(pay.status), pay.tier < 0 ? "" : std::to_string(pay.tier + 1),
              date_or_empty(pay.deadline), pay.per_person.yuan_string(), std::to_string(pay.basis),
              pay.basis_on.iso(), pay.amount.yuan_string(), std::to_string(pay.amount.count())});
  }
  detail::write_csv_row(out, {"", "合计", "", "", "", "", "", "", "", wf.total.yuan_string(),
                              std::to_string(wf.total.count())});
}

void write_scores_csv(const Ranking& ranking, const Policy& p, std::ostream& out) {
  std::vector<std::string> head = {"rank",         "unit_id",        "name",
                                   "points",       "micro_points",   "grade",
                                   "grade_name",   "grade_by_score", "eligible_for_awards",
                                   "completed_on", "bonus_points"};
  const Scoring* s = p.scoring ? &*p.scoring : nullptr;
  if (s) {
    for (const Indicator& i : s->indicators) {
      head.push_back(i.id + "_completion");
      head.push_back(i.id + "_points");
    }
    for (const Deduction& d : s->deductions) head.push_back(d.id + "_points_deducted");
  }
  head.push_back("missed_targets");
  detail::write_csv_row(out, head);
  for (const UnitScore& u : ranking.units) {
    std::string grade_name;
    if (s) {
      for (const GradeBand& g : s->grades) {
        if (g.grade == u.grade) grade_name = g.name;
      }
    }
    std::vector<std::string> cells = {std::to_string(u.rank),
                                      u.unit_id,
                                      unit_name(p, u.unit),
                                      points_string(u.total_micro_points),
                                      std::to_string(u.total_micro_points),
                                      u.grade,
                                      grade_name,
                                      u.grade_by_score,
                                      u.eligible_for_awards ? "true" : "false",
                                      date_or_empty(u.completed_on),
                                      points_string(u.bonus_micro_points)};
    for (const IndicatorScore& i : u.indicators) {
      cells.push_back(ratio_or_empty(i.completion));
      cells.push_back(points_string(i.micro_points));
    }
    for (const DeductionScore& d : u.deductions) cells.push_back(points_string(d.micro_points));
    std::string missed;
    for (const MissedTarget& m : u.missed_targets)
      missed += (missed.empty() ? "" : ";") + m.metric_id;
    cells.push_back(missed);
    detail::write_csv_row(out, cells);
  }
}

}  // namespace canbao
